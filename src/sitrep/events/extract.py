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
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from spacy.tokens import Doc

from sitrep.events import ontology
from sitrep.events.confidence import score_events
from sitrep.events.ontology import EQUIPMENT_NOUNS, MILITARY_NOUNS, Trigger
from sitrep.events.timex import before_publication, find_time_expressions, normalise_time
from sitrep.model import Article, Cue, Event, Place

PLACE_LABELS = {"GPE", "LOC", "FAC", "FACILITY"}
NAME_LABELS_NOT_TRIGGERS = {"ORG", "GROUP", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "FACILITY", "FAC"}
RELATIVE_PRONOUNS = {"which", "that", "who", "whom", "whose"}

# Verbs that only carry a noun event ("held a drill", "conducted airstrikes"): their subject
# is the noun event's actor. Verbs whose subject *undergoes* it ("suffered a strike"): target.
LIGHT_VERBS = {
    "hold", "conduct", "launch", "carry", "stage", "organize", "organise", "mount", "perform",
    "make", "begin", "start", "continue", "resume", "intensify", "step", "execute", "lead", "wage",
}
PATIENT_VERBS = {"suffer", "face", "undergo", "endure", "sustain", "survive", "repel", "witness"}
# Nouns that count or group events: "a string of airstrikes", "a wave of protests".
QUANTITY_NOUNS = {"string", "series", "wave", "number", "spate", "round", "barrage", "salvo", "volley", "dozen", "couple", "flurry"}
# Nouns whose "of X" names who acts ("the withdrawal of US forces") rather than the target.
INTRANSITIVE_NOUN_TYPES = {"deploy", "withdraw", "protest", "exercise", "negotiate", "agree", "clash"}
# Aspectual verbs: "the shelling did not stop" asserts the shelling.
ASPECTUAL_LEMMAS = {"stop", "cease", "end", "halt", "abate", "continue"}

PLACE_PREPS = {"at", "in", "to", "near", "into", "inside", "outside", "around", "across", "towards", "toward", "from", "within", "on"}
PLACE_NOUNS = {
    "base", "airbase", "airfield", "airport", "town", "city", "village", "province", "district",
    "governorate", "region", "area", "embassy", "consulate", "camp", "compound", "headquarters",
    "port", "border", "capital", "neighbourhood", "neighborhood", "square", "street", "outskirts",
    "suburb", "station", "facility", "facilities", "position", "checkpoint", "outpost",
    "barracks", "prison", "hospital", "school", "mosque", "church", "market", "refinery",
    "field", "oilfield", "island", "coast", "highway", "road", "bridge", "country",
}
GENERIC_PLACE_HEADS = {"country", "area", "region"}
# Institutions of a state that sit in its capital: an act of "the Iraqi parliament" with no
# place named is placed there, as conflict datasets do.
STATE_INSTITUTIONS = {
    "parliament", "government", "cabinet", "ministry", "president", "court", "council",
    "congress", "senate", "assembly", "legislature", "prime", "authorities", "presidency",
}

PLAN_LEMMAS = {"plan", "prepare", "order", "intend", "aim", "seek", "propose", "consider", "draw", "schedule", "mull", "want", "wait", "expect"}
THREAT_LEMMAS = {"threaten", "vow", "warn"}
THREAT_ADJECTIVES = {"ready", "prepared", "poised", "willing"}
DENY_LEMMAS = {"deny", "reject", "refute", "dismiss"}
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should"}
FUTURE_AUX = {"will", "shall", "'ll"}
REPORTING_LEMMAS = {"say", "tell", "report", "state", "announce", "claim", "add", "note", "quote", "cite", "specify", "confirm"}
FORCE_HEADS = MILITARY_NOUNS | {"military", "army", "navy", "coalition", "contingent", "official", "officials"}
# Event types an analyst always places somewhere (if only in a country).
PLACED_TYPES = {"attack", "clash", "kill", "assault", "abduct", "deploy", "withdraw", "exercise", "protest", "riot", "arrest"}
COARSE_PRECISIONS = {"country", "unknown"}


# --------------------------------------------------------------------------------------------
# Country words: names, short forms, demonyms, capitals
# --------------------------------------------------------------------------------------------

# Common short forms and demonyms that suffix rules would miss, mapped to ISO 3166-1 alpha-2.
COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "american": "US", "americans": "US", "united states": "US", "uk": "GB", "u.k.": "GB",
    "britain": "GB", "great britain": "GB", "british": "GB", "french": "FR", "dutch": "NL",
    "swiss": "CH", "turkish": "TR", "turks": "TR", "saudi": "SA", "saudis": "SA", "emirati": "AE", "uae": "AE",
    "lebanese": "LB", "chinese": "CN", "japanese": "JP", "afghan": "AF", "filipino": "PH",
    "greek": "GR", "spanish": "ES", "portuguese": "PT", "danish": "DK", "swedish": "SE",
    "polish": "PL", "finnish": "FI", "irish": "IE", "palestinian": "PS", "palestinians": "PS",
    "palestine": "PS", "russia": "RU", "syria": "SY", "iran": "IR", "persian": "IR",
    "south korea": "KR", "north korea": "KP", "sudanese": "SD", "somali": "SO", "yemeni": "YE",
    "iraqi": "IQ", "israeli": "IL", "kuwaiti": "KW", "qatari": "QA", "omani": "OM",
    "bahraini": "BH", "pakistani": "PK",
}
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "s")


