"""Exports in the formats analysts load elsewhere: ACLED-layout CSV, GeoJSON, claims CSV.

Pure functions from model records (``sitrep.model``) to text. The ACLED layout keeps ACLED's column names
and order so a sheet built for ACLED data reads sitrep's events; columns sitrep does not fill
(disorder type, interaction codes, fatalities, ...) are left blank rather than guessed.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

from sitrep.countries import iso_numeric_and_name
from sitrep.events.confidence import MIN_CONFIDENCE
from sitrep.vocab import PlacePrecision

from ..model import Claim, Event, SourceHop

# After ACLED's own columns: how sure sitrep is that the row is a real event of its type (0-1).
SITREP_COLUMNS = ["confidence"]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

# ACLED: 1 = the day is known, 2 = the week (or a few days) is known, 3 = only the month.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}

CLAIM_COLUMNS = [
    "id", "article_id", "outlet", "text", "start", "end", "chain", "origin", "origin_kind", "origin_named",
    "hedged", "denied", "cue",
]


# ACLED columns that hold numbers: written as they are, never through the formula guard, which
# would turn a western longitude "-97.0000" into the text "'-97.0000".
ACLED_NUMERIC_COLUMNS = frozenset({"year", "time_precision", "iso", "latitude", "longitude", "geo_precision",
                                   "fatalities", "timestamp"})


def spreadsheet_safe(value: Any) -> str:
    """A cell value that a spreadsheet will not run as a formula (article text is hostile).
    Numbers pass unchanged: a leading minus sign on a number is a sign, not a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


_PLACE_PRECISIONS = frozenset(PlacePrecision)


def _geo_precision(precision: str | None) -> int | str:
    """ACLED's geo_precision code (1..3) of a place's precision; blank when there is no place."""
    return PlacePrecision(precision).acled_code if precision in _PLACE_PRECISIONS else ""


def acled_row(event: Event, outlets: Iterable[str]) -> dict[str, str]:
    place, time = event.place, event.time
    start = time.start.isoformat() if time and time.start else ""
    iso, country = iso_numeric_and_name(place.country if place else None)
    notes = [f"{event.type}: {event.trigger.text}"]
    if time and time.start and time.end and time.start != time.end:
        notes.append(f"time {time.start.isoformat()}..{time.end.isoformat()} ({time.precision})")
    if time and time.text:
        notes.append(f"time as written: {time.text}")
    if event.equipment:
        notes.append(f"equipment: {event.equipment}")
    if place and place.note:
        notes.append(place.note)
    tags = [] if event.status in (None, "asserted") else [f"status: {event.status}"]
    row = {
        "event_id_cnty": event.id,
        "event_date": start,
        "year": start[:4],
        "time_precision": _TIME_PRECISION.get(time.precision if time else "", ""),
        "event_type": event.acled_event_type or "",
        "sub_event_type": event.acled_sub_event_type or "",
        "actor1": event.actor or "",
        "actor2": event.target or "",
        "iso": iso,
        "country": country,
        "admin1": (place.admin1 if place else None) or "",
        "location": (place.resolved_name or place.name if place else None) or "",
        "latitude": "" if place is None or place.lat is None else f"{place.lat:.4f}",
        "longitude": "" if place is None or place.lon is None else f"{place.lon:.4f}",
        "geo_precision": _geo_precision(place.precision if place else None),
        "source": "; ".join(sorted({o for o in outlets if o})),
        "notes": "; ".join(n for n in notes if n),
        "tags": "; ".join(tags),
    }
    safe = {k: str(v) if k in ACLED_NUMERIC_COLUMNS else spreadsheet_safe(v)
            for k, v in row.items() if v != ""}  # half the columns stay blank
    return {col: safe.get(col, "") for col in ACLED_COLUMNS}


def confident(events: Iterable[Event], min_confidence: float | None = MIN_CONFIDENCE) -> list[Event]:
    """The events at or above ``min_confidence`` (None or 0: all). Events stored before sitrep
    scored confidence carry none and are kept: nothing says they are doubtful."""
    if not min_confidence:
        return list(events)
    return [e for e in events if e.confidence is None or e.confidence >= min_confidence]


def events_csv(events: Iterable[Event], outlet_of: dict[str, str | None],
               min_confidence: float | None = MIN_CONFIDENCE) -> str:
    """Events in ACLED's layout plus sitrep's confidence; events below ``min_confidence`` are
    left out (the default is the scorer's documented threshold)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")  # rows in column order: DictWriter re-checks keys per row
    writer.writerow(ACLED_COLUMNS + SITREP_COLUMNS)
    for e in confident(events, min_confidence):
        ids = e.article_ids or [e.article_id]
        row = acled_row(e, [outlet_of.get(a) or "" for a in ids if a])
        conf = "" if e.confidence is None else f"{e.confidence:.2f}"
        writer.writerow([row[c] for c in ACLED_COLUMNS] + [conf])
    return buf.getvalue()


def events_geojson(events: Iterable[Event], min_confidence: float | None = MIN_CONFIDENCE) -> dict[str, Any]:
    """A FeatureCollection of the placed events (events with no coordinates, or below
    ``min_confidence``, are left out)."""
    features = []
    for e in confident(events, min_confidence):
        place = e.place
        if place is None or place.lat is None or place.lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": e.id,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": e.to_json(),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def chain_path(chain: list[SourceHop]) -> str:
    """A sourcing chain as the path an analyst writes: "Press TV → Almaalomah → a security source"."""
    return " → ".join(h.name for h in chain)


def claims_csv(claims: Iterable[Claim], outlet_of: dict[str, str | None]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for c in claims:
        origin = c.chain[-1] if c.chain else None
        row = {
            "id": c.id,
            "article_id": c.article_id,
            "outlet": outlet_of.get(c.article_id or ""),
            "text": c.text,
            "start": c.start,
            "end": c.end,
            "chain": chain_path(c.chain),
            "origin": origin.name if origin else None,
            "origin_kind": origin.kind if origin else None,
            "origin_named": str(bool(c.origin_named)).lower(),
            "hedged": str(bool(c.hedged)).lower(),
            "denied": str(bool(c.denied)).lower(),
            "cue": c.cue.text if c.cue else None,
        }
        writer.writerow([spreadsheet_safe(row[col]) for col in CLAIM_COLUMNS])
    return buf.getvalue()


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
