"""The measurement behind ``sitrep.events.confidence.MIN_CONFIDENCE``: for each candidate
threshold, what ordinary news keeps of false political violence and what conflict data keeps of
its real events.

Per threshold: ACLED Middle East event_type accuracy and share of notes with a main event, UCDP
Iraq "violent event found" (both as ``bench/eval_events.py`` scores them), and political-violence
events per 100 non-politics BBC dev articles plus the politics count (as
``bench/eval_false_events.py`` counts them). Each text is parsed and extracted once; only the
threshold changes.

Run:  .venv/bin/python bench/sweep_confidence.py [--shared PATH] [--thresholds 0,0.4,0.5,0.6]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import eval_events as ev  # noqa: E402
import eval_false_events as fe  # noqa: E402

from sitrep.events.extract import extract_events  # noqa: E402
from sitrep.model import Article, DateRange, OffsetMap  # noqa: E402


def passes(event, threshold: float) -> bool:
    return event.confidence is None or event.confidence >= threshold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SITREP_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--thresholds", default="0,0.4,0.45,0.5,0.55,0.6,0.65,0.7")
    ap.add_argument("--cache", default=fe.parse_cache_default())
    args = ap.parse_args()
    shared = Path(args.shared) / "eval"
    paths = {
        "acled": shared / "acled-middle-east-2020" / "acled_middle_east.csv",
        "ucdp": shared / "ucdp-ged-iraq" / "conflict_data_irq.csv",
        "bbc": shared / "bbc-news-categories" / "bbc_dev.jsonl",
    }
    if not all(p.exists() for p in paths.values()):
        print(f"skipped: one of {', '.join(map(str, paths.values()))} not found")
        return 0
    nlp = ev.load_nlp()

    with paths["acled"].open(encoding="utf-8") as fh:
        acled = [r for r in csv.DictReader(fh) if r["notes"].strip()]
    days = [datetime.strptime(r["event_date"], "%d-%b-%y").date() for r in acled]
    acled_events, _, _ = ev.run(nlp, [r["notes"] for r in acled], [DateRange(d, d + timedelta(days=7), inferred=True) for d in days])

    with paths["ucdp"].open(encoding="utf-8") as fh:
        ucdp = [r for r in csv.DictReader(fh) if r.get("id") and r["id"][0].isdigit() and r["source_headline"].strip()]
    keys = [r["source_headline"].split(";")[0].strip() + "|" + r["source_date"].split(";")[0] for r in ucdp]
    heads = sorted(set(keys))
    anchors = [DateRange(date.fromisoformat(h.rsplit("|", 1)[1][:10]), date.fromisoformat(h.rsplit("|", 1)[1][:10])) for h in heads]
    head_events, _, _ = ev.run(nlp, [h.rsplit("|", 1)[0] for h in heads], anchors)
    by_key = dict(zip(heads, head_events))

    bbc = [json.loads(line) for line in paths["bbc"].open(encoding="utf-8") if line.strip()]
    texts = [r["text"].strip() for r in bbc]
    docs, _ = fe.parse_cached(nlp, texts, Path(args.cache))
    bbc_events = [
        extract_events(Article(id=r["id"], source_path="bench", text=t, original=t, offsets=OffsetMap(), published=fe.ANCHOR), d)
        for r, t, d in zip(bbc, texts, docs)
    ]
    ordinary = sum(1 for r in bbc if r["category"] != "politics")

    print(f"ACLED notes {len(acled)}, UCDP rows {len(ucdp)}, BBC dev {len(bbc)} ({ordinary} non-politics)")
    print(f"  {'threshold':>9}  {'ACLED type acc':>20}  {'ACLED main found':>18}  {'UCDP violent found':>20}  {'BBC PV /100':>12}  {'politics PV':>11}")
    for th in (float(x) for x in args.thresholds.split(",")):
        mains = [next((e for e in evs if e.acled_event_type and passes(e, th)), None) for evs in acled_events]
        ok = sum(1 for r, m in zip(acled, mains) if m is not None and m.acled_event_type == r["event_type"])
        found = sum(1 for m in mains if m is not None)
        violent = sum(1 for k in keys if any(e.type in ev.VIOLENT and passes(e, th) for e in by_key[k]))
        pv = {cat: 0 for cat in ("ordinary", "politics")}
        for r, evs in zip(bbc, bbc_events):
            cat = "politics" if r["category"] == "politics" else "ordinary"
            pv[cat] += sum(1 for e in evs if e.acled_event_type in fe.POLITICAL_VIOLENCE and passes(e, th))
        print(f"  {th:>9.2f}  {ev.pct(ok, len(acled)):>20}  {ev.pct(found, len(acled)):>18}  {ev.pct(violent, len(ucdp)):>20}  "
              f"{100 * pv['ordinary'] / ordinary:>12.2f}  {pv['politics']:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