def _doc_text(doc: Doc) -> str:
    """The document's text, joined once: ``Doc.text`` rebuilds the string from every token on
    each access, which made place and time lookups quadratic in the article's length."""
    text = doc.user_data.get("sitrep.text")
    if text is None:
        text = doc.user_data["sitrep.text"] = doc.text
    return text


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str, str, str]]]:
    """(name → ISO2, capital → ISO2, ISO2 → (display name, capital, lat, lon)), loaded once."""
    import countrystatecity_countries as csc

    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    info: dict[str, tuple[str, str, str, str]] = {}
    for c in csc.get_countries():
        names[c.name.lower()] = c.iso2
        info[c.iso2] = (c.name, c.capital or "", c.latitude or "", c.longitude or "")
        if c.capital:
            capitals[c.capital.lower()] = c.iso2
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(c, attr, None)
                if v:
                    names.setdefault(v.lower(), c.alpha_2)
    except ImportError:  # pragma: no cover
        pass
    return names, capitals, info


@lru_cache(maxsize=8192)
def country_code(word: str, capitals: bool = False) -> str | None:
    """ISO2 of a country named, abbreviated or implied by a demonym ("Iranian" → "IR").

    With ``capitals`` a capital stands for its state ("Washington has blamed ...").
    """
    w = re.sub(r"\s+", " ", word.strip().lower())
    w = w.removeprefix("the ")
    if not w:
        return None
    if w in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[w]
    names, caps, _ = _country_tables()
    if w in names:
        return names[w]
    if capitals and w in caps:
        return caps[w]
    if len(w) < 4 or not w[0].isalpha() or " " in w:
        return None
    for suf in _DEMONYM_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            stem = w[: -len(suf)]
            hits = sorted((n for n in names if n.startswith(stem)), key=len)
            if hits:
                return names[hits[0]]
    return None


def country_name(iso2: str) -> str:
    """Display name of a country ("US" → "United States")."""
    return _country_tables()[2].get(iso2, (iso2, "", "", ""))[0]


def capital_of(iso2: str) -> str | None:
    return _country_tables()[2].get(iso2, ("", "", "", ""))[1] or None


def country_point(iso2: str) -> tuple[float | None, float | None]:
    """A representative point of a country (the package's centroid), for country precision."""
    info = _country_tables()[2].get(iso2)
    try:
        return float(info[2]), float(info[3])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None, None


# --------------------------------------------------------------------------------------------
# Geocoding through the geo package, when it is there
# --------------------------------------------------------------------------------------------


def geocode(text: str, start: int, end: int, doc_text: str, countries: Iterable[str] = ()) -> Place | None:
    """Adapter over ``sitrep.events.geo.geocode_mention``; None when it is absent or fails."""
    try:
        from sitrep.events.geo import geocode_mention  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        return geocode_mention(text, start, end, doc_text, list(countries))
    except Exception:  # a geocoder failure must not lose the event
        return None


def geocoder_available() -> bool:
    try:
        from sitrep.events.geo import geocode_mention  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Parse helpers
# --------------------------------------------------------------------------------------------


def _ent_of(tok):
    """The named-entity span containing ``tok`` (doc-level, so a span across a bad sentence
    break still counts), or None."""
    if not tok.ent_type_:
        return None
    doc = tok.doc
    index = doc.user_data.get("sitrep_ent_index")
    if index is None:
        index = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        doc.user_data["sitrep_ent_index"] = index
    return index.get(tok.i)


def _np_bounds(tok) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by ``tok``: its pre-modifiers and itself,
    without determiners, relative clauses or prepositional tails."""
    ent = _ent_of(tok)
    lo, hi = tok.i, tok.i + 1
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "poss", "nummod", "quantmod", "case", "npadvmod", "punct") and child.pos_ != "DET":
            lo = min(lo, child.left_edge.i)
    for child in tok.rights:
        if child.dep_ in ("case",) or (child.dep_ == "appos" and child.ent_type_ in PLACE_LABELS | {"EQUIPMENT"} and child.i == hi):
            hi = max(hi, child.right_edge.i + 1)
    doc = tok.doc
    while lo < tok.i and (doc[lo].pos_ in ("DET", "PUNCT") or doc[lo].is_space):
        lo += 1
    while hi > tok.i + 1 and (doc[hi - 1].pos_ == "PUNCT" or doc[hi - 1].is_space):
        hi -= 1
    if ent is not None:
        lo, hi = min(lo, ent.start), max(hi, ent.end)
        while lo < hi and doc[lo].lower_ in ("the", "a", "an"):
            lo += 1
    return lo, hi


def _text(doc, bounds: tuple[int, int]) -> str:
    return doc[bounds[0]:bounds[1]].text.strip()


def _char_bounds(doc, bounds: tuple[int, int]) -> tuple[int, int]:
    span = doc[bounds[0]:bounds[1]]
    return span.start_char, span.end_char


def _is_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def _child(tok, *deps: str):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _prep_objects(tok, preps: set[str]):
    """(preposition, object) pairs hanging off ``tok``."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.append((c.lower_, o))
    return out


