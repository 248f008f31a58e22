"""Parsing and checking the query parameters the API shares, with messages a user can act on.

FastAPI checks types and ranges declared on ``Query``; the parameters here have a shape of their
own (a bounding box, an ISO date) and are parsed by hand so a bad value gets a clear 422.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from fastapi import Query

from ..durations import duration_seconds

MAX_LIMIT = 500
#: The largest ``offset`` accepted. Every integer parameter needs an upper bound: Python ints are
#: unbounded but SQLite's and PostgreSQL's are 64-bit, so an offset of 2**63 reached the driver
#: and came back as a 500 (OverflowError). 2**31 - 1 rows is past any store this serves and fits
#: every SQL integer type, so offset + limit cannot overflow either.
MAX_OFFSET = 2**31 - 1


class BadParameter(ValueError):
    """A query parameter that parsed but makes no sense; answered with 422 and this message."""

    def __init__(self, name: str, message: str):
        super().__init__(f"query parameter '{name}': {message}")
        self.name = name


def limit_param(default: int = 50):
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Page size, 1..{MAX_LIMIT}.")


def offset_param():
    return Query(0, ge=0, le=MAX_OFFSET, description=f"Number of rows to skip, 0..{MAX_OFFSET}.")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``south,west,north,east`` in degrees (the order Leaflet's ``toBBoxString`` does not use,
    but the one the API documents) → a checked tuple; None when absent."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadParameter("bbox", f"expected four numbers south,west,north,east; got {len(parts)} part(s)")
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("bbox", "south,west,north,east must all be numbers") from None
    for lat in (south, north):
        if not -90.0 <= lat <= 90.0:
            raise BadParameter("bbox", f"latitude {lat} is outside -90..90")
    for lon in (west, east):
        if not -180.0 <= lon <= 180.0:
            raise BadParameter("bbox", f"longitude {lon} is outside -180..180")
    if south > north:
        raise BadParameter("bbox", f"south ({south}) is north of north ({north})")
    if west > east:
        raise BadParameter("bbox", f"west ({west}) is east of east ({east}); boxes across the antimeridian are not supported")
    return south, west, north, east


def parse_day(name: str, value: str | None) -> str | None:
    """An ISO calendar date ``YYYY-MM-DD`` → the same string, checked; None when absent."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip()[:10] if "T" in value else value.strip()).isoformat()
    except ValueError:
        raise BadParameter(name, f"expected a date as YYYY-MM-DD; got {value[:40]!r}") from None


_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*([mhd])$", re.I)


def parse_changed_since(name: str, value: str | None, now: datetime | None = None) -> str | None:
    """"Changed since": a day (``YYYY-MM-DD``) or a time ago (``90m``, ``24h``, ``7d``) → the
    UTC time stamp (``YYYY-MM-DDTHH:MM:SSZ``, as revisions are stamped) it starts at; None when
    absent."""
    if value is None or not value.strip():
        return None
    ago = _AGO.match(value.strip())
    if ago:
        start = (now or datetime.now(timezone.utc)) - timedelta(seconds=duration_seconds(value))
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise BadParameter(name, f"expected a date as YYYY-MM-DD or a time ago like 24h, 7d; got {value[:40]!r}") from None


def parse_span(value: str | None) -> tuple[int, int] | None:
    """``START-END`` character offsets (a highlight request) → a tuple; None when absent or bad.

    Pages tolerate a malformed highlight (they just show no highlight) rather than fail."""
    if not value:
        return None
    start, sep, end = value.partition("-")
    if not sep or not start.isdigit() or not end.isdigit():
        return None
    s, e = int(start), int(end)
    return (s, e) if s < e else None
