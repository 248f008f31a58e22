"""Where the places an article names are: a ``GeoPoint`` for each PLACE/FACILITY mention, and
for each entity the point most of its mentions were given.

The point comes from the same article-level resolution the events use
(``sitrep.events.geo.article.resolve_places``: the article's countries and divisions, a local
outlet's home, one sense per name), so a place is never located two ways. Only mentions the NER
calls places or facilities are located: persons and organisations are never places here.

The small NER calls many surnames and words places ("Chum", "Maloney", "Slowdowns"), and a
marker on a map is a claim a reader acts on, so a mention is located only by an exact match
(its name, an alternate name or initials: ``geocode_mention(exact=True)``), never by a spelling
variant or a name inside a longer one; a name the article also gives a person ("Sophie Chum",
"Mr Chum") needs a strong match (``strong_match``); and a place name the gazetteer lacks is put
in the area the article is about only when it stands where a place goes ("in Khayelitsha").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.model import Article, GeoPoint, Mention
from sitrep.vocab import EntityType, PlacePrecision

if TYPE_CHECKING:
    from sitrep.events.geo.context import ArticleContext

LOCATED_TYPES = frozenset({EntityType.PLACE, EntityType.FACILITY})


@lru_cache(maxsize=1)
def _outlets():
    from sitrep.outlets import OutletRegistry

    return OutletRegistry.load()


def outlet_home(outlet: str | None) -> tuple[str | None, str | None]:
    """(country, first-level division) a local outlet covers, from the outlet registry."""
    if not outlet:
        return None, None
    found = _outlets().by_name(outlet)
    return found.home() if found is not None else (None, None)


#: Titles that mark the name after them as a person's.
_TITLE_BEFORE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|Rev|Sgt|Capt|Gen|Col|Judge|Coach)\.?\s+"
_TITLED = re.compile(rf"\b{_TITLE_BEFORE}([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){{0,3}})")


def person_words(text: str, mentions: Iterable[Mention]) -> frozenset[str]:
    """The words an article gives persons: those of its PERSON mentions and of the names after
    a title ("Mr Chum")."""
    words = {w for m in mentions if m.type == EntityType.PERSON for w in m.text.split()}
    words.update(w for m in _TITLED.finditer(text) for w in m.group(1).split())
    return frozenset(words)


def person_like(name: str, persons: frozenset[str]) -> bool:
    """Whether the article gives this name to a person: every word of it is one of its
    ``person_words`` ("Chum" beside "Sophie Chum" or "Mr Chum")."""
    words = name.split()
    return bool(words) and all(w in persons for w in words)


def locate_mentions(article: Article, mentions: Sequence[Mention],
                    context: "ArticleContext | None" = None) -> None:
    """Set ``geo`` on each PLACE/FACILITY mention the resolution places (with coordinates).

    ``context``: the article's context already read for its events (``sitrep.events.places.
    article_context_of``), so it is read once per article; by default it is read here.

    A name the gazetteer lacks gets no geo here, even after "in" or "at": the fallback of
    ``resolve_places(known_places=...)`` to the area the article is about is for callers who know
    the span is a place. On 80 BBC business/entertainment/sport/tech articles it drew "Friends",
    "Phoebe", "No Way Out", "Sizzla" and "Manchester City" as places (2026-12-02)."""
    from sitrep.events.geo.article import resolve_places

    located = [m for m in mentions if m.type in LOCATED_TYPES]
    if not located:
        return
    country, division = outlet_home(article.outlet)
    persons = person_words(article.text, mentions)
    strict = [m.type != EntityType.PLACE or person_like(m.text, persons) for m in located]
    places = resolve_places(article.text, [(m.start, m.end) for m in located], context=context,
                            home_country=country, home_division=division, strict=strict, exact=True)
    for m, p in zip(located, places):
        if p is not None and p.lat is not None and p.lon is not None:
            m.geo = GeoPoint(lat=p.lat, lon=p.lon, precision=PlacePrecision(p.precision),
                             geonames_id=p.geonames_id, name=p.resolved_name or None)


def consensus_geo(points: Iterable[GeoPoint]) -> GeoPoint | None:
    """The point most mentions of an entity were given (ties: the more precise, then the first)."""
    pts = list(points)
    if not pts:
        return None
    counts = Counter((p.lat, p.lon, p.precision) for p in pts)
    best = max(counts, key=lambda k: (counts[k], -PlacePrecision.rank_of(k[2])))
    return next(p for p in pts if (p.lat, p.lon, p.precision) == best)


__all__ = ["LOCATED_TYPES", "consensus_geo", "locate_mentions", "outlet_home", "person_like", "person_words"]