def _antecedent(tok):
    """For a relative pronoun, the noun its clause modifies ("the base, which ..." → base)."""
    if tok.lower_ in RELATIVE_PRONOUNS:
        verb = tok.head
        while verb.dep_ in ("conj",) and verb.head != verb:
            verb = verb.head
        if verb.dep_ in ("relcl", "acl") and verb.head != verb:
            return verb.head
    return tok


def _clause_verb(tok):
    """The verb whose clause a token sits in (the token itself if it is a verb)."""
    t = tok
    for _ in range(8):
        if _is_verb(t) and t.dep_ not in ("amod", "compound"):
            return t
        if t.head == t:
            return t
        t = t.head
    return t


def _subject(verb, depth: int = 0):
    """The subject of ``verb``: its own, or for a controlled infinitive, conjunct or
    participle the subject of the verb it depends on ("the U.S. is ready to strike")."""
    if verb is None or depth > 4:
        return None
    s = _child(verb, "nsubj", "csubj")
    if s is not None:
        return _antecedent(s)
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "acomp") and verb.head != verb:
        head = verb.head
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("pobj", "dobj", "attr"):
            head = head.head.head if head.dep_ == "pobj" else head.head
        if head.dep_ == "prep":
            head = head.head
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and _child(verb, "nsubjpass") is None:
            if verb.tag_ == "VBG":  # "planes carrying soldiers": the noun is the subject
                return verb.head
        if _is_verb(head) or head.pos_ == "ADJ":
            return _subject(head, depth + 1)
    return None


# --------------------------------------------------------------------------------------------
# The frame of one trigger
# --------------------------------------------------------------------------------------------


@dataclass
class _Frame:
    tok: object
    trigger: Trigger
    subtype: str | None
    start: int
    end: int
    actor: object = None
    target: object = None
    theme: object = None
    equipment: object = None
    places: list = field(default_factory=list)


def _match_trigger(tok) -> tuple[Trigger, str | None, int, int] | None:
    """(lexicon entry, attack subtype, char start, char end) when ``tok`` opens an event."""
    if tok.ent_type_ in NAME_LABELS_NOT_TRIGGERS and tok.pos_ == "PROPN":
        return None
    lemma = tok.lemma_.lower()
    start, end = tok.idx, tok.idx + len(tok.text)
    if _is_verb(tok):
        for c in tok.children:
            key = (lemma, c.lemma_.lower())
            if key in ontology.PHRASE_TRIGGERS and c.dep_ in ("prt", "prep", "dobj"):
                trig = ontology.PHRASE_TRIGGERS[key]
                if c.dep_ in ("prt",) or abs(c.i - tok.i) <= 3:
                    s, e = min(start, c.idx), max(end, c.idx + len(c.text))
                    return trig, trig.subtype, s, e
        trig = ontology.VERB_TRIGGERS.get(lemma)
        if trig is None and tok.tag_ == "VBG" and tok.dep_ in ("pobj", "dobj", "nsubj"):
            trig = ontology.NOUN_TRIGGERS.get(tok.lower_)
        if trig is None:
            # "protesters gathered", "rioters blocked the road": the subject makes it a protest
            subj = _child(tok, "nsubj")
            kind = ontology.PROTESTER_NOUNS.get(subj.lemma_.lower()) if subj is not None else None
            if kind and tok.dep_ not in ("relcl", "acl", "amod"):
                trig = Trigger(kind)
        if trig is None:
            return None
        return trig, trig.subtype, start, end
    if tok.pos_ in ("NOUN", "PROPN"):
        if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.lemma_.lower() in ontology.NOUN_TRIGGERS:
            return None  # "missile strike": the head is the trigger
        trig = ontology.NOUN_TRIGGERS.get(lemma) or ontology.NOUN_TRIGGERS.get(tok.lower_)
        if trig is None:
            return None
        subtype = trig.subtype
        # "air strike", "Iranian missile strike", "rocket attacks": the modifier fixes the subtype
        for c in tok.lefts:
            mod = c.lemma_.lower()
            if c.dep_ in ("compound", "amod", "nmod") and mod in ontology.SUBTYPE_MODIFIERS:
                subtype = ontology.SUBTYPE_MODIFIERS[mod]
                if c.i >= tok.i - 2 and all(t.dep_ in ("compound", "amod", "nmod") for t in tok.doc[c.i:tok.i]):
                    start = min(start, c.idx)
        return trig, subtype, start, end
    return None


