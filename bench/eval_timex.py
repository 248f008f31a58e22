"""Time normalisation on TimeBank: gold TIMEX3 extents normalised against the document's DCT.

For each gold DATE TIMEX3 in TimeBank (TBAQ-cleaned), the expression text is normalised with
the document creation time as the publication anchor, and the result compared with the gold
``value`` at the gold value's own granularity (day ``1998-01-08``, ISO week ``1998-W02``, month
``1998-01``, year ``1998``): a prediction counts when its whole interval falls inside the one
gold unit. The baseline is ``dateparser`` alone (RELATIVE_BASE = DCT, PREFER_DATES_FROM = past,
its ``period`` giving the granularity).

Run:  .venv/bin/python bench/eval_timex.py [--shared PATH]
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.events.timex import normalise_time, period_interval  # noqa: E402
from sitrep.model import DateRange, TimeSpan  # noqa: E402

TIMEX_RE = re.compile(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>", re.S)
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')


def read_timebank(folder: Path):
    """(doc id, DCT, [(type, value, text)]) per .tml file; the DCT itself is left out."""
    for path in sorted(folder.glob("*.tml")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        dct = None
        items = []
        for m in TIMEX_RE.finditer(raw):
            attrs = dict(ATTR_RE.findall(m.group(1)))
            text = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
            if attrs.get("functionInDocument") == "CREATION_TIME":
                try:
                    dct = date.fromisoformat(attrs["value"][:10])
                except ValueError:
                    pass
                continue
            items.append((attrs.get("type", ""), attrs.get("value", ""), text))
        if dct is not None:
            yield path.stem, dct, items


def gold_unit(value: str):
    """(granularity, interval) of a gold TIMEX3 value, or None for forms not scored by unit."""
    v = value.split("T")[0]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            d = date.fromisoformat(v)
            return "day", (d, d)
        if re.fullmatch(r"\d{4}-W\d{2}", v):
            y, w = int(v[:4]), int(v[6:])
            monday = date.fromisocalendar(y, w, 1)
            return "week", (monday, monday + timedelta(days=6))
        if re.fullmatch(r"\d{4}-\d{2}", v):
            s, _e, _p = period_interval(date(int(v[:4]), int(v[5:7]), 1), "month")
            return "month", (s, _e)
        if re.fullmatch(r"\d{4}", v):
            return "year", (date(int(v), 1, 1), date(int(v), 12, 31))
    except ValueError:
        return None
    return None


def correct(span: TimeSpan | None, gran: str, interval) -> bool:
    """Whether a predicted interval names the gold unit at the gold granularity."""
    if span is None or span.start is None or span.end is None:
        return False
    lo, hi = interval
    if gran == "week":
        # Weeks are counted Sunday–Saturday here and Monday–Sunday in TimeML: compare the
        # ISO week of the predicted week's middle.
        if (span.end - span.start).days > 6:
            return False
        mid = span.start + (span.end - span.start) / 2
        return lo <= mid <= hi
    return lo <= span.start and span.end <= hi


def dateparser_only(text: str, dct: date) -> TimeSpan | None:
    from dateparser.date import DateDataParser

    parser = _PARSERS.get(dct)
    if parser is None:
        parser = DateDataParser(
            languages=["en"],
            settings={"RELATIVE_BASE": datetime(dct.year, dct.month, dct.day), "PREFER_DATES_FROM": "past"},
        )
        _PARSERS[dct] = parser
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    s, e, p = period_interval(data.date_obj.date(), data.period or "day")
    return TimeSpan(s, e, p, text)


_PARSERS: dict = {}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SITREP_SHARED", str(REPO.parent / "shared")))
    args = ap.parse_args()
    folder = Path(args.shared) / "eval" / "timebank" / "TimeBank"
    if not folder.exists():
        print(f"skipped: {folder} not found")
        return 0

    rows = []
    for doc_id, dct, items in read_timebank(folder):
        for typ, value, text in items:
            if typ == "DATE":
                rows.append((doc_id, dct, value, text))
    n_docs = len({r[0] for r in rows})
    counts = {"sitrep": Counter(), "dateparser": Counter()}
    seconds = {"sitrep": 0.0, "dateparser": 0.0}
    misses: list[tuple[str, str, str]] = []
    for _doc, dct, value, text in rows:
        unit = gold_unit(value)
        gran = unit[0] if unit else "other"
        anchor = DateRange(dct, dct)
        t0 = time.perf_counter()
        ours = normalise_time(text, anchor)
        t1 = time.perf_counter()
        base = dateparser_only(text, dct)
        t2 = time.perf_counter()
        seconds["sitrep"] += t1 - t0
        seconds["dateparser"] += t2 - t1
        for name, pred in (("sitrep", ours), ("dateparser", base)):
            c = counts[name]
            c["all"] += 1
            c[f"n:{gran}"] += 1
            if unit:
                c["unit"] += 1
                if correct(pred, gran, unit[1]):
                    c["ok"] += 1
                    c[f"ok:{gran}"] += 1
            if pred is not None and pred.start is not None:
                c["answered"] += 1
        if unit and not correct(ours, gran, unit[1]) and len(misses) < 15:
            misses.append((text, value, f"{ours.start}..{ours.end} {ours.precision}"))

    print(f"TimeBank (TBAQ-cleaned TimeBank/): {n_docs} documents, {len(rows)} gold DATE TIMEX3s "
          f"(anchor = DCT); {counts['sitrep']['unit']} have a day/week/month/year value, the rest "
          "are PRESENT_REF, quarters, seasons, decades, ... (counted as misses in 'all')")
    print()
    header = f"{'system':<12}{'acc(all)':>10}{'acc(unit)':>11}{'day':>14}{'week':>12}{'month':>12}{'year':>12}{'answered':>10}{'ms/expr':>9}"
    print(header)
    print("-" * len(header))
    for name in ("sitrep", "dateparser"):
        c = counts[name]
        cells = []
        for g in ("day", "week", "month", "year"):
            n = c[f"n:{g}"]
            cells.append(f"{c[f'ok:{g}'] / n:.3f} ({n})" if n else "-")
        print(
            f"{name:<12}{c['ok'] / c['all']:>10.3f}{c['ok'] / max(c['unit'], 1):>11.3f}"
            f"{cells[0]:>14}{cells[1]:>12}{cells[2]:>12}{cells[3]:>12}"
            f"{c['answered'] / c['all']:>10.3f}{1000 * seconds[name] / c['all']:>9.2f}"
        )
    print()
    print("sample sitrep misses (text | gold | predicted):")
    for text, value, pred in misses:
        print(f"  {text!r} | {value} | {pred}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
