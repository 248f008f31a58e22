"""The cost curve of the full pipeline, beside a bare spaCy pass over the same text.

    .venv/bin/python bench/bench_scale.py --n 1000 10000 --engine local ray

For each N and engine, in a fresh subprocess: generate N articles (bench_ingest's generator:
realistic length and entity density), run the whole pipeline (read, clean, reprints, claims with
the spaCy parse, events, entities, stories, store) and report articles/s, per-stage seconds,
peak memory and milliseconds per article. The floor is spaCy itself: the same texts through a
bare ``nlp.pipe`` (same model, all components) in the same run, so the ratio is visible.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))


def child(n: int, engine: str) -> dict:
    from bench_ingest import generate

    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        words = generate(n, corpus)
        repo = SQLiteRepository(Path(tmp) / "b.sqlite")
        t0 = time.perf_counter()
        pipeline = Pipeline(repo, engine=engine)
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = pipeline.ingest([corpus])
        total = time.perf_counter() - t0
        pipeline.engine.close()
        return {"kind": "sitrep", "n": n, "engine": engine, "words": words, "load_s": round(load, 2),
                "seconds": round(total, 1), "articles_per_s": round(n / total, 2),
                "ms_per_article": round(1000 * total / n, 1), "stages": report.to_json()["seconds"],
                "stored": report.stored, "errors": len(report.errors),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def child_bare(n: int) -> dict:
    from bench_ingest import generate

    from sitrep.nlp import get_nlp

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        words = generate(n, corpus)
        texts = [json.loads(line)["text"] for line in corpus.open()]
        nlp = get_nlp()
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        total = time.perf_counter() - t0
        return {"kind": "bare nlp.pipe", "n": n, "engine": "-", "words": words, "seconds": round(total, 1),
                "articles_per_s": round(n / total, 2), "ms_per_article": round(1000 * total / n, 1),
                "words_per_s": round(words / total),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engine", nargs="+", default=["local", "ray"], choices=["local", "ray"])
    ap.add_argument("--child", choices=["sitrep", "bare"])
    args = ap.parse_args()
    if args.child == "sitrep":
        print(json.dumps(child(args.n[0], args.engine[0])))
        return
    if args.child == "bare":
        print(json.dumps(child_bare(args.n[0])))
        return
    rows = []
    for n in args.n:
        jobs = [["--child", "bare", "--n", str(n)]] + [["--child", "sitrep", "--n", str(n), "--engine", e] for e in args.engine]
        for job in jobs:
            res = subprocess.run([sys.executable, __file__, *job], capture_output=True, text=True)
            if res.returncode != 0:
                print(f"failed: {' '.join(job)}\n{res.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(res.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(f"{'N':>6} {'what':>14} {'engine':>6} {'s':>8} {'art/s':>7} {'ms/art':>7} {'peak MB':>8}  per-stage seconds")
    for r in rows:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in (r.get("stages") or {}).items())
        print(f"{r['n']:>6} {r['kind']:>14} {r['engine']:>6} {r['seconds']:>8} {r['articles_per_s']:>7} "
              f"{r['ms_per_article']:>7} {r['peak_rss_mb']:>8}  {stages}")
    bare = {r["n"]: r["seconds"] for r in rows if r["kind"] == "bare nlp.pipe"}
    for r in rows:
        if r["kind"] == "sitrep" and r["n"] in bare:
            print(f"N={r['n']} {r['engine']}: sitrep / bare spaCy = {r['seconds'] / bare[r['n']]:.2f}x")


if __name__ == "__main__":
    main()