def _is_military(tok) -> bool:
    if tok is None:
        return False
    words = {tok.lemma_.lower(), tok.lower_, tok.lower_.rstrip("s")}
    if words & MILITARY_NOUNS or tok.ent_type_ == "EQUIPMENT":
        return True
    for c in tok.children:  # "planes carrying soldiers", "batteries of missiles"
        if c.dep_ in ("acl", "prep", "conj"):
            for g in c.subtree:
                if g.pos_ in ("NOUN", "PROPN") and ({g.lemma_.lower(), g.lower_.rstrip("s")} & MILITARY_NOUNS):
                    return True
    return False


def _is_equipment(tok) -> bool:
    return tok is not None and (
        tok.ent_type_ == "EQUIPMENT" or bool({tok.lemma_.lower(), tok.lower_.rstrip("s")} & EQUIPMENT_NOUNS)
    )


def _is_time_token(tok) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_.rstrip(".") in _TIME_WORDS


_TIME_WORDS = {m.lower() for m in calendar.month_name if m} | {d.lower() for d in calendar.day_name} | {
    "yesterday", "today", "tonight", "week", "month", "year", "weekend", "morning", "evening", "night"}


def _light_verb_subject(noun):
    """For a noun event carried by a light verb: (subject, 'actor' or 'target', verb)."""
    n = noun
    # climb "a string of airstrikes" → "string"
    while n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.lemma_.lower() in QUANTITY_NOUNS:
        n = n.head.head
    if n.dep_ in ("dobj", "nsubjpass") and _is_verb(n.head):
        verb = n.head
        lemma = verb.lemma_.lower()
        if lemma in LIGHT_VERBS:
            return _subject(verb), "actor", verb
        if lemma in PATIENT_VERBS:
            return _subject(verb), "target", verb
    return None, None, None


def _read_frame(tok, trig: Trigger, subtype: str | None, start: int, end: int) -> _Frame:
    fr = _Frame(tok, trig, subtype, start, end)
    etype = trig.type
    if _is_verb(tok):
        passive = _child(tok, "nsubjpass") is not None or _child(tok, "auxpass") is not None
        # Headline passives drop the auxiliary: "Three killed in attack", "militants killed".
        bare_participle = tok.tag_ == "VBN" and _child(tok, "aux", "auxpass") is None and tok.dep_ in ("acl", "ROOT")
        obj = _child(tok, "dobj")
        patient = _child(tok, "nsubjpass")
        if bare_participle and obj is None:
            passive = True
            patient = patient or _child(tok, "nsubj") or (tok.head if tok.dep_ == "acl" else None)
        subj = _subject(tok) if not passive else None
        if patient is not None:
            patient = _antecedent(patient)
        agent = None
        for prep, o in _prep_objects(tok, {"by"}):
            if passive or _child(tok, "agent") is not None:
                agent = o
        if passive and patient is None and tok.dep_ == "acl":
            patient = tok.head
        if etype in ("deploy", "withdraw", "exercise"):
            fr.actor = agent if passive else subj
            fr.theme = patient if passive else obj
            if fr.theme is None and subj is not None and _is_military(subj):
                fr.theme = subj  # "planes ... landed", "forces withdrew"
            if fr.actor is not None and fr.actor == fr.theme and not _country_modifier(fr.actor):
                fr.actor = None
        else:
            fr.actor = agent if passive else subj
            fr.target = patient if passive else obj
            for prep, o in _prep_objects(tok, {"on", "against"}):
                if fr.target is None:
                    fr.target = o
        if fr.actor is not None and _is_equipment(fr.actor) and etype not in ("deploy", "withdraw", "exercise"):
            fr.equipment = fr.actor  # "hit by Iranian missiles": missiles are the means
        if fr.theme is not None and _is_equipment(fr.theme):
            fr.equipment = fr.theme
        if fr.actor is not None and fr.actor.pos_ in ("NOUN", "PROPN") and ontology.NOUN_TRIGGERS.get(fr.actor.lemma_.lower()):
            # "the air strike, which killed X": the actor is the strike's actor
            inner = _match_trigger(fr.actor)
            if inner:
                sub = _read_frame(fr.actor, inner[0], inner[1], inner[2], inner[3])
                fr.equipment = fr.equipment or sub.equipment
                fr.places = sub.places[:]
                fr.actor = sub.actor
    else:
        # Noun trigger: possessor, nationality or agent names the actor.
        for c in tok.lefts:
            if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN"):
                fr.actor = c
            elif c.dep_ in ("compound", "nmod", "amod") and c.lemma_.lower() not in ontology.SUBTYPE_MODIFIERS:
                if c.ent_type_ in ("NORP", "GPE", "ORG", "GROUP") or country_code(c.text):
                    fr.actor = fr.actor or c
            elif c.dep_ in ("compound", "nmod") and c.lemma_.lower() in ontology.SUBTYPE_MODIFIERS:
                if fr.equipment is None and _is_equipment(c):
                    fr.equipment = c
                for cc in c.lefts:  # "Iranian missile strike": the nationality sits on "missile"
                    if cc.ent_type_ in ("NORP", "GPE") or country_code(cc.text):
                        fr.actor = fr.actor or cc
        for prep, o in _prep_objects(tok, {"by", "of", "on", "against", "with"}):
            if prep == "by":
                fr.actor = o
            elif prep == "of":
                if etype in INTRANSITIVE_NOUN_TYPES:
                    if fr.actor is None:
                        fr.actor = o
                        if etype in ("deploy", "withdraw"):
                            fr.theme = o
                elif fr.target is None:
                    fr.target = o
            elif prep in ("on", "against") and fr.target is None:
                fr.target = o
        for c in tok.children:  # "the air strike, which killed X": X is the target
            if c.dep_ == "relcl" and fr.target is None and c.lemma_.lower() in ontology.VERB_TRIGGERS:
                obj = _child(c, "dobj")
                if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS:
                    fr.target = obj
        subj, role, _verb = _light_verb_subject(tok)
        if subj is not None:
            if role == "actor" and fr.actor is None:
                fr.actor = subj
            elif role == "target" and fr.target is None:
                fr.target = subj
        if fr.actor is not None and _is_equipment(fr.actor) and fr.equipment is None:
            fr.equipment = fr.actor
    if etype in ("attack", "clash") or ontology.root_type(etype) == "attack":
        sides = _prep_objects(tok, {"between"})
        if not sides and not _is_verb(tok) and tok.dep_ in ("nsubj", "nsubjpass"):
            sides = _prep_objects(tok.head, {"between"})  # "clashes erupted between A and B"
        for prep, o in sides:
            # "clashes between A and B": A and B are the two sides
            if fr.actor is None:
                fr.actor = o
                other = _child(o, "conj")
                if other is not None and fr.target is None:
                    fr.target = other
        if etype == "attack" and fr.subtype is None:
            fr.subtype = _subtype_from_means(tok, fr)
    if fr.target is not None and _is_time_token(fr.target):
        fr.target = None  # "a pullout on March 29": a date, not a target
    fr.places = fr.places or _place_candidates(fr)
    return fr


