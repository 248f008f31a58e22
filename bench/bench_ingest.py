"""Ingest throughput and peak memory on N generated articles.

    .venv/bin/python bench/bench_ingest.py --n 1000 10000 [--stages foundation|full]

Articles are generated (a JSONL file per N) by ``synthetic``: the length, sentence shape, entity
density and story structure of real reports, scraper junk lines and ~5 % near-duplicate reprints,
so every foundation stage does real work. ``foundation`` runs readers, cleaning, reprint detection
and the store; ``full`` adds the NLP, event, entity and story stages. Each N runs in a fresh subprocess so peak RSS is its own.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402 - one generator for every benchmark and test


def run_one(n: int, stages: str) -> dict:
    """Child process: generate, ingest, measure."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / f"gen-{n}.jsonl"
        words = generate(n, corpus)
        repo = SQLiteRepository(Path(tmp) / "bench.sqlite")
        t0 = time.perf_counter()
        if stages == "foundation":
            pipeline = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False)
        else:
            pipeline = Pipeline(repo)
        t_load = time.perf_counter() - t0
        t1 = time.perf_counter()
        report = pipeline.ingest([corpus])
        elapsed = time.perf_counter() - t1
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"n": n, "stages": stages, "stored": report.stored, "reprints": report.reprints,
                "errors": len(report.errors), "words": words, "load_s": round(t_load, 2),
                "seconds": round(elapsed, 2), "articles_per_s": round(n / elapsed, 1),
                "ms_per_article": round(1000 * elapsed / n, 2), "peak_rss_mb": round(peak_mb, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--stages", choices=["foundation", "full"], default="foundation")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.n[0], args.stages)))
        return
    rows = []
    for n in args.n:
        res = subprocess.run([sys.executable, __file__, "--child", "--n", str(n), "--stages", args.stages],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    print(f"{'N':>7} {'stages':>10} {'stored':>7} {'reprints':>8} {'s':>8} {'art/s':>8} {'ms/art':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['n']:>7} {r['stages']:>10} {r['stored']:>7} {r['reprints']:>8} {r['seconds']:>8} "
              f"{r['articles_per_s']:>8} {r['ms_per_article']:>8} {r['peak_rss_mb']:>8}")


if __name__ == "__main__":
    main()
