"""The cost curve of the full pipeline, beside a bare spaCy pass over the same text.

    .venv/bin/python bench/bench_scale.py --n 1000 10000 --engine local ray [--bare-sample 2000]

For each N, in fresh subprocesses: generate N articles (bench_ingest's generator: 250–600 words,
names, places, quoted sources), then

* **bare spaCy** — the same texts through ``nlp.pipe`` of the plain model sitrep loads (every
  component: tok2vec, tagger, parser, lemmatizer, NER), nothing else: the floor. With
  ``--bare-sample K`` only the first K texts are timed and the time is scaled to N (a bare pass
  costs the same per article at any N; the report says when it was scaled);
* **sitrep** with each engine — the whole pipeline (read, clean, reprints, claims with the spaCy
  parse, events, entities, stories, store) into a fresh SQLite file.

Reported per run: articles/s, per-stage seconds, the ratio to the bare pass, peak memory of the
whole process tree (the driver plus, with Ray, its raylet and workers: summed resident sets,
sampled every 0.2 s) and the cost per article in each tenth of the run, which is what shows
whether cost grows with the corpus.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_mb(root: int) -> float:
    """Summed resident memory of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm") as f:
                pages = int(f.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * PAGE_KB
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree) / 1024


class PeakMemory:
    """Samples ``tree_rss_mb`` of this process in a thread; ``peak`` is the largest sample."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_mb(os.getpid()))


def child(n: int, engine: str) -> dict:
    from bench_ingest import generate

    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as mem:
        corpus = Path(tmp) / "c.jsonl"
        words = generate(n, corpus)
        repo = SQLiteRepository(Path(tmp) / "b.sqlite")
        t0 = time.perf_counter()
        pipeline = Pipeline(repo, engine=engine)
        pipeline.engine.run([])  # start the engine (Ray: the cluster) before the clock runs
        load = time.perf_counter() - t0
        marks: list[tuple[int, float]] = []
        done = 0

        def progress(k: int) -> None:
            nonlocal done
            done += k
            marks.append((done, time.perf_counter()))

        t0 = time.perf_counter()
        report = pipeline.ingest([corpus], progress=progress)
        total = time.perf_counter() - t0
        pipeline.engine.close()
        stories = repo.count_stories() if hasattr(repo, "count_stories") else None
        # cost per article in each tenth of the run (time between the progress marks around it)
        tenths = []
        prev_n, prev_t = 0, t0
        for k in range(1, 11):
            target = n * k // 10
            hit = next(((m, t) for m, t in marks if m >= target), (done, t0 + total))
            if hit[0] > prev_n:
                tenths.append(round(1000 * (hit[1] - prev_t) / (hit[0] - prev_n), 1))
            prev_n, prev_t = hit
    return {"kind": "sitrep", "n": n, "engine": engine, "words": words, "load_s": round(load, 2),
            "seconds": round(total, 1), "articles_per_s": round(n / total, 2),
            "ms_per_article": round(1000 * total / n, 1), "stages": report.to_json()["seconds"],
            "stored": report.stored, "errors": len(report.errors), "stories": stories,
            "ms_per_article_by_tenth": tenths, "peak_mb": round(mem.peak, 1)}


def child_bare(n: int, sample: int | None) -> dict:
    import spacy

    from bench_ingest import generate

    from sitrep.nlp import MODEL_NAME

    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as mem:
        corpus = Path(tmp) / "c.jsonl"
        words = generate(n, corpus)
        texts = [json.loads(line)["text"] for line in corpus.open()]
        timed = texts[: sample or n]
        timed_words = sum(len(t.split()) for t in timed)
        nlp = spacy.load(MODEL_NAME)
        t0 = time.perf_counter()
        for _ in nlp.pipe(timed, batch_size=32):
            pass
        secs = time.perf_counter() - t0
    total = secs * n / len(timed)
    return {"kind": "bare spaCy", "n": n, "engine": "-", "words": words, "seconds": round(total, 1),
            "timed_articles": len(timed), "scaled": len(timed) < n, "articles_per_s": round(n / total, 2),
            "ms_per_article": round(1000 * total / n, 1), "words_per_s": round(timed_words / secs),
            "components": nlp.pipe_names, "peak_mb": round(mem.peak, 1)}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--engine", nargs="+", default=["local", "ray"], choices=["local", "ray"])
    ap.add_argument("--bare-sample", type=int, help="time the bare pass on this many articles and scale to N")
    ap.add_argument("--child", choices=["sitrep", "bare"])
    args = ap.parse_args()
    if args.child == "sitrep":
        print(json.dumps(child(args.n[0], args.engine[0])))
        return
    if args.child == "bare":
        print(json.dumps(child_bare(args.n[0], args.bare_sample)))
        return
    rows = []
    for n in args.n:
        bare = ["--child", "bare", "--n", str(n)]
        if args.bare_sample and args.bare_sample < n:
            bare += ["--bare-sample", str(args.bare_sample)]
        jobs = [bare] + [["--child", "sitrep", "--n", str(n), "--engine", e] for e in args.engine]
        for job in jobs:
            before = load_average()
            res = subprocess.run([sys.executable, __file__, *job], capture_output=True, text=True)
            if res.returncode != 0:
                print(f"failed: {' '.join(job)}\n{res.stderr[-3000:]}", file=sys.stderr)
                continue
            row = json.loads(res.stdout.strip().splitlines()[-1])
            row["load_average"] = f"{before} → {load_average()}"
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(f"{'N':>6} {'what':>10} {'engine':>6} {'s':>8} {'art/s':>7} {'ms/art':>7} {'peak MB':>8}  per-stage seconds")
    for r in rows:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in (r.get("stages") or {}).items())
        print(f"{r['n']:>6} {r['kind']:>10} {r['engine']:>6} {r['seconds']:>8} {r['articles_per_s']:>7} "
              f"{r['ms_per_article']:>7} {r['peak_mb']:>8}  {stages}")
    bare = {r["n"]: r["seconds"] for r in rows if r["kind"] == "bare spaCy"}
    for r in rows:
        if r["kind"] == "sitrep":
            ratio = f"{r['seconds'] / bare[r['n']]:.2f}x bare spaCy" if r["n"] in bare else "no bare pass"
            print(f"N={r['n']} {r['engine']}: {ratio}; ms/article by tenth of the run: {r['ms_per_article_by_tenth']}")


if __name__ == "__main__":
    main()
