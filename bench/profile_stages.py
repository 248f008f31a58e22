"""Where the time goes: cProfile of the claim and event stages, and one story build, over N
generated articles.

    .venv/bin/python bench/profile_stages.py [--n 100] [--top 25]

Generates N articles (``synthetic``'s reports), cleans them, then runs the document stages
(spaCy parse, claims, events) under cProfile and prints the functions with the most cumulative
time; then builds one story from all N analysed articles and prints its wall time and its own
profile. The model and gazetteer load before the profiler starts. This is the command behind the
"Profile of the slowest stages" part of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))


def split_timing(nlp, articles) -> None:
    """Per report, without a profiler: the spaCy parse, sending the parse between processes
    (``Doc.to_bytes`` / ``from_bytes``, what spaCy's ``n_process`` does), and reading mentions,
    claims and events off it — what the local engine's driver does and what its parsers do."""
    from spacy.tokens import Doc

    from sitrep.claims.extract import extract_claims
    from sitrep.claims.mentions import extract_mentions
    from sitrep.events.extract import extract_events

    texts = [a.text for a in articles]
    n = len(texts)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    blobs = [d.to_bytes() for d in docs]
    to_bytes = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = [Doc(nlp.vocab).from_bytes(b) for b in blobs]
    from_bytes = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a, d in zip(articles, docs):
        extract_claims(a, d), extract_mentions(a, d)
    claims = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a, d in zip(articles, docs):
        extract_events(a, d)
    events = time.perf_counter() - t0
    ms = lambda s: f"{1000 * s / n:.1f}"  # noqa: E731
    print(f"per report: parse {ms(parse)} ms, to_bytes {ms(to_bytes)}, from_bytes {ms(from_bytes)}, "
          f"mentions+claims {ms(claims)}, events {ms(events)}; parse sent back {sum(map(len, blobs)) / n / 1024:.0f} KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()

    from synthetic import generate

    from sitrep.clean import LineStats, clean_document
    from sitrep.engines.local import run_stages
    from sitrep.ingest import ReadOptions, iter_documents
    from sitrep.outlets import OutletRegistry
    from sitrep.stages import default_document_stages
    from sitrep.stories import build_story

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        words = generate(args.n, corpus)
        raws = list(iter_documents([corpus], ReadOptions()))
    stats, registry = LineStats(), OutletRegistry.load()
    for raw in raws:
        stats.observe("bench", raw.text)
    articles = [clean_document(raw, stats, registry) for raw in raws]
    stages = default_document_stages()  # loads the model and the gazetteer
    print(f"{len(articles)} articles, {words} words")

    split_timing(stages[0].nlp, articles)

    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    articles = run_stages(stages, articles)
    profile.disable()
    print(f"\nparse, claim and event stages: {time.perf_counter() - t0:.1f} s under cProfile")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)

    events = sum(len(a.events) for a in articles)
    claims = sum(len(a.claims) for a in articles)
    t0 = time.perf_counter()
    build_story("bench", articles)
    print(f"one story build over {len(articles)} articles ({events} events, {claims} claims): "
          f"{time.perf_counter() - t0:.1f} s")
    profile = cProfile.Profile()
    profile.enable()
    build_story("bench", articles)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
