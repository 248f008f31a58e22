"""Where the places an article names are: a ``GeoPoint`` for each PLACE/FACILITY mention, and
for each entity the point most of its mentions were given.

The point comes from the same article-level resolution the events use
(``sitrep.events.geo.article.resolve_places``: the article's countries and divisions, a local
outlet's home, one sense per name), so a place is never located two ways. Only mentions the NER
calls places or facilities are located: persons and organisations are never places here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sitrep.model import Article, GeoPoint, Mention
from sitrep.vocab import EntityType, PlacePrecision

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


def locate_mentions(article: Article, mentions: Sequence[Mention]) -> None:
    """Set ``geo`` on each PLACE/FACILITY mention the resolution places (with coordinates)."""
    from sitrep.events.geo.article import resolve_places

    located = [m for m in mentions if m.type in LOCATED_TYPES]
    if not located:
        return
    country, division = outlet_home(article.outlet)
    places = resolve_places(article.text, [(m.start, m.end) for m in located],
                            home_country=country, home_division=division,
                            strict=[m.type != EntityType.PLACE for m in located])
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


__all__ = ["LOCATED_TYPES", "consensus_geo", "locate_mentions", "outlet_home"]
