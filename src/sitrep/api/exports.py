"""Exports in the formats analysts load elsewhere: ACLED-layout CSV, GeoJSON, claims CSV.

Pure functions from the API's JSON shapes to text. The ACLED layout keeps ACLED's column names
and order so a sheet built for ACLED data reads sitrep's events; columns sitrep does not fill
(disorder type, interaction codes, fatalities, ...) are left blank rather than guessed.
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from typing import Any, Iterable

import pycountry

from sitrep.events.confidence import MIN_CONFIDENCE

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

# After ACLED's own columns: how sure sitrep is that the row is a real event of its type (0-1).
SITREP_COLUMNS = ["confidence"]

# ACLED: 1 = the day is known, 2 = the week (or a few days) is known, 3 = only the month.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
# ACLED: 1 = the town or site itself, 2 = near it / a part of a region, 3 = only the province.
_GEO_PRECISION = {"site": 1, "town": 1, "district": 2, "province": 3, "country": 3}

CLAIM_COLUMNS = [
    "id", "article_id", "outlet", "text", "start", "end", "chain", "origin", "origin_kind", "origin_named",
    "hedged", "denied", "cue",
]


def spreadsheet_safe(value: Any) -> str:
    """A cell value that a spreadsheet will not run as a formula (article text is hostile)."""
    if value is None:
        return ""
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


@lru_cache(maxsize=512)  # pycountry's lookup is a linear scan; an export asks it once per event
def _country(alpha2: str | None) -> tuple[str, str]:
    """(ISO 3166 numeric code, English name) for an alpha-2 code, blanks when unknown."""
    if not alpha2:
        return "", ""
    c = pycountry.countries.get(alpha_2=alpha2.upper())
    return (str(int(c.numeric)), c.name) if c else ("", alpha2)


def acled_row(event: dict[str, Any], outlets: Iterable[str]) -> dict[str, str]:
    place = event.get("place") or {}
    time = event.get("time") or {}
    start = time.get("start") or ""
    iso, country = _country(place.get("country"))
    notes = [f"{event.get('type')}: {(event.get('trigger') or {}).get('text', '')}"]
    if time.get("start") and time.get("end") and time.get("start") != time.get("end"):
        notes.append(f"time {time['start']}..{time['end']} ({time.get('precision')})")
    if time.get("text"):
        notes.append(f"time as written: {time['text']}")
    if event.get("equipment"):
        notes.append(f"equipment: {event['equipment']}")
    if place.get("note"):
        notes.append(place["note"])
    tags = [] if event.get("status") in (None, "asserted") else [f"status: {event['status']}"]
    row = {
        "event_id_cnty": event.get("id", ""),
        "event_date": start,
        "year": start[:4],
        "time_precision": _TIME_PRECISION.get(time.get("precision") or "", ""),
        "event_type": event.get("acled_event_type") or "",
        "sub_event_type": event.get("acled_sub_event_type") or "",
        "actor1": event.get("actor") or "",
        "actor2": event.get("target") or "",
        "iso": iso,
        "country": country,
        "admin1": place.get("admin1") or "",
        "location": place.get("resolved_name") or place.get("name") or "",
        "latitude": "" if place.get("lat") is None else f"{place['lat']:.4f}",
        "longitude": "" if place.get("lon") is None else f"{place['lon']:.4f}",
        "geo_precision": _GEO_PRECISION.get(place.get("precision") or "", ""),
        "source": "; ".join(sorted({o for o in outlets if o})),
        "notes": "; ".join(n for n in notes if n),
        "tags": "; ".join(tags),
    }
    safe = {k: spreadsheet_safe(v) for k, v in row.items() if v != ""}  # half the columns stay blank
    return {col: safe.get(col, "") for col in ACLED_COLUMNS}


def confident(events: Iterable[dict[str, Any]], min_confidence: float | None = MIN_CONFIDENCE) -> list[dict[str, Any]]:
    """The events at or above ``min_confidence`` (None or 0: all). Events stored before sitrep
    scored confidence carry none and are kept: nothing says they are doubtful."""
    if not min_confidence:
        return list(events)
    return [e for e in events if e.get("confidence") is None or e["confidence"] >= min_confidence]


def events_csv(events: Iterable[dict[str, Any]], outlet_of: dict[str, str | None],
               min_confidence: float | None = MIN_CONFIDENCE) -> str:
    """Events in ACLED's layout plus sitrep's confidence; events below ``min_confidence`` are
    left out (the default is the scorer's documented threshold)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")  # rows in column order: DictWriter re-checks keys per row
    writer.writerow(ACLED_COLUMNS + SITREP_COLUMNS)
    for e in confident(events, min_confidence):
        ids = e.get("article_ids") or [e.get("article_id")]
        row = acled_row(e, [outlet_of.get(a) or "" for a in ids if a])
        conf = e.get("confidence")
        writer.writerow([row[c] for c in ACLED_COLUMNS] + ["" if conf is None else f"{conf:.2f}"])
    return buf.getvalue()


def events_geojson(events: Iterable[dict[str, Any]], min_confidence: float | None = MIN_CONFIDENCE) -> dict[str, Any]:
    """A FeatureCollection of the placed events (events with no coordinates, or below
    ``min_confidence``, are left out)."""
    features = []
    for e in confident(events, min_confidence):
        place = e.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": e.get("id"),
                "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                "properties": e,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def chain_path(chain: list[dict[str, Any]]) -> str:
    """A sourcing chain as the path an analyst writes: "Press TV → Almaalomah → a security source"."""
    return " → ".join(str(h.get("name", "")) for h in chain)


def claims_csv(claims: Iterable[dict[str, Any]], outlet_of: dict[str, str | None]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for c in claims:
        chain = c.get("chain") or []
        origin = chain[-1] if chain else {}
        row = {
            "id": c.get("id"),
            "article_id": c.get("article_id"),
            "outlet": outlet_of.get(c.get("article_id") or ""),
            "text": c.get("text"),
            "start": c.get("start"),
            "end": c.get("end"),
            "chain": chain_path(chain),
            "origin": origin.get("name"),
            "origin_kind": origin.get("kind"),
            "origin_named": str(bool(c.get("origin_named"))).lower(),
            "hedged": str(bool(c.get("hedged"))).lower(),
            "denied": str(bool(c.get("denied"))).lower(),
            "cue": (c.get("cue") or {}).get("text"),
        }
        writer.writerow([spreadsheet_safe(row[col]) for col in CLAIM_COLUMNS])
    return buf.getvalue()


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