def _subtype_from_means(tok, fr: _Frame) -> str | None:
    """The attack subtype the means imply: "fired mortar shells" → shelling, "by a landmine"
    → explosive, "using a drone" → drone strike."""
    means = [fr.equipment, _child(tok, "dobj")]
    means += [o for _p, o in _prep_objects(tok, {"with", "using", "by"})]
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ("use", "employ"):
            means.append(_child(c, "dobj"))
    for m in means:
        if m is None:
            continue
        for t in [m] + [c for c in m.lefts if c.dep_ in ("compound", "amod", "nmod")]:
            sub = ontology.SUBTYPE_MODIFIERS.get(t.lemma_.lower()) or ontology.SUBTYPE_MODIFIERS.get(t.lower_.rstrip("s"))
            if sub:
                return sub
    return None


def _is_civilian(tok) -> bool:
    if tok is None:
        return False
    tok = _antecedent(tok)
    words = {tok.lemma_.lower(), tok.lower_.rstrip("s")}
    words |= {c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound")}
    return bool(words & ontology.CIVILIAN_NOUNS)


def _riot_cues(tok) -> bool:
    """Whether the sentence of a demonstration tells of violence by its participants."""
    return any(t.lemma_.lower() in ontology.RIOT_CUES for t in tok.sent)


def _country_modifier(tok) -> str | None:
    """ISO2 of a nationality or country word modifying ``tok`` ("US troops", "Iranian missiles")."""
    if tok is None:
        return None
    ent = _ent_of(tok)
    if ent is not None and ent.label_ in ("GPE", "NORP"):
        code = country_code(ent.text, capitals=ent.label_ == "GPE")
        if code:
            return code
    code = country_code(tok.text)
    if code:
        return code
    for c in tok.subtree:
        if c.i >= tok.i:
            break
        if c.dep_ in ("compound", "amod", "nmod", "poss") or c.head.dep_ in ("compound", "amod", "nmod", "poss"):
            code = country_code(c.text)
            if code and c.ent_type_ in ("", "GPE", "NORP"):
                return code
    return None


def _name_actor(tok) -> str | None:
    """How an analyst names an actor: a state for its forces, weapons or capital; otherwise the
    name as written (without its determiner)."""
    if tok is None:
        return None
    tok = _antecedent(tok)
    if tok.pos_ == "PRON":
        return None
    ent = _ent_of(tok)
    if ent is not None and ent.label_ == "GPE":
        code = country_code(ent.text, capitals=True)
        if code:
            return country_name(code)
    if ent is not None and ent.label_ == "NORP" and ent.root == tok:
        code = country_code(ent.text)
        if code:
            return country_name(code)
    code = country_code(tok.text, capitals=tok.ent_type_ == "GPE")
    if code:
        return country_name(code)
    lemma = tok.lemma_.lower()
    if lemma in FORCE_HEADS or _is_equipment(tok) or tok.lower_ in FORCE_HEADS:
        code = _country_modifier(tok)
        if code:
            return country_name(code)
    text = _text(tok.doc, _np_bounds(tok))
    return text or None


def _describe(tok) -> str | None:
    if tok is None:
        return None
    tok = _antecedent(tok)
    if tok.pos_ == "PRON":
        return None
    return _text(tok.doc, _np_bounds(tok)) or None


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


def _is_place(tok) -> bool:
    ent = _ent_of(tok)
    if ent is not None:
        return ent.label_ in PLACE_LABELS or (ent.label_ in ("PERSON", "ORG") and _locative_slot(tok))
    if tok.lemma_.lower() in PLACE_NOUNS:
        return True
    return tok.pos_ == "PROPN" and tok.is_title and country_code(tok.text) is not None


def _is_named_place(doc, bounds: tuple[int, int]) -> bool:
    """Whether a phrase names a place ("Ain al-Asad base", "Kirkuk") rather than describing
    one by its owner ("the U.S. military base", "PMU's positions", "Shia facilities")."""
    for t in doc[bounds[0]:bounds[1]]:
        ent = _ent_of(t)
        label = ent.label_ if ent is not None else ""
        if label in ("NORP", "DATE", "TIME", "CARDINAL", "EQUIPMENT"):
            continue
        if label in ("ORG", "GROUP", "PERSON") and not _locative_slot(ent.root):
            continue  # the small model reads Arabic toponyms as people: trust the syntax
        if t.dep_ in ("poss", "case"):
            continue
        if country_code(t.text) and t.dep_ in ("compound", "nmod", "amod") and t.head.i < bounds[1] and t.head.i != t.i:
            continue
        if label in PLACE_LABELS or t.pos_ == "PROPN":
            return True
    return False


def _locative_slot(tok) -> bool:
    """Whether a noun sits where a place goes: object of "in/at/near/...", or "the village of X"."""
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ in PLACE_PREPS - {"on"}:
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_NOUNS


def _place_bounds(tok) -> tuple[int, int] | None:
    """Token range naming the place headed by ``tok``; an unnamed "base in Kirkuk" or "the
    town of Jurf al-Nasr" resolves to the name inside it."""
    ent = _ent_of(tok)
    if ent is not None and (ent.label_ in PLACE_LABELS or (ent.label_ in ("PERSON", "ORG") and _locative_slot(tok))):
        return ent.start, ent.end
    if tok.lemma_.lower() in PLACE_NOUNS:
        if _is_named_place(tok.doc, _np_bounds(tok)):
            return _np_bounds(tok)
        for _prep, o in _prep_objects(tok, {"of", "in", "at", "near", "outside"}):
            inner = _place_bounds(o)
            if inner and (o.pos_ == "PROPN" or _ent_of(o) is not None):
                return inner
        return _np_bounds(tok)
    if tok.pos_ == "PROPN":
        return _np_bounds(tok)
    return None


def _place_candidates(fr: _Frame) -> list[tuple[int, int]]:
    tok = fr.tok
    doc = tok.doc
    etype = fr.trigger.type
    preps = set(PLACE_PREPS) - {"on"}
    if etype not in ("withdraw",):
        preps -= {"from"}
    if etype not in ("deploy", "withdraw"):
        preps -= {"to", "into", "towards", "toward"}
    holders = [tok]
    if not _is_verb(tok):
        _s, _r, verb = _light_verb_subject(tok)
        if verb is not None:
            holders.append(verb)
        elif tok.dep_ in ("nsubj", "nsubjpass") and _is_verb(tok.head):
            holders.append(tok.head)  # "clashes erupted in X", "the attack took place at X"
    if _is_verb(tok):
        # "shot and killed ... in X", "targeted a hideout and killed ... in X": conjoined
        # verbs share their circumstances.
        holders += [c for c in tok.children if c.dep_ == "conj" and _is_verb(c)]
        if tok.dep_ == "conj" and _is_verb(tok.head):
            holders.append(tok.head)
    for arg in (fr.actor, fr.theme):
        if arg is not None and not _is_verb(arg):
            holders.append(arg)  # "workers in Kut protested": the place sits on the actor
    out: list[tuple[int, int]] = []
    for h in holders:
        for _prep, o in _prep_objects(h, preps):
            if _is_place(o) and o.lemma_.lower() not in GENERIC_PLACE_HEADS:
                b = _place_bounds(o)
                if b:
                    out.append(b)
    # A target that is itself a place: "the base ... was shelled".
    arg = fr.target
    if arg is not None and _is_place(arg) and arg.lemma_.lower() not in GENERIC_PLACE_HEADS and arg.pos_ != "PRON":
        b = _place_bounds(_antecedent(arg))
        if b:
            out.append(b)
    if not out:
        # The nearest place name in the clause that is not a nationality on an argument.
        sent = tok.sent
        verb = _clause_verb(tok)
        best = None
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS or ent.start < sent.start or ent.end > sent.end:
                continue
            root = ent.root
            if root.dep_ in ("compound", "nmod", "amod", "poss", "nsubj", "nsubjpass", "dobj") and root.head.lemma_.lower() not in PLACE_NOUNS:
                continue
            if _clause_verb(root) != verb and _clause_verb(root) != tok:
                continue
            dist = abs(root.i - tok.i)
            if best is None or dist < best[0]:
                best = (dist, (ent.start, ent.end))
        if best is None and etype in PLACED_TYPES:
            # Parses of long coded sentences often attach "in X" to the wrong word: as a last
            # resort take the nearest place name of the sentence in a locative slot.
            for ent in doc.ents:
                if ent.start < sent.start or ent.end > sent.end:
                    continue
                root = ent.root
                ok = _locative_slot(root) and ent.label_ in PLACE_LABELS | {"PERSON", "ORG"}
                if ok and not country_code(ent.text):
                    dist = abs(root.i - tok.i) + (0 if root.i > tok.i else 5)
                    if best is None or dist < best[0]:
                        best = (dist, (ent.start, ent.end))
        if best:
            out.append(best[1])
    return out


def _resolve_definite(doc, bounds: tuple[int, int], history: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """"the base" with no name: the place named in this or the previous sentence, else the last
    place of the same kind ("... base") named before. Containers ("the province of Anbar") are
    not in ``history``."""
    span = doc[bounds[0]:bounds[1]]
    if any(t.pos_ == "PROPN" for t in span):
        return None
    head = span.root.lemma_.lower()
    if head not in PLACE_NOUNS:
        return None
    earlier = [(s, e, h) for s, e, h in history if s < bounds[0]]
    sent_start = doc[bounds[0]].sent.start
    prev_start = doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
    for s, e, _h in reversed(earlier):
        if s >= prev_start:
            return s, e
    for s, e, h in reversed(earlier):
        if h == head:
            return s, e
    return None


def context_countries(doc) -> list[str]:
    """ISO2 codes of the countries a report names, most named first (the geocoder's prior)."""
    counts: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP"):
            code = country_code(ent.text)
            if code:
                counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


def _make_place(doc, bounds, countries, note: str | None = None) -> Place:
    s, e = _char_bounds(doc, bounds)
    name = _doc_text(doc)[s:e]
    place = geocode(name, s, e, _doc_text(doc), countries)
    if (place is None or place.precision in COARSE_PRECISIONS) and not country_code(name, capitals=True):
        # One sense per discourse: another mention of the same name may geocode better.
        for m in re.finditer(re.escape(name), _doc_text(doc)):
            if m.start() == s:
                continue
            other = geocode(name, m.start(), m.end(), _doc_text(doc), countries)
            if other is not None and other.precision not in COARSE_PRECISIONS:
                place = other
                break
    if place is None:
        place = Place(name=name, lat=None, lon=None, precision="unknown")
    place.start, place.end = s, e
    if note and not place.note:
        place.note = note
    return place


def _capital_place(actor_tok, countries) -> Place | None:
    """A state institution acting with no place named acts in its capital."""
    if actor_tok is None or actor_tok.lemma_.lower() not in STATE_INSTITUTIONS:
        return None
    code = _country_modifier(actor_tok)
    if not code:
        return None
    cap = capital_of(code)
    if not cap:
        return None
    place = geocode(cap, 0, len(cap), cap, [code])
    if place is None:
        place = Place(name=cap, lat=None, lon=None, precision="unknown", country=code)
    s, e = _char_bounds(actor_tok.doc, _np_bounds(actor_tok))
    place.start, place.end = s, e
    place.note = f"placed at {cap}: a state institution acting with no place named sits in its capital"
    return place


def _place_in_report_country(events: list[Event]) -> None:
    """An act of force the report does not place happened, at country precision, in the country
    where the report's other events are placed (as ACLED codes vaguely located events)."""
    counts: dict[str, int] = {}
    for e in events:
        if e.place is not None and e.place.country and e.place.lat is not None:
            counts[e.place.country] = counts.get(e.place.country, 0) + 1
    if not counts:
        return
    code = max(counts, key=lambda c: counts[c])
    lat, lon = country_point(code)
    for e in events:
        if e.place is None and e.type in PLACED_TYPES:
            e.place = Place(
                name=country_name(code), lat=lat, lon=lon, precision="country", country=code,
                note="not placed by the text; placed in the country of the report's other events",
            )


# --------------------------------------------------------------------------------------------
# Time and status
# --------------------------------------------------------------------------------------------


def _time_spans(doc, text: str) -> list[tuple[int, int, object]]:
    """Time expressions of the document as (char start, char end, token span)."""
    found = find_time_expressions(text)
    taken = [(s, e) for s, e, _ in found]
    for ent in doc.ents:
        if ent.label_ == "DATE" and not any(s < ent.end_char and ent.start_char < e for s, e in taken):
            found.append((ent.start_char, ent.end_char, ent.text))
    out = []
    for s, e, _t in sorted(found):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            out.append((s, e, span))
    return out


def _governor(span):
    """The verb a time expression modifies (None for a verbless fragment)."""
    t = span.root
    for _ in range(8):
        if t.head == t:
            return t if _is_verb(t) else None
        t = t.head
        if span.start <= t.i < span.end:
            continue
        if _is_verb(t) and t.dep_ not in ("amod",):
            return t
    return None


def _fragment_before(sent):
    """The verbless fragment just before ``sent`` on the same line ("Last week, Kata'ib" split
    off by the parser), or None."""
    doc = sent.doc
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    between = _doc_text(doc)[prev.end_char:sent.start_char]
    if "\n" in between or prev.text.rstrip().endswith((".", "!", "?", "\u201d", '"', ":")):
        return None
    if any(_is_verb(t) for t in prev):
        return None
    return prev


def _find_time(fr: _Frame, times) -> tuple[int, int, str] | None:
    tok = fr.tok
    doc = tok.doc
    verb = _clause_verb(tok)
    sent = tok.sent
    frag = _fragment_before(sent)
    lo = frag.start if frag is not None else sent.start
    cands = [(s, e, sp) for s, e, sp in times if sp.start >= lo and sp.end <= sent.end]
    for s, e, sp in cands:
        gov = _governor(sp)
        inside_trigger = not _is_verb(tok) and any(a == tok for a in sp.root.ancestors)
        if gov == verb or gov == tok or inside_trigger or (gov is None and frag is not None and sp.start < sent.start):
            return s, e, _doc_text(doc)[s:e]
    # "said Sunday that planes had landed": the report's day bounds the event.
    up = verb
    for _ in range(3):
        if up.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "pcomp", "relcl") or up.head == up:
            break
        up = up.head
        if up.pos_ == "ADP":
            up = up.head
        for s, e, sp in cands:
            if _governor(sp) == up:
                return s, e, _doc_text(doc)[s:e]
    return None


def _status(fr: _Frame, claim_denied: bool) -> str:
    tok = fr.tok
    chain = [tok]
    t = tok
    for _ in range(5):
        if t.head == t:
            break
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in REPORTING_LEMMAS:
            break
        t = t.head
        chain.append(t)
    verb = _clause_verb(tok)
    if verb not in chain:
        chain.insert(1, verb)
    status = "asserted"
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        kids = list(t.children)
        if i > 0 and lemma in DENY_LEMMAS:
            return "denied"
        if (i == 0 or t == verb) and any(c.dep_ == "neg" for c in kids) and lemma not in ASPECTUAL_LEMMAS:
            return "denied"
        if i == 0 and any(c.dep_ == "relcl" and c.lemma_.lower() in DENY_LEMMAS for c in kids):
            return "denied"  # "rocket attacks which the group has denied"
        if i > 0 and lemma in THREAT_LEMMAS:
            return "threatened"
        if i > 0 and t.pos_ == "ADJ" and lemma in THREAT_ADJECTIVES:
            return "threatened"
        if i == 0 and any(c.dep_ == "amod" and c.lemma_.lower() in ("plan", "planned", "proposed", "expected") for c in kids):
            status = "planned"
        if status == "asserted" and any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in kids):
            status = "planned"
        if status == "asserted" and i > 0 and lemma in PLAN_LEMMAS:
            status = "planned"
        if status == "asserted" and any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in kids):
            status = "hypothetical"
        if status == "asserted" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in kids):
            status = "hypothetical"
    if claim_denied:
        return "denied"
    return status


