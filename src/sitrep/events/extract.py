"""Event extraction: who did what to whom, where and when, read off the dependency parse.

A trigger word from the ontology's lexicon ("deployed", "strike", "protests") opens an event
frame; its arguments are read from the parse the way an analyst reads a sentence:

* actor: the subject (or the ``by`` agent of a passive, or the possessor/nationality of a noun
  trigger: "Iranian missile strike" → Iran); a state's forces or weapons stand for the state;
* target: the object, the subject of a passive, or ``on``/``against``/``of`` X;
* equipment: the weapons or craft moved or used ("Patriot missiles", "SAMs", "planes");
* place: a locative preposition on the trigger or its clause, a target that is itself a place,
  the nearest place name in the clause, or, for "the base", the base named just before;
* time: a time expression in the trigger's own clause, normalised against publication;
* status: asserted, planned, threatened, denied or hypothetical, from the verbs that govern it.

Only triggers with at least one argument become events: a bare "tensions" or "protests" with
nothing attached says too little to map or count.

This module is the composition; each concern has its own: ``frames`` (trigger and slots),
``places``, ``timing``, ``status``, over the parse helpers of ``syntax`` and the country words
of ``countries``.
"""
from __future__ import annotations

from sitrep.claims.furniture import furniture_sentences, has_prose_body
from sitrep.claims.sources import doc_ents
from sitrep.events import ontology
from sitrep.vocab import EventStatus
from sitrep.countries import capital_of, country_code, country_name, country_point
from sitrep.events.confidence import score_events
from sitrep.events.countries import _country_modifier
from sitrep.events.frames import (
    _describe,
    _is_armed,
    _is_civilian,
    _is_installation,
    _is_military,
    _match_trigger,
    _name_actor,
    _read_frame,
    _riot_cues,
)
from sitrep.events.places import (
    PLACE_NOUNS,
    _capital_place,
    _is_named_place,
    _make_place,
    _place_in_report_country,
    _resolve_definite,
    context_countries,
    geocode,
)
from sitrep.events.status import _status
from sitrep.events.syntax import PLACE_LABELS, _antecedent, _char_bounds, _child, _text
from sitrep.events.timex import before_publication, normalise_time
from sitrep.events.timing import _find_time, _time_spans
from sitrep.model import Article, Cue, Event

# Besides ``extract_events``, the country and geocoding names other modules import from here.
__all__ = ["extract_events", "capital_of", "context_countries", "country_code", "country_name", "country_point",
           "geocode"]


def extract_events(article: Article, doc) -> list[Event]:
    """Events of one article, read from its parse ``doc`` (of ``article.text``).

    The frame rules read the document's entities once per frame and per sentence; spaCy builds
    ``doc.ents`` afresh, over every token, on each access (≈ 22 times per GVA report, 6 % of a
    worker's profile), so this pass reads them through ``doc_ents``, built once, and drops that
    cache when it ends, as the claims pass does."""
    doc.user_data.pop("sitrep_ents", None)
    try:
        return _events_of(article, doc)
    finally:
        doc.user_data.pop("sitrep_ents", None)


