"""Browsing every event and every claim: the filters and sort orders of the /events and /claims
pages, over the store's own filters.

The store answers what it indexes (event type, dates, a bounding box, outlet; a claim's named
origin). What it does not index (an event's confidence, the exact great-circle radius, a claim's
origin kind, hedged or denied, a claim's outlet) is checked here on the rows the store gives, of
which at most ``SCAN_LIMIT`` are read; when more matched, ``Browse.capped`` says so and the page
asks the reader to narrow the filters, rather than silently showing a part as the whole.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterator, TypeVar

from ..geodesy import haversine_km
from ..model import Claim, Event
from ..store.base import Repository

SCAN_LIMIT = 5000
_PAGE = 500
KM_PER_DEGREE = 111.195  # one degree of latitude on the geodesy module's sphere

T = TypeVar("T")


@dataclass
class Browse(Generic[T]):
    """One page of matching rows, how many matched in all, and whether the scan was cut."""

    rows: list[T]
    total: int
    capped: bool
    outlets: dict[str, str | None] = field(default_factory=dict)  # article id -> outlet of the page's rows


def _scan(fetch: Callable[..., list[T]], **filters: Any) -> tuple[Iterator[T], list[bool]]:
    """Rows of a paged store listing, stopping after SCAN_LIMIT; the flag turns true when cut."""
    cut = [False]

    def rows() -> Iterator[T]:
        offset = 0
        while offset < SCAN_LIMIT:
            page = fetch(limit=_PAGE + (1 if offset + _PAGE >= SCAN_LIMIT else 0), offset=offset, **filters)
            if offset + len(page) > SCAN_LIMIT:
                cut[0] = True
                page = page[:SCAN_LIMIT - offset]
            yield from page
            if len(page) < _PAGE:
                return
            offset += _PAGE

    return rows(), cut


def radius_bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float] | None:
    """The (south, west, north, east) box holding the circle, for the store's indexed filter;
    None when the circle reaches a pole or the antimeridian (then every row is checked)."""
    dlat = km / KM_PER_DEGREE
    south, north = lat - dlat, lat + dlat
    if south <= -90 or north >= 90:
        return None
    dlon = km / (KM_PER_DEGREE * math.cos(math.radians(max(abs(south), abs(north)))))
    west, east = lon - dlon, lon + dlon
    if west < -180 or east > 180:
        return None
    return south, west, north, east


EVENT_SORTS: dict[str, Callable[[Event], Any]] = {
    "time": lambda e: ((e.time.start.isoformat() if e.time and e.time.start else "9999"), e.type),
    "type": lambda e: (e.type, e.id),
    "confidence": lambda e: (-(e.confidence if e.confidence is not None else -1.0), e.id),
    "place": lambda e: ((e.place.resolved_name or e.place.name).casefold() if e.place else "\uffff", e.id),
}


def browse_events(repo: Repository, *, type: str | None = None, since: str | None = None, until: str | None = None,
                  outlet: str | None = None, min_confidence: float | None = None,
                  near: tuple[float, float, float] | None = None, sort: str = "time", descending: bool = False,
                  limit: int = 100, offset: int = 0) -> Browse[Event]:
    """Events matching every filter given; ``near`` is (lat, lon, km), measured on the sphere."""
    bbox = radius_bbox(*near) if near else None
    rows, cut = _scan(repo.list_events, type=type or None, since=since, until=until, bbox=bbox, outlet=outlet or None)
    kept = []
    for e in rows:
        if min_confidence is not None and (e.confidence is None or e.confidence < min_confidence):
            continue
        if near and (e.place is None or e.place.lat is None or e.place.lon is None
                     or haversine_km(near[0], near[1], e.place.lat, e.place.lon) > near[2]):
            continue
        kept.append(e)
    kept.sort(key=EVENT_SORTS.get(sort, EVENT_SORTS["time"]), reverse=descending)
    page = kept[offset:offset + limit]
    return Browse(page, len(kept), cut[0], repo.outlets_of(sorted({e.article_id for e in page})))


def origin_kind_of(claim: Claim) -> str:
    """The kind of the claim's origin (its chain's last hop); "" for a claim without a chain."""
    return str(claim.chain[-1].kind) if claim.chain else ""


CLAIM_SORTS: dict[str, Callable[[Claim], Any]] = {
    "article": lambda c: (c.article_id, c.start),
    "origin": lambda c: ((c.chain[-1].name.casefold() if c.chain else ""), c.article_id, c.start),
    "kind": lambda c: (origin_kind_of(c), c.article_id, c.start),
}


def browse_claims(repo: Repository, *, origin_kind: str | None = None, named: bool | None = None,
                  hedged: bool | None = None, denied: bool | None = None, outlet: str | None = None,
                  sort: str = "article", descending: bool = False, limit: int = 100,
                  offset: int = 0) -> Browse[Claim]:
    """Claims matching every filter given; the origin is the last hop of a claim's chain."""
    rows, cut = _scan(repo.list_claims, named=named)
    outlet_of: dict[str, str | None] = {}
    kept = []
    for c in rows:
        if origin_kind and origin_kind_of(c) != origin_kind:
            continue
        if hedged is not None and c.hedged != hedged:
            continue
        if denied is not None and c.denied != denied:
            continue
        kept.append(c)
    if outlet:
        outlet_of = repo.outlets_of(sorted({c.article_id for c in kept}))
        wanted = outlet.casefold()
        kept = [c for c in kept if (outlet_of.get(c.article_id) or "").casefold() == wanted]
    kept.sort(key=CLAIM_SORTS.get(sort, CLAIM_SORTS["article"]), reverse=descending)
    page = kept[offset:offset + limit]
    return Browse(page, len(kept), cut[0], repo.outlets_of(sorted({c.article_id for c in page})))
