"""Requests per second and latency of ``sitrep serve`` over a 10,000-article store.

    .venv/bin/python bench/load.py [--articles 10000] [--seconds 10] [--concurrency 16] [--db FILE]

Builds the store once from generated articles (``bench_ingest.generate``): ``--articles`` through
the foundation path (readers, cleaning, reprints; no spaCy, no stories), then ``--full`` more
through the whole pipeline so there are claims, events, entities and stories (``--db`` reuses a
store built before). Then it starts
``sitrep serve`` on 127.0.0.1 only, and runs a bounded load against each endpoint in turn: the
story list, a story dossier (JSON and page), full-text search, and an export. Each endpoint gets
``--seconds`` of ``--concurrency`` clients (an asyncio httpx load generator; it stops by itself
after the time or ``--max-requests``). Prints requests/s, p50/p90/p99 latency and errors per
endpoint. Target: ≥ 200 requests/s with no errors on the list, dossier and search endpoints.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))
from bench_ingest import PLACES, generate  # noqa: E402

HOST = "127.0.0.1"  # loopback only, never a public interface


def build_store(db: Path, n: int, full: int) -> float:
    """``n`` articles through the foundation path (no stories), then ``full`` more through the
    whole pipeline (spaCy, claims, events, entities, stories) so dossiers and exports have content."""
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        generate(n, corpus)
        rich = Path(tmp) / "rich.jsonl"
        generate(full, rich, seed=99)
        rich.write_text(rich.read_text().replace('"id": "gen-', '"id": "full-'))
        t0 = time.perf_counter()
        repo = SQLiteRepository(db)
        Pipeline(repo, document_stages=[], resolve_entities=False, cluster_stories=False, batch_size=500).ingest([corpus])
        Pipeline(repo).ingest([rich])
        repo.close()
        return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", str(db), "--host", HOST,
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def hammer(base: str, urls: list[str], seconds: float, concurrency: int, max_requests: int) -> dict:
    """``concurrency`` clients request ``urls`` (round robin) until time or the request cap runs out."""
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        async def worker(k: int) -> None:
            nonlocal sent
            i = k
            while time.perf_counter() < stop_at and sent < max_requests:
                sent += 1
                url = urls[i % len(urls)]
                i += concurrency
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    await r.aread()
                    if r.status_code != 200:
                        errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        wall = time.perf_counter() - t0
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": percentile(latencies, 50),
            "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "mean": statistics.fmean(latencies) if latencies else float("nan"), "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=10.0, help="load per endpoint")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--max-requests", type=int, default=20_000, help="cap per endpoint")
    ap.add_argument("--full", type=int, default=200, help="articles (of the total) through the full pipeline")
    ap.add_argument("--db", type=Path, help="reuse (or build once into) this store")
    args = ap.parse_args()

    import httpx

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "load.sqlite"
    if not db.exists():
        print(f"building a store: {args.articles} articles (foundation path) + {args.full} (full pipeline) ...", flush=True)
        secs = build_store(db, args.articles, args.full)
        print(f"  built in {secs:.0f}s: {db}")
    port = free_port()
    server = start_server(db, port)
    base = f"http://{HOST}:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            stories = c.get("/api/stories?limit=200").json()
            n_articles = len(c.get("/api/articles?limit=500").json())
        rng = random.Random(5)
        story_ids = [s["id"] for s in stories] or ["none"]
        dossier_ids = rng.sample(story_ids, min(50, len(story_ids)))
        terms = [p.split()[-1] for p in PLACES] + ["rockets", "convoy", "protesters", "drone", "coalition"]
        endpoints = {
            "story list  /api/stories": ["/api/stories?limit=50", "/api/stories?limit=50&offset=50"],
            "dossier     /api/stories/{id}": [f"/api/stories/{i}" for i in dossier_ids],
            "dossier pg  /stories/{id}": [f"/stories/{i}" for i in dossier_ids],
            "search      /api/search?q=": [f"/api/search?q={t}" for t in terms],
            "export      /api/export/events.csv": ["/api/export/events.csv"],
            "export      /api/export/claims.csv": ["/api/export/claims.csv"],
        }
        print(f"server: {base} (sitrep serve, 1 process); store: {db.name}, {len(stories)}+ stories, "
              f"{n_articles}+ articles listed; {args.concurrency} clients, {args.seconds:.0f}s per endpoint")
        print(f"{'endpoint':38} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}  errors")
        for name, urls in endpoints.items():
            res = asyncio.run(hammer(base, urls, args.seconds, args.concurrency, args.max_requests))
            print(f"{name:38} {res['requests']:8d} {res['rps']:8.1f} {res['p50'] * 1000:8.1f} {res['p90'] * 1000:8.1f} "
                  f"{res['p99'] * 1000:8.1f}  {res['errors'] or 0}", flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        tmp.cleanup()


if __name__ == "__main__":
    main()
