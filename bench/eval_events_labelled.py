"""Events on real, unfiltered news pages, scored against a hand-labelled sample (issue 16).

Usage:
  .venv/bin/python bench/eval_events_labelled.py [--db STORE] [--keep DIR] [--show]
  .venv/bin/python bench/eval_events_labelled.py --draw 50 --seed 16 [--db STORE]   (new sample)

Ingests the first 100 pages of ../shared/eval/article-extraction/html/ by sorted file name (as
``eval_claims_real.py`` takes them) plus the two seed reports of ../shared/corpus/seeds into a
temporary store with the whole pipeline (``sitrep ingest`` of this interpreter), or reads an
existing store (``--db``), then reads ``sitrep events --json`` and keeps the events a user sees by
default (confidence at or above ``MIN_CONFIDENCE``).

Labels live in bench/data/events_labelled.json, one per sampled event, keyed by the page's file
name, the sentence (its character span in the clean text and the SHA-1 of its text, found again
by ``sentence_keys.py``) and the trigger (its offset and length in the sentence), so a run of later
code finds the same event again while the file holds no text of the pages. A label says whether
the event is real and, if so, what is acceptable for each field:

- ``type`` and ``acled``: the PLOVER types, and the ACLED event types (``null``: none), that fit
  the sentence; both must fit;
- ``actor``: acceptable actors (an event's actor fits when it names one of them, ignoring case;
  ``null`` in the list: the text names no actor, so none is acceptable too);
- ``place``: acceptable place names or ISO country codes (``null``: no place is acceptable);
- ``date``: ``[first, last]`` ISO days the event's time must lie within (``null``: undated is
  acceptable, e.g. for a generic or timeless statement the report does not date).

An event is right when it is real and all four fit. A labelled event that should not exist is
right when the pipeline no longer shows it; a real one that is no longer shown counts as wrong.
Shown events without a label are counted (``--show`` lists them), never scored.

``--draw N --seed S`` samples N shown events with a fixed seed and writes them to the label file
beside empty labels, keeping labels already made; the file keeps only the text-free facts of the
pipeline's reading (type, ACLED type, country, dates, confidence), and the sentences with the
whole reading are printed for the labeller.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

sys.path.insert(0, str(REPO / "bench"))

from sentence_keys import labelled_sentence, sentence_key  # noqa: E402
from sitrep.events.confidence import MIN_CONFIDENCE  # noqa: E402

SHARED = REPO.parent / "shared"
PAGES = SHARED / "eval" / "article-extraction" / "html"
SEEDS = SHARED / "corpus" / "seeds"
LABELS = REPO / "bench" / "data" / "events_labelled.json"
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s|\n")
#: The parts of the pipeline's reading a label keeps as a record of what the labeller saw: facts,
#: not the page's words (actor, target and place names are the page's text).
READING_FACTS = ("type", "acled", "place_country", "date", "confidence")


def cli(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "sitrep.cli", *args], check=True, capture_output=True, text=True, env=os.environ)
    return out.stdout


def build_store(work: Path, pages: int) -> str:
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for path in list(sorted(PAGES.glob("*.html.gz"))[:pages]) + sorted(SEEDS.iterdir()):
        if path.is_file() and not (inputs / path.name).exists():
            shutil.copy(path, inputs / path.name)  # copies: ingest does not follow links
    db = str(work / "store.sqlite")
    if not Path(db).exists():
        cli("ingest", str(inputs), "--db", db)
    return db


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the last sentence end (or line break) before
    it to the next one after it. A plain rule, independent of the parser, so labels survive
    changes to the pipeline."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = m.start() + 1 if m else len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, min(hi, len(text))


def shown_events(db: str) -> tuple[list[dict], dict[str, str]]:
    """The events a user sees by default, each with its key fields, and the clean text of each
    page by file name (where the labels' sentences are found again)."""
    articles = {a["id"]: a for a in json.loads(cli("articles", "--db", db, "--json"))}
    texts = {Path(a["source_path"]).name: a["text"] for a in articles.values() if a.get("source_path")}
    out = []
    for e in json.loads(cli("events", "--db", db, "--json")):
        conf = e.get("confidence")
        if conf is not None and conf < MIN_CONFIDENCE:
            continue
        art = articles.get(e["article_id"])
        if art is None or not art.get("source_path"):
            continue
        text = art["text"]
        t0, t1 = e["trigger"]["start"], e["trigger"]["end"]
        s0, s1 = sentence_bounds(text, t0, t1)
        out.append({
            "file": Path(art["source_path"]).name,
            "sentence_start": s0, "sentence_end": s1, "sentence": text[s0:s1],
            "trigger": e["trigger"]["text"], "trigger_offset": t0 - s0,
            "event": e,
        })
    return out, texts


def key(item: dict) -> tuple:
    return (item["file"], item["sentence"], item["trigger"], item["trigger_offset"])


def with_text(label: dict, texts: dict[str, str]) -> dict:
    """The label with its sentence and trigger read from the page as it is now (``None`` when the
    sentence is gone), so it keys like a shown event."""
    text = texts.get(label["file"])
    sentence = labelled_sentence(text, label) if text is not None else None
    off = label["trigger_offset"]
    trigger = sentence[off : off + label["trigger_length"]] if sentence is not None else None
    return label | {"sentence": sentence, "trigger": trigger}


def reading(e: dict) -> dict:
    """The pipeline's reading of an event, as a labeller sees it."""
    place = e.get("place") or {}
    time = e.get("time") or {}
    return {
        "type": e["type"], "acled": [e.get("acled_event_type"), e.get("acled_sub_event_type")],
        "actor": e.get("actor"), "target": e.get("target"),
        "place": place.get("name"), "place_country": place.get("country"),
        "date": [time.get("start"), time.get("end")], "date_text": time.get("text"),
        "confidence": e.get("confidence"),
    }


def _fits_text(value: str | None, accepted: list) -> bool:
    if value is None:
        return None in accepted
    v = value.casefold()
    return any(a is not None and (a.casefold() in v or v in a.casefold()) for a in accepted)


def verdict(label: dict, event: dict | None) -> dict[str, bool]:
    """Per field whether the event fits its label, and ``right`` for all four together."""
    if not label["real"]:
        return {"right": event is None, "type": event is None, "actor": event is None, "place": event is None, "date": event is None}
    if event is None:
        return {"right": False, "type": False, "actor": False, "place": False, "date": False}
    place = event.get("place") or {}
    time = event.get("time") or {}
    ok = {
        "type": event["type"] in label["type"] and event.get("acled_event_type") in label["acled"],
        "actor": _fits_text(event.get("actor"), label["actor"]),
        "place": (
            (not place.get("name") and None in label["place"])
            or _fits_text(place.get("name"), label["place"]) or (place.get("country") in label["place"])
        ),
    }
    span = label["date"]
    if span is None:
        ok["date"] = True
    elif not time.get("start"):
        ok["date"] = False
    else:
        ok["date"] = span[0] <= time["start"] and time["end"] <= span[1]
    ok["right"] = all(ok.values())
    return ok


def draw(items: list[dict], texts: dict[str, str], n: int, seed: int) -> None:
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else []
    have = {key(with_text(x, texts)) for x in labels}
    pool = sorted(items, key=key)
    for item in random.Random(seed).sample(pool, min(n, len(pool))):
        if key(item) in have:
            continue
        read = reading(item["event"])
        text = texts[item["file"]]
        labels.append({"file": item["file"]} | sentence_key(text, item["sentence_start"], item["sentence_end"])
                      | {"trigger_offset": item["trigger_offset"], "trigger_length": len(item["trigger"]),
                         "read_at_labelling": {k: read[k] for k in READING_FACTS},
                         "real": None, "type": [], "acled": [], "actor": [], "place": [], "date": None, "note": ""})
        print(f"{item['file'][:12]} @{item['sentence_start']} '{item['trigger']}' {read}\n   {item['sentence']}")
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    LABELS.write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(labels)} labels in {LABELS}")


