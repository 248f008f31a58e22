"""Where the time goes: cProfile of the claim and event stages, and one story build, over N
generated articles; or (``--run``) the whole ``ingest`` of N GVA reports on the local engine.

    .venv/bin/python bench/profile_stages.py [--n 100] [--top 25]
    .venv/bin/python bench/profile_stages.py --run [--n 300] [--top 40] [--no-profile]

``--run``: the pipeline as ``bench_scale.py`` runs it (the local engine's forked workers, SQLite
store), with the CPU seconds of the driver and of the workers (the figure to compare on a shared
machine, where wall time depends on the other jobs), the workers' CPU per stage, and cProfile of
the driver and of every worker (merged) unless ``--no-profile``.

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


def whole_run(n: int, top: int, profile_it: bool) -> None:
    """The whole ingest of ``n`` GVA reports on the local engine: wall, CPU of the driver and of
    the workers, the workers' CPU per stage; with ``profile_it``, cProfile of the driver's thread
    and of the workers (each dumps its profile after every chunk, merged here)."""
    import json
    import os
    import resource

    import sitrep.engines.local as local
    from bench_scale import write_corpus

    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    with tempfile.TemporaryDirectory() as tmp:
        dumps = Path(tmp) / "workers"
        dumps.mkdir()
        if profile_it:
            run_chunk = local._run_chunk
            mine: dict[str, cProfile.Profile] = {}

            def profiled_chunk(articles):  # runs in a worker: its own profile, dumped each chunk
                prof = mine.setdefault("p", cProfile.Profile())
                prof.enable()
                try:
                    return run_chunk(articles)
                finally:
                    prof.disable()
                    prof.dump_stats(str(dumps / f"{os.getpid()}.prof"))

            # the pool pickles the function by name: the worker finds this one under that name
            profiled_chunk.__module__, profiled_chunk.__qualname__ = local.__name__, "_run_chunk"
            local._run_chunk = profiled_chunk  # type: ignore[assignment]
        corpus = Path(tmp) / "c.jsonl"
        write_corpus("gva", n, corpus)
        repo = SQLiteRepository(Path(tmp) / "b.sqlite")
        t0, c0 = time.perf_counter(), time.process_time()
        pipeline = Pipeline(repo, engine=make_engine("local"))
        pipeline.engine.run([])  # load the stages, fork the workers
        print(f"start-up: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU")
        driver = cProfile.Profile()
        t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
        if profile_it:
            driver.enable()
        report = pipeline.ingest([corpus])
        driver.disable()
        wall, driver_cpu = time.perf_counter() - t0, time.process_time() - c0
        pipeline.engine.close()  # joins the workers: their CPU is counted from here
        workers_cpu = children_cpu() - k0
        print(f"N={n}: wall {wall:.1f} s; CPU: driver {driver_cpu:.1f} s, workers {workers_cpu:.1f} s, "
              f"total {driver_cpu + workers_cpu:.1f} s ({1000 * (driver_cpu + workers_cpu) / n:.0f} ms a report)")
        print("driver stages (wall s):", json.dumps(report.to_json()["seconds"]))
        stage_cpu = getattr(pipeline.engine, "stage_cpu", {})
        print("workers' CPU per stage (s):", json.dumps({k: round(v, 1) for k, v in stage_cpu.items()}))
        if not profile_it:
            return
        profiles = [str(p) for p in dumps.iterdir()]
        if profiles:
            print("\n=== workers (merged), cumulative")
            pstats.Stats(*profiles).sort_stats("cumulative").print_stats(top)
            print("\n=== workers (merged), own time")
            pstats.Stats(*profiles).sort_stats("tottime").print_stats(top)
        print("\n=== driver, cumulative")
        pstats.Stats(driver).sort_stats("cumulative").print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=None, help="reports (default: 100; 300 with --run)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--run", action="store_true", help="profile the whole ingest of N GVA reports")
    ap.add_argument("--no-profile", action="store_true", help="with --run: CPU figures only")
    args = ap.parse_args()
    if args.run:
        whole_run(args.n or 300, args.top, not args.no_profile)
        return
    args.n = args.n or 100

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
