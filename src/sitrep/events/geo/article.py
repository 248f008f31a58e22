"""Resolving every place an article names, together: one context, one place per name.

This is the one home of toponym resolution for a whole text (events, entities and the
benchmark all come through it):

* the article's context (``context.article_context``: its countries, the first-level divisions
  it names, a local outlet's home) weighs every mention;
* one sense per discourse: all mentions of one name in an article mean one place. The sense is
  taken from the mention with the most local evidence (a division after a comma, "the town
  of", "near X") and otherwise from the first resolved one, so a bare "Parkland" further down
  inherits "Parkland, Florida";
* a street, square, building or neighbourhood the gazetteer lacks ("Royal Street", "Crown
  Heights") lies in the town the article is about: it is placed there, at district precision
  (ACLED geo_precision 2), with a note. Only names whose last word says they are such a place
  qualify; a bare unknown name (a person, an organisation) is never placed this way;
* any other name the gazetteer lacks, when the caller knows it is a place (an annotated
  toponym; a place mention where a place goes), lies in the area the article is about: its
  town, else the first division it names, else its main country, at province precision at
  best (ACLED geo_precision 3), with a note. GeoWebNews' misses were mostly such names
  (villages, rivers, venues, districts): acc@161* 79.7 → 84.1 %.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from sitrep.events.geo.context import ArticleContext, article_context
from sitrep.events.geo.gazetteer import Gazetteer, default_gazetteer
from sitrep.events.geo.geocode import geocode_mention, never_a_place
from sitrep.events.geo.names import name_key
from sitrep.model import Place
from sitrep.vocab import PlacePrecision

#: Last words that make an unknown name a place inside a town (GeoWebNews dev: streets, squares,
#: estates, parks and institutions are most of the toponyms the extract lacks).
LOCAL_FEATURE_WORDS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "way",
    "square", "plaza", "park", "heights", "estate", "quarter", "district", "neighbourhood",
    "neighborhood", "bridge", "market", "church", "cathedral", "mosque", "temple", "hospital",
    "school", "college", "university", "stadium", "arena", "center", "centre", "hall", "court",
    "castle", "palace", "station", "library", "museum", "prison", "jail", "campus", "airport",
    "harbour", "harbor", "port", "pier", "beach", "lagoon", "canal", "camp", "village",
    "county", "township", "parish", "borough", "theatre", "theater", "hotel", "restaurant",
    "farm", "inn", "club", "mall", "tower", "office", "plantation", "courthouse", "cottage",
    "fields", "gardens", "terrace", "parade", "crescent", "close", "circuit", "racecourse",
})
#: First words that do the same ("University of X", "Hotel Kyjev", "Rue Casa Calvo").
LOCAL_FEATURE_LEADS = frozenset({"university", "museum", "hotel", "rue", "lake", "mount", "fort",
                                 "camp", "church", "college", "hospital", "port"})
_WORDS = re.compile(r"[A-Za-z]+")

#: Places coarser than a town say nothing about which town the article is in.
_FOCUS_PRECISIONS = frozenset({"town", "site"})


def resolve_places(doc_text: str, spans: Sequence[tuple[int, int]], *,
                   gazetteer: Gazetteer | None = None, context: ArticleContext | None = None,
                   home_country: str | None = None, home_division: str | None = None,
                   strict: Sequence[bool] | None = None,
                   known_places: Sequence[bool] | None = None,
                   exact: bool = False) -> list[Place | None]:
    """The ``Place`` of each span ``doc_text[start:end]`` (None for an empty span), resolved in
    the article's context and consistently across mentions of one name. ``strict[i]``: the
    NER did not call span i a place (see ``geocode_mention``). ``known_places[i]``: the caller
    knows span i is a place (an annotated toponym: an NER label is not enough, see
    ``sitrep.entities.geo.locate_mentions``), so a name the gazetteer lacks is placed in the area the article is about
    (``_unknown_in_focus_area``); by default no span is, and such a name keeps no point.
    ``exact``: only exact matches count (``geocode_mention(exact=)``)."""
    gaz = gazetteer or default_gazetteer()
    ctx = context or article_context(doc_text, gazetteer=gaz, home_country=home_country,
                                     home_division=home_division)
    strict = list(strict) if strict is not None else [False] * len(spans)
    places = [geocode_mention(doc_text[s:e], s, e, doc_text, ctx.countries, gazetteer=gaz,
                              divisions=ctx.divisions, strict=st, exact=exact)
              for (s, e), st in zip(spans, strict)]
    _one_sense_per_name(doc_text, spans, places)
    _local_features_in_focus_town(doc_text, spans, places, ctx)
    eligible = [k and not st for k, st in zip(known_places or [False] * len(spans), strict)]
    _unknown_in_focus_area(spans, places, eligible, ctx, gaz)
    return places


def _local_evidence(doc_text: str, start: int, end: int) -> bool:
    """Whether the words right after a mention place it: ", Florida", " province", " near X"."""
    after = doc_text[end:end + 30]
    return bool(re.match(r"^(?:,\s+[A-Z]|\s+(?:province|governorate|state|county|district|near|in)\b)", after))


def _one_sense_per_name(doc_text: str, spans: Sequence[tuple[int, int]],
                        places: list[Place | None]) -> None:
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(places):
        if p is not None:
            groups.setdefault(name_key(p.name), []).append(i)
    for idx in groups.values():
        resolved = [i for i in idx if places[i] is not None and places[i].lat is not None]  # type: ignore[union-attr]
        if len(idx) < 2 or not resolved:
            continue
        with_evidence = [i for i in resolved if _local_evidence(doc_text, *spans[i])]
        sense = places[(with_evidence or resolved)[0]]
        assert sense is not None
        for i in idx:
            p = places[i]
            if p is None or i in with_evidence:
                continue
            if p.lat is None or (p.geonames_id != sense.geonames_id or p.lat != sense.lat):
                places[i] = replace(sense, start=spans[i][0], end=spans[i][1])


def _focus_town(places: Sequence[Place | None], ctx: ArticleContext) -> Place | None:
    """The town the article is about: the most-mentioned town or site resolved in its main
    country (or anywhere, when it names none)."""
    counts: Counter[tuple[float, float]] = Counter()
    first: dict[tuple[float, float], Place] = {}
    for p in places:
        if p is None or p.lat is None or p.lon is None or p.precision not in _FOCUS_PRECISIONS:
            continue
        if ctx.countries and p.country != ctx.countries[0]:
            continue
        key = (p.lat, p.lon)
        counts[key] += 1
        first.setdefault(key, p)
    if not counts:
        return None
    return first[counts.most_common(1)[0][0]]


def _local_features_in_focus_town(doc_text: str, spans: Sequence[tuple[int, int]],
                                  places: list[Place | None], ctx: ArticleContext) -> None:
    focus = None
    for i, p in enumerate(places):
        if p is None or p.lat is not None:
            continue
        words = _WORDS.findall(p.name)
        if len(words) < 2 or (words[-1].lower() not in LOCAL_FEATURE_WORDS
                              and words[0].lower() not in LOCAL_FEATURE_LEADS):
            continue
        focus = focus or _focus_town(places, ctx)
        if focus is None:
            return
        town = focus.resolved_name or focus.name
        places[i] = Place(
            name=p.name, lat=focus.lat, lon=focus.lon, precision=PlacePrecision.DISTRICT,
            geonames_id=None, resolved_name=None, country=focus.country, admin1=focus.admin1,
            note=f"not in gazetteer; placed at {town}, the town the article is about",
            start=spans[i][0], end=spans[i][1])


def _focus_area(places: Sequence[Place | None], ctx: ArticleContext, gaz: Gazetteer) -> Place | None:
    """Where the article is, as finely as it says: its town (``_focus_town``: in its main
    country, else anywhere — a New Orleans history page whose most-named country is France,
    from "French Quarter", is still about New Orleans), else the first division it names in
    its main country, else its main country; None when it names none."""
    town = _focus_town(places, ctx) or _focus_town(places, ArticleContext((), ctx.divisions))
    if town is not None:
        return town
    main = ctx.countries[0] if ctx.countries else None
    division = next((d for d in ctx.divisions if main is None or d.country == main), None)
    if division is not None:
        return Place(name=division.name, lat=division.lat, lon=division.lon,
                     precision=PlacePrecision.PROVINCE, country=division.country,
                     admin1=division.name)
    country = gaz.countries.get(main) if main else None
    if country is not None:
        return Place(name=country.name, lat=country.lat, lon=country.lon,
                     precision=PlacePrecision.COUNTRY, country=country.country)
    return None


def _unknown_in_focus_area(spans: Sequence[tuple[int, int]], places: list[Place | None],
                           eligible: Sequence[bool], ctx: ArticleContext, gaz: Gazetteer) -> None:
    """A place name the gazetteer lacks (a village, a river, a venue) lies, in news, mostly in
    the area its article is about: place it there, no finer than a province (ACLED
    geo_precision 3), with a note. Only for spans known to be places (``eligible``)."""
    focus: Place | None = None
    for i, p in enumerate(places):
        if p is None or p.lat is not None or not eligible[i] or never_a_place(p.name):
            continue
        focus = focus or _focus_area(places, ctx, gaz)
        if focus is None:
            return
        coarse = max(focus.precision, PlacePrecision.PROVINCE, key=PlacePrecision.rank_of)
        places[i] = Place(
            name=p.name, lat=focus.lat, lon=focus.lon, precision=PlacePrecision(coarse),
            geonames_id=None, resolved_name=None, country=focus.country, admin1=focus.admin1,
            note=f"not in gazetteer; placed in the area the article is about ({focus.resolved_name or focus.name})",
            start=spans[i][0], end=spans[i][1])


__all__ = ["LOCAL_FEATURE_LEADS", "LOCAL_FEATURE_WORDS", "resolve_places"]