# --------------------------------------------------------------------------------------------
# The stage function
# --------------------------------------------------------------------------------------------


def extract_events(article: Article, doc) -> list[Event]:
    """Events of one article, read from its parse ``doc`` (of ``article.text``)."""
    text = article.text
    times = _time_spans(doc, text)
    countries = context_countries(doc)
    events: list[Event] = []
    place_history: list[tuple[int, int, str]] = []  # named places seen so far (token range, head)
    last_actor: dict[str, tuple[int, str]] = {}  # type → (sentence start token, actor)

    for sent in doc.sents:
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
            acled_type, acled_sub = ontology.acled_for(etype, fr.subtype, civilian_target=_is_civilian(fr.target))
            events.append(
                Event(
                    id=f"{article.id}:e{len(events) + 1}",
                    article_id=article.id,
                    type=etype,
                    trigger=Cue(text=text[start:end], start=start, end=end),
                    status=_status(fr, denied),
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
        # Remember the named places of this sentence, for "the base" later on.
        for ent in doc.ents:
            if ent.start >= sent.start and ent.end <= sent.end and ent.label_ in PLACE_LABELS:
                root = ent.root
                contained = root.dep_ == "pobj" and root.head.head.lemma_.lower() in PLACE_NOUNS
                if not contained and not country_code(ent.text):
                    heads = {t.lemma_.lower() for t in ent} & PLACE_NOUNS
                    place_history.append((ent.start, ent.end, next(iter(heads), "")))
    _place_in_report_country(events)
    score_events(events, doc, article)
    return events
