"""What the places cost: the gazetteer's load (CPU and memory) and, over N generated reports,
the CPU of the events stage's geography — reading the article's context, extracting events
(which geocode their places) and locating the PLACE/FACILITY mentions (``sitrep.entities.geo``)
— as the events stage runs them (``sitrep.events.stage.EventStage``).

    .venv/bin/python bench/geo_cost.py [--n 100]

CPU is ``time.process_time`` (this process only, so other jobs on the machine matter less than
for wall time); memory is the resident set before and after the gazetteer loads. The parse and
mentions are done before the clock starts. Run against an older tree with ``PYTHONPATH`` to
compare: the script adapts to the older ``locate_mentions`` (no shared context).
"""
from __future__ import annotations

import argparse
import inspect
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    args = ap.parse_args(argv)

    from sitrep.events.geo import gazetteer as gz

    before = rss_mb()
    t0 = time.process_time()
    gaz = gz.default_gazetteer()
    load_cpu = time.process_time() - t0
    print(f"gazetteer: {len(gaz)} places, load {load_cpu:.2f} s CPU, resident +{rss_mb() - before:.0f} MB")

    from synthetic import generate

    from sitrep.claims.mentions import extract_mentions
    from sitrep.clean import LineStats, clean_document
    from sitrep.entities.geo import locate_mentions, outlet_home
    from sitrep.events.extract import extract_events
    from sitrep.events.places import article_context_of
    from sitrep.ingest import ReadOptions, iter_documents
    from sitrep.nlp import get_nlp
    from sitrep.outlets import OutletRegistry

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        generate(args.n, corpus)
        raws = list(iter_documents([corpus], ReadOptions()))
    stats, registry = LineStats(), OutletRegistry.load()
    for raw in raws:
        stats.observe("bench", raw.text)
    articles = [clean_document(raw, stats, registry) for raw in raws]
    nlp = get_nlp()
    docs = [nlp(a.text) for a in articles]
    for a, d in zip(articles, docs):
        a.mentions = extract_mentions(a, d)
    shared = "context" in inspect.signature(locate_mentions).parameters
    events = locate = 0.0
    located = 0
    for a, d in zip(articles, docs):
        t0 = time.process_time()
        if shared:
            home = outlet_home(a.outlet)
            context = article_context_of(d, *home)
        extract_events(a, d)
        t1 = time.process_time()
        if shared:
            locate_mentions(a, a.mentions, context=context)
        else:
            locate_mentions(a, a.mentions)
        t2 = time.process_time()
        events += t1 - t0
        locate += t2 - t1
        located += sum(m.geo is not None for m in a.mentions)
    n = len(articles)
    print(f"{n} reports: events (context + extraction + geocoding) {events:.2f} s CPU, "
          f"locating mentions {locate:.2f} s CPU ({1000 * locate / n:.1f} ms/report), "
          f"{located} mentions located; shared context: {shared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