def _events_of(article: Article, doc) -> list[Event]:
    text = article.text
    times = _time_spans(doc, text)
    countries = context_countries(doc)
    events: list[Event] = []
    place_history: list[tuple[int, int, str]] = []  # named places seen so far (token range, head)
    last_actor: dict[str, tuple[int, str]] = {}  # type → (sentence start token, actor)

    sentence_of: list[int] = []  # per event, the sentence's first token
    responses: list[int] = []  # char offsets of the other side answering fire
    sents = list(doc.sents)
    furniture = furniture_sentences(sents, text)  # related links, promotions, headings: not the article's
    if not has_prose_body(sents, text, furniture):
        furniture = set()  # a headline-only report: its headline is the report
    for n, sent in enumerate(sents):
        if n in furniture:
            continue
        for tok in sent:
            m = _match_trigger(tok)
            if m is None:
                continue
            trig, subtype, start, end = m
            fr = _read_frame(tok, trig, subtype, start, end)
            if trig.needs == "military" and not (
                _is_military(fr.theme) or _is_military(fr.target) or _is_military(_child(tok, "dobj")) or _is_military(fr.equipment)
            ):
                continue
            if trig.needs == "mover" and not (_is_military(fr.actor) or _is_military(fr.theme)):
                continue  # "a military column entered", not "the firm entered the market"
            if trig.needs == "installation" and not (
                (_is_installation(fr.target) or _is_installation(fr.theme)) and (_is_military(fr.actor) or _is_armed(fr.actor))
            ):
                continue  # forces establishing a base or fortifications, not a firm its headquarters
            actor = _name_actor(fr.actor)
            target = _describe(fr.target)
            if fr.trigger.type in ("deploy", "withdraw") and actor is None and fr.theme is not None:
                code = _country_modifier(fr.theme)
                if code:
                    actor = country_name(code)
            equipment = _describe(fr.equipment)
            place = None
            for b in fr.places:
                resolved = _resolve_definite(doc, b, place_history)
                if resolved is not None:
                    place = _make_place(doc, resolved, countries, note=f"'{_text(doc, b)}' taken as the place named before it")
                    place.start, place.end = _char_bounds(doc, b)
                    break
                if _is_named_place(doc, b):
                    place = _make_place(doc, b, countries)
                    break
            if place is None:
                place = _capital_place(_antecedent(fr.actor) if fr.actor is not None else None, countries)
            if actor is None and fr.trigger.type in ("deploy", "withdraw", "exercise"):
                # An agentless continuation ("SAMs have also been transferred ...") keeps the
                # actor of the same kind of event just before it.
                prev = last_actor.get(fr.trigger.type)
                if prev and sent.start - prev[0] <= 120:
                    actor = prev[1]
            if not (actor or target or place or equipment):
                continue
            if actor:
                last_actor[fr.trigger.type] = (sent.start, actor)
            texpr = _find_time(fr, times)
            if texpr is not None:
                time = normalise_time(texpr[2], article.published)
                if time.precision == "unknown" and article.published is not None:
                    time = before_publication(article.published)
                    time.text = texpr[2]
            else:
                time = before_publication(article.published)
            claim_ids, denied = [], False
            for claim in article.claims:
                if claim.start <= start and end <= claim.end:
                    claim_ids.append(claim.id)
                    denied = denied or claim.denied
            etype = fr.trigger.type
            if etype == "protest" and _riot_cues(tok):
                etype = "riot"
            acled_type, acled_sub = ontology.acled_for(
                etype, fr.subtype, civilian_target=_is_civilian(fr.target), armed_target=_is_armed(fr.target))
            events.append(
                Event(
                    id=f"{article.id}:e{len(events) + 1}",
                    article_id=article.id,
                    type=etype,
                    trigger=Cue(text=text[start:end], start=start, end=end),
                    status=EventStatus(_status(fr, denied)),
                    actor=actor,
                    target=target,
                    equipment=equipment,
                    place=place,
                    time=time,
                    acled_event_type=acled_type,
                    acled_sub_event_type=acled_sub,
                    claim_ids=claim_ids,
                    article_ids=[article.id],
                )
            )
            sentence_of.append(sent.start)
            if fr.trigger.response:
                responses.append(start)
        # Remember the named places of this sentence, for "the base" later on.
        for ent in doc_ents(doc):
            if ent.start >= sent.start and ent.end <= sent.end and ent.label_ in PLACE_LABELS:
                root = ent.root
                contained = root.dep_ == "pobj" and root.head.head.lemma_.lower() in PLACE_NOUNS
                if not contained and not country_code(ent.text):
                    heads = {t.lemma_.lower() for t in ent} & PLACE_NOUNS
                    place_history.append((ent.start, ent.end, next(iter(heads), "")))
    _code_outcomes_by_means(events, sentence_of)
    _code_exchanges(events, responses, text)
    _place_in_report_country(events)
    score_events(events, doc, article)
    return events


def _code_outcomes_by_means(events: list[Event], sentence_of: list[int]) -> None:
    """Code what violence did by how it was done, as ACLED does: a killing or an injury told in
    the same sentence as a shelling, an air strike or a bomb ("the base was shelled, which
    resulted in the death of ...", "were killed when a landmine exploded") takes that attack's
    ACLED type, unless its own frame named remote means already."""
    by_sentence: dict[int, list[Event]] = {}
    for event, s in zip(events, sentence_of):
        by_sentence.setdefault(s, []).append(event)
    for group in by_sentence.values():
        means = next((e for e in group if e.type in ("attack", "clash") and e.acled_event_type == ontology.EXPLOSIONS), None)
        if means is None:
            continue
        for e in group:
            if e.target and e.target in (means.equipment, means.target):
                continue  # "the helicopter was shot down while trying to raid": the craft is the victim
            if e.type in ontology.OUTCOME_TYPES and e.acled_event_type != ontology.EXPLOSIONS:
                e.acled_event_type, e.acled_sub_event_type = means.acled_event_type, means.acled_sub_event_type


def _code_exchanges(events: list[Event], responses: list[int], text: str) -> None:
    """An attack the other side answers is an exchange, which ACLED codes as an armed clash:
    "pro-Houthi forces fired mortar shells at X. The anti-Houthi forces responded to the fire"
    is one battle, not a shelling. Only shelling before the answer in the same paragraph counts
    (an air strike is not answered in kind)."""
    for at in responses:
        para = text.rfind("\n", 0, at) + 1
        for e in events:
            if para <= e.trigger.start <= at and e.acled_sub_event_type == ontology.SHELLING:
                e.acled_event_type, e.acled_sub_event_type = ontology.BATTLES, ontology.ARMED_CLASH
