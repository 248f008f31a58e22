"""Where an event happened: which noun phrases are places, what "the base" refers back to, the
countries a report is about, and the ``Place`` for a name, geocoded through ``sitrep.events.geo``
(a state institution's capital when no place is named; the report's country for events that are
always placed somewhere)."""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from sitrep.events.geo import geocode_mention
from sitrep.events.geo.context import ArticleContext, article_context
from sitrep.events.geo.gazetteer import GazPlace
from sitrep.vocab import PlacePrecision
from sitrep.countries import capital_of, country_code, country_name, country_point
from sitrep.events.countries import _country_modifier
from sitrep.events.syntax import (
    PLACE_LABELS,
    _char_bounds,
    _doc_text,
    _ent_of,
    _np_bounds,
    _prep_objects,
)
from sitrep.model import Event, Place

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
# Event types an analyst always places somewhere (if only in a country).
PLACED_TYPES = {"attack", "clash", "kill", "assault", "abduct", "deploy", "withdraw", "exercise", "protest", "riot", "arrest"}
COARSE_PRECISIONS = {"country", "unknown"}
#: How many of a report's countries weigh as its own (most named first).
CONTEXT_COUNTRIES = 6


def geocode(text: str, start: int, end: int, doc_text: str, countries: Iterable[str] = (),
            strict: bool = False, divisions: Sequence[GazPlace] = ()) -> Place | None:
    """Adapter over ``sitrep.events.geo.geocode_mention``; None when it fails. ``strict``: the
    NER calls the name a person or organisation ("Macron", "Cornell"), so only a strong
    gazetteer match makes it a place."""
    try:
        return geocode_mention(text, start, end, doc_text, list(countries), strict=strict,
                               divisions=divisions)
    except Exception:  # a geocoder failure must not lose the event
        return None


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
    return list(article_context_of(doc).countries)


def article_context_of(doc, home_country: str | None = None,
                       home_division: str | None = None) -> ArticleContext:
    """The report's countries and first-level divisions, read once per parse from the names the
    NER calls places or peoples, by the one context reader (``sitrep.events.geo.context``).
    The events stage reads it first with the outlet's home (``home_country``/``home_division``,
    ``sitrep.entities.geo.outlet_home``) and hands the same context to the location of the
    article's place mentions, so it is read once per article."""
    last = _LAST_CONTEXT[0] if _LAST_CONTEXT else None
    if last is not None and last[0] is doc and (home_country is None or last[2] == (home_country, home_division)):
        return last[1]
    names = [ent.text for ent in doc.ents if ent.label_ in ("GPE", "NORP", "LOC")]
    ctx = article_context(_doc_text(doc), mentions=names, top=CONTEXT_COUNTRIES,
                          home_country=home_country, home_division=home_division)
    _LAST_CONTEXT[:] = [(doc, ctx, (home_country, home_division))]  # not on doc.user_data: a Doc may be serialised
    return ctx


# The context of the report being read (one entry: reports are read one at a time).
_LAST_CONTEXT: list[tuple[object, ArticleContext, tuple[str | None, str | None]]] = []


def _make_place(doc, bounds, countries, note: str | None = None) -> Place:
    s, e = _char_bounds(doc, bounds)
    name = _doc_text(doc)[s:e]
    ents = [_ent_of(t) for t in doc[bounds[0]:bounds[1]]]
    strict = any(ent is not None and ent.label_ in ("PERSON", "ORG") for ent in ents)
    divisions = article_context_of(doc).divisions
    place = geocode(name, s, e, _doc_text(doc), countries, strict=strict, divisions=divisions)
    if (place is None or place.precision in COARSE_PRECISIONS) and not country_code(name, capitals=True):
        # One sense per discourse: another mention of the same name may geocode better.
        for m in re.finditer(re.escape(name), _doc_text(doc)):
            if m.start() == s:
                continue
            other = geocode(name, m.start(), m.end(), _doc_text(doc), countries, strict=strict,
                            divisions=divisions)
            if other is not None and other.precision not in COARSE_PRECISIONS:
                place = other
                break
    if place is None:
        place = Place(name=name, lat=None, lon=None, precision=PlacePrecision.UNKNOWN)
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
        place = Place(name=cap, lat=None, lon=None, precision=PlacePrecision.UNKNOWN, country=code)
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
                name=country_name(code), lat=lat, lon=lon, precision=PlacePrecision.COUNTRY, country=code,
                note="not placed by the text; placed in the country of the report's other events",
            )
