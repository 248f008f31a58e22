"""False political-violence events on ordinary news: BBC News by topic (dev split).

Almost none of the business, entertainment, sport and tech articles of
``shared/eval/bbc-news-categories/bbc_dev.jsonl`` reports political violence, so every event of an
ACLED political-violence type (Battles, Violence against civilians, Explosions/Remote violence,
Riots) that sitrep finds in them is, with very few exceptions, a false event ("Wales beat
Hungary", "a virus attacked PCs"). Printed: such events per 100 articles for each of those four
topics and for the four together, and the count in the politics articles (UK politics, 2004-05,
which do mention Iraq and terrorism now and then), each for all events and for the events at or
above the confidence threshold (what the default exports and map show).

``--show N`` prints N surviving non-politics events with their sentence (for error analysis);
``--sample N`` prints a fixed random sample of N politics events for checking by hand.

Each article is read as the pipeline reads it: the body is the clean text (a title given as
metadata is kept apart, as cleaning does), parsed with the project's spaCy pipeline and passed to the events stage's extractor. Parses are
cached (spaCy ``DocBin``) under ``--cache`` so a second run only re-extracts.

Run:  .venv/bin/python bench/eval_false_events.py [--shared PATH] [--limit N] [--show N] [--sample N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sitrep.events.extract import extract_events  # noqa: E402
from sitrep.events.stage import load_nlp  # noqa: E402
from sitrep.model import Article, DateRange, OffsetMap  # noqa: E402

POLITICAL_VIOLENCE = {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots"}
ORDINARY = ("business", "entertainment", "sport", "tech")
# The dev split is 2004-2005 news; a mid-range anchor keeps relative dates sensible.
ANCHOR = DateRange(date(2005, 1, 1), date(2005, 1, 1))


def default_threshold() -> float | None:
    """The scorer's threshold, when this checkout has an event scorer."""
    try:
        from sitrep.events.confidence import MIN_CONFIDENCE
    except ImportError:
        return None
    return MIN_CONFIDENCE


def parse_cache_default() -> str:
    """Where parses are kept between runs (outside the repository)."""
    return str(Path(tempfile.gettempdir()) / "sitrep-bench-cache")


def parse_cached(nlp, texts: list[str], cache_dir: Path):
    """Docs of ``texts``, parsed once and kept as a ``DocBin`` keyed by the texts and pipeline."""
    from spacy.tokens import DocBin

    key = hashlib.sha256(("\x00".join(texts) + "|" + ",".join(nlp.pipe_names)).encode()).hexdigest()[:16]
    path = cache_dir / f"bbc-dev-{key}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab)), 0.0
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    secs = time.perf_counter() - t0
    cache_dir.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs, secs


def political_violence(events, threshold: float | None) -> list:
    out = []
    for e in events:
        if e.acled_event_type not in POLITICAL_VIOLENCE:
            continue
        conf = getattr(e, "confidence", None)
        if threshold is not None and conf is not None and conf < threshold:
            continue
        out.append(e)
    return out


def sentence_of(text: str, start: int, end: int) -> str:
    lo = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, 0)
    hi_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    hi = min(hi_candidates) + 1 if hi_candidates else len(text)
    return " ".join(text[lo:hi].split())


def describe(e, text: str) -> str:
    conf = getattr(e, "confidence", None)
    reasons = "; ".join(getattr(e, "confidence_reasons", []) or [])
    head = f"{e.type}/{e.acled_event_type} '{e.trigger.text}' actor={e.actor!r} target={e.target!r}"
    tail = f" conf={conf:.2f} [{reasons}]" if conf is not None else ""
    return f"{head}{tail}\n      {sentence_of(text, e.trigger.start, e.trigger.end)[:300]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SITREP_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--min-confidence", type=float, default=None, help="threshold (default: the scorer's)")
    ap.add_argument("--show", type=int, default=0, help="print N surviving non-politics events")
    ap.add_argument("--sample", type=int, default=0, help="print a fixed sample of N politics events")
    ap.add_argument("--cache", default=parse_cache_default())
    args = ap.parse_args()
    path = Path(args.shared) / "eval" / "bbc-news-categories" / "bbc_dev.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    texts = [r["text"].strip() for r in rows]
    threshold = args.min_confidence if args.min_confidence is not None else default_threshold()

    nlp = load_nlp()
    docs, parse_s = parse_cached(nlp, texts, Path(args.cache))
    t0 = time.perf_counter()
    per_article = []
    for i, (row, text, doc) in enumerate(zip(rows, texts, docs)):
        art = Article(id=row.get("id", f"bbc{i}"), source_path="bench", text=text, original=text,
                      offsets=OffsetMap(), title=row.get("title"), outlet=row.get("outlet"), published=ANCHOR)
        per_article.append(extract_events(art, doc))
    secs = time.perf_counter() - t0

    articles = Counter(r["category"] for r in rows)
    all_pv, kept_pv, events_total, events_kept = Counter(), Counter(), Counter(), Counter()
    kept_examples, politics_kept = [], []
    for row, text, events in zip(rows, texts, per_article):
        cat = row["category"]
        events_total[cat] += len(events)
        events_kept[cat] += sum(1 for e in events if threshold is None or getattr(e, "confidence", 1.0) >= threshold)
        pv_all = political_violence(events, None)
        pv = political_violence(events, threshold)
        all_pv[cat] += len(pv_all)
        kept_pv[cat] += len(pv)
        for e in pv:
            (politics_kept if cat == "politics" else kept_examples).append((row["id"], text, e))

    print(f"BBC News dev: {len(rows)} articles; parse {parse_s:.1f} s (0 = cached), extraction {secs:.1f} s; "
          f"threshold {threshold if threshold is not None else 'none (no scorer)'}")
    print(f"  {'topic':<15}{'articles':>9}{'events':>8}{'kept':>7}{'PV events':>11}{'per 100':>9}{'PV kept':>9}{'per 100':>9}")
    for cat in ORDINARY + ("politics",):
        n = articles[cat]
        if not n:
            continue
        print(f"  {cat:<15}{n:>9}{events_total[cat]:>8}{events_kept[cat]:>7}{all_pv[cat]:>11}{100 * all_pv[cat] / n:>9.1f}"
              f"{kept_pv[cat]:>9}{100 * kept_pv[cat] / n:>9.1f}")
    n = sum(articles[c] for c in ORDINARY)
    a = sum(all_pv[c] for c in ORDINARY)
    k = sum(kept_pv[c] for c in ORDINARY)
    if n:
        print(f"  {'non-politics':<15}{n:>9}{sum(events_total[c] for c in ORDINARY):>8}{sum(events_kept[c] for c in ORDINARY):>7}"
              f"{a:>11}{100 * a / n:>9.1f}{k:>9}{100 * k / n:>9.1f}   (goal: < 1 per 100 kept)")
    for doc_id, text, e in kept_examples[: args.show]:
        print(f"  [{doc_id}] {describe(e, text)}")
    if args.sample and politics_kept:
        rng = random.Random(16)
        sample = rng.sample(politics_kept, min(args.sample, len(politics_kept)))
        print(f"\nSample of {len(sample)} kept politics events (seed 16), for checking by hand:")
        for doc_id, text, e in sample:
            print(f"  [{doc_id}] {describe(e, text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