def score(items: list[dict], texts: dict[str, str], show: bool) -> None:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    labels = [with_text(x, texts) for x in labels if x["real"] is not None]
    by_key = {key(x): x["event"] for x in items}
    # A sentence whose span moved (cleaning changed) is still the same sentence.
    by_loose = {(x["file"], x["sentence"], x["trigger"]): x["event"] for x in items}
    totals = {"right": 0, "type": 0, "actor": 0, "place": 0, "date": 0}
    real = sum(1 for x in labels if x["real"])
    for x in labels:
        event = by_key.get(key(x)) or by_loose.get((x["file"], x["sentence"], x["trigger"]))
        v = verdict(x, event)
        for k in totals:
            totals[k] += v[k]
        if show and not v["right"]:
            got = reading(event) if event else "(not shown)"
            print(f"WRONG {x['file'][:12]} '{x['trigger']}' real={x['real']} {x['note']}\n   {(x['sentence'] or '(sentence gone)')[:160]}\n   now: {got}")
    n = len(labels)
    labelled = {key(x) for x in labels} | {(x["file"], x["sentence"], x["trigger"]) for x in labels}
    new = [x for x in items if key(x) not in labelled and (x["file"], x["sentence"], x["trigger"]) not in labelled]
    print(f"labelled events: {n} ({real} real, {n - real} that should not exist); shown events now: {len(items)}, unlabelled: {len(new)}")
    for k, v in totals.items():
        print(f"  {k + (' (all four acceptable)' if k == 'right' else ' acceptable'):<34}{v:>4}/{n}  {v / n:.2f}" if n else "")
    if show:
        for x in new:
            print(f"UNLABELLED {x['file'][:12]} '{x['trigger']}' {reading(x['event'])}\n   {x['sentence'][:160]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="read this store instead of building one")
    ap.add_argument("--keep", help="build the store in this directory and keep it")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--draw", type=int, help="sample this many shown events into the label file")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--show", action="store_true", help="list wrong and unlabelled events")
    args = ap.parse_args()
    if not args.db and not PAGES.exists():
        print(f"skipped: {PAGES} not found")
        return 0
    if args.db:
        db = args.db
    else:
        work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sitrep-events-labelled-"))
        db = build_store(work, args.pages)
    items, texts = shown_events(db)
    if args.draw:
        draw(items, texts, args.draw, args.seed)
    else:
        score(items, texts, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
