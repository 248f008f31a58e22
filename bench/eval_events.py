"""Event extraction against coded conflict data: ACLED notes and UCDP-GED headlines.

ACLED (Middle East, 28 Apr – 9 May 2020): each row's ``notes`` (an ACLED coder's 1–3 sentence
summary) is read as a one-paragraph report. Its publication anchor is the range
[event_date, event_date + 7 days] (notes are written shortly after the event); a second line
uses ACLED's upload ``timestamp`` day as a single-day anchor. The report's main event is the
first extracted event that has an ACLED category. Scored: event_type and sub_event_type
accuracy (all rows), date (same day / within 7 days, over rows where a time expression was
normalised to an interval of at most 7 days), and place within 25 km of ACLED's point (over rows
whose main event was placed). Baselines: majority class for type; the anchor's day (range
midpoint, or the upload day) for date; the country's centroid for place.

UCDP-GED Iraq: each row with a ``source_headline`` is read as a one-line report anchored on
``source_date``. Scored: share of rows where a violent event (attack, clash, kill, assault,
abduct, riot) is found; date within UCDP's [date_start, date_end] and within 7 days (rows where
a time expression was found); place within 25 km (rows whose main event was placed, and the
subset UCDP places at where_prec ≤ 2). Baselines: publication day for date; Iraq's centroid.

Both read only the events at or above the confidence threshold (``--min-confidence``, default
the scorer's ``MIN_CONFIDENCE``: what the default exports and map show); ``--min-confidence 0``
reads every event, as before the scorer.

Run:  .venv/bin/python bench/eval_events.py [--shared PATH] [--limit N] [--min-confidence X]
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.events.confidence import MIN_CONFIDENCE  # noqa: E402
from sitrep.events.extract import country_code, country_point, extract_events  # noqa: E402
from sitrep.events.stage import load_nlp  # noqa: E402
from sitrep.events.timex import normalise_time  # noqa: E402
from sitrep.geodesy import haversine_km  # noqa: E402
from sitrep.model import Article, DateRange, OffsetMap  # noqa: E402

VIOLENT = {"attack", "clash", "kill", "assault", "abduct", "riot"}
THRESHOLD = MIN_CONFIDENCE  # set from --min-confidence


def shown(event) -> bool:
    """Whether an event passes the confidence threshold (unscored events pass)."""
    return event.confidence is None or event.confidence >= THRESHOLD


def km(a, b) -> float:
    return haversine_km(a[0], a[1], b[0], b[1])


def pct(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "-"


def run(nlp, texts: list[str], anchors: list[DateRange]) -> tuple[list[list], float, float]:
    """Events per text, seconds spent parsing, seconds spent extracting (incl. geocoding)."""
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    t1 = time.perf_counter()
    out = []
    for i, doc in enumerate(docs):
        art = Article(id=f"r{i}", source_path="bench", text=texts[i], original=texts[i], offsets=OffsetMap(), published=anchors[i])
        out.append(extract_events(art, doc))
    return out, t1 - t0, time.perf_counter() - t1


def dated(span) -> bool:
    return span is not None and span.start is not None and span.end is not None and (span.end - span.start).days <= 7


def acled(nlp, shared: Path, limit: int | None) -> None:
    path = shared / "eval" / "acled-middle-east-2020" / "acled_middle_east.csv"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["notes"].strip()]
    rows = rows[:limit] if limit else rows
    texts = [r["notes"] for r in rows]
    days = [datetime.strptime(r["event_date"], "%d-%b-%y").date() for r in rows]
    anchors = [DateRange(d, d + timedelta(days=7), inferred=True) for d in days]
    uploads = [datetime.utcfromtimestamp(int(r["timestamp"])).date() for r in rows]
    results, parse_s, secs = run(nlp, texts, anchors)
    words = sum(len(t.split()) for t in texts)

    majority_type = Counter(r["event_type"] for r in rows).most_common(1)[0][0]
    majority_sub = Counter((r["event_type"], r["sub_event_type"]) for r in rows).most_common(1)[0][0]
    c = Counter()
    per_type = Counter()
    per_type_ok = Counter()
    for r, day, upload, events in zip(rows, days, uploads, results):
        main = next((e for e in events if e.acled_event_type and shown(e)), None)
        c["rows"] += 1
        per_type[r["event_type"]] += 1
        c["found"] += main is not None
        if main is not None and main.acled_event_type == r["event_type"]:
            c["type_ok"] += 1
            per_type_ok[r["event_type"]] += 1
            c["sub_ok"] += main.acled_sub_event_type == r["sub_event_type"]
        c["base_type_ok"] += r["event_type"] == majority_type
        c["base_sub_ok"] += (r["event_type"], r["sub_event_type"]) == majority_sub
        if main is not None and dated(main.time):
            c["dated"] += 1
            c["date_same"] += main.time.start == main.time.end == day
            c["date_7"] += day - timedelta(days=7) <= main.time.start and main.time.end <= day + timedelta(days=7)
            mid = day + timedelta(days=3)
            c["base_date_same"] += mid == day
            c["base_date_7"] += abs((mid - day).days) <= 7
            # the same expression against the upload day
            t2 = normalise_time(main.time.text or "", DateRange(upload, upload)) if main.time.text else main.time
            if dated(t2):
                c["up_dated"] += 1
                c["up_same"] += t2.start == t2.end == day
                c["up_7"] += day - timedelta(days=7) <= t2.start and t2.end <= day + timedelta(days=7)
                c["up_base_same"] += upload == day
                c["up_base_7"] += abs((upload - day).days) <= 7
        gold = (float(r["latitude"]), float(r["longitude"]))
        code = country_code(r["country"])
        centroid = country_point(code) if code else (None, None)
        if centroid[0] is not None:
            c["base_geo_rows"] += 1
            c["base_geo_ok"] += km(centroid, gold) <= 25
        if main is not None and main.place is not None and main.place.lat is not None:
            c["placed"] += 1
            c["geo_ok"] += km((main.place.lat, main.place.lon), gold) <= 25
            if centroid[0] is not None:
                c["placed_base_ok"] += km(centroid, gold) <= 25

    n = c["rows"]
    print(f"ACLED notes: {n} rows, {words} words; parse (sitrep.nlp) {parse_s:.1f} s, event extraction incl. geocoding {secs:.1f} s "
          f"({1000 * secs / n:.1f} ms/report, {words / secs:.0f} words/s)")
    print(f"  main event found (any ACLED-typed event): {pct(c['found'], n)}")
    print(f"  {'measure':<42}{'sitrep':>22}{'baseline':>22}")
    print(f"  {'event_type accuracy (all rows)':<42}{pct(c['type_ok'], n):>22}{pct(c['base_type_ok'], n):>22}   baseline: majority '{majority_type}'")
    print(f"  {'sub_event_type accuracy (all rows)':<42}{pct(c['sub_ok'], n):>22}{pct(c['base_sub_ok'], n):>22}   baseline: majority '{majority_sub[1]}'")
    print(f"  {'date same day (anchor event_date+0..7)':<42}{pct(c['date_same'], c['dated']):>22}{pct(c['base_date_same'], c['dated']):>22}   baseline: anchor midpoint; over dated rows")
    print(f"  {'date within 7 days (same anchor)':<42}{pct(c['date_7'], c['dated']):>22}{pct(c['base_date_7'], c['dated']):>22}")
    print(f"  {'date same day (anchor = upload day)':<42}{pct(c['up_same'], c['up_dated']):>22}{pct(c['up_base_same'], c['up_dated']):>22}   baseline: upload day")
    print(f"  {'date within 7 days (upload anchor)':<42}{pct(c['up_7'], c['up_dated']):>22}{pct(c['up_base_7'], c['up_dated']):>22}")
    print(f"  {'place within 25 km (placed rows)':<42}{pct(c['geo_ok'], c['placed']):>22}{pct(c['placed_base_ok'], c['placed']):>22}   baseline: country centroid")
    print(f"  {'place within 25 km (all rows)':<42}{pct(c['geo_ok'], n):>22}{pct(c['base_geo_ok'], n):>22}")
    print("  event_type recall by ACLED type: " + ", ".join(f"{t}: {per_type_ok[t]}/{per_type[t]}" for t in sorted(per_type, key=lambda t: -per_type[t])))


def ucdp(nlp, shared: Path, limit: int | None) -> None:
    path = shared / "eval" / "ucdp-ged-iraq" / "conflict_data_irq.csv"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("id") and r["id"][0].isdigit() and r["source_headline"].strip()]
    rows = rows[:limit] if limit else rows
    heads = sorted({r["source_headline"].split(";")[0].strip() + "|" + r["source_date"].split(";")[0] for r in rows})
    texts = [h.rsplit("|", 1)[0] for h in heads]
    anchors = []
    for h in heads:
        d = date.fromisoformat(h.rsplit("|", 1)[1][:10])
        anchors.append(DateRange(d, d))
    results, parse_s, secs = run(nlp, texts, anchors)
    by_key = dict(zip(heads, results))
    iq = country_point("IQ")
    c = Counter()
    for r in rows:
        key = r["source_headline"].split(";")[0].strip() + "|" + r["source_date"].split(";")[0]
        events = by_key[key]
        pub = date.fromisoformat(r["source_date"].split(";")[0][:10])
        lo, hi = date.fromisoformat(r["date_start"]), date.fromisoformat(r["date_end"])
        gold = (float(r["latitude"]), float(r["longitude"]))
        main = next((e for e in events if e.type in VIOLENT and shown(e)), None)
        c["rows"] += 1
        c["found"] += main is not None
        if main is not None and dated(main.time) and main.time.text:
            c["dated"] += 1
            c["date_in"] += lo <= main.time.start and main.time.end <= hi
            c["date_7"] += lo - timedelta(days=7) <= main.time.start and main.time.end <= hi + timedelta(days=7)
            c["base_in"] += lo <= pub <= hi
            c["base_7"] += lo - timedelta(days=7) <= pub <= hi + timedelta(days=7)
        c["base_pub_in"] += lo <= pub <= hi
        c["base_geo"] += km(iq, gold) <= 25
        precise = r["where_prec"] in ("1", "2")
        c["precise"] += precise
        if main is not None and main.place is not None and main.place.lat is not None:
            ok = km((main.place.lat, main.place.lon), gold) <= 25
            c["placed"] += 1
            c["geo_ok"] += ok
            c["placed_base"] += km(iq, gold) <= 25
            if precise:
                c["placed_precise"] += 1
                c["geo_ok_precise"] += ok
                c["placed_precise_base"] += km(iq, gold) <= 25
    n = c["rows"]
    words = sum(len(t.split()) for t in texts)
    print(f"UCDP-GED Iraq headlines: {n} rows with a headline ({len(texts)} distinct headline+date), {words} words; "
          f"parse {parse_s:.1f} s, extraction {secs:.1f} s ({1000 * secs / len(texts):.1f} ms/headline)")
    print(f"  {'measure':<44}{'sitrep':>22}{'baseline':>22}")
    print(f"  {'violent event found':<44}{pct(c['found'], n):>22}{'-':>22}")
    print(f"  {'date inside UCDP range (dated rows)':<44}{pct(c['date_in'], c['dated']):>22}{pct(c['base_in'], c['dated']):>22}   baseline: publication day")
    print(f"  {'date within 7 days (dated rows)':<44}{pct(c['date_7'], c['dated']):>22}{pct(c['base_7'], c['dated']):>22}")
    print(f"  {'publication day inside UCDP range (all)':<44}{'':>22}{pct(c['base_pub_in'], n):>22}")
    print(f"  {'place within 25 km (placed rows)':<44}{pct(c['geo_ok'], c['placed']):>22}{pct(c['placed_base'], c['placed']):>22}   baseline: Iraq centroid")
    print(f"  {'  of which UCDP where_prec <= 2':<44}{pct(c['geo_ok_precise'], c['placed_precise']):>22}{pct(c['placed_precise_base'], c['placed_precise']):>22}")
    print(f"  {'place within 25 km (all rows)':<44}{pct(c['geo_ok'], n):>22}{pct(c['base_geo'], n):>22}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SITREP_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows of each set")
    ap.add_argument("--min-confidence", type=float, default=MIN_CONFIDENCE, help="read only events at or above this")
    args = ap.parse_args()
    global THRESHOLD
    THRESHOLD = args.min_confidence
    print(f"events read: confidence >= {THRESHOLD}")
    shared = Path(args.shared)
    if not (shared / "eval").exists():
        print(f"skipped: {shared / 'eval'} not found")
        return 0
    nlp = load_nlp()
    acled(nlp, shared, args.limit)
    print()
    ucdp(nlp, shared, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
