"""Requests per second and latency of ``sitrep serve`` over a 10,000-article store.

    .venv/bin/python bench/load.py [--articles 10000] [--full 200] [--seconds 10] [--concurrency 16]
                                   [--db FILE] [--cache both|on|off] [--workers 1] [--generator wrk|httpx]

Builds the store once from generated articles (``bench_ingest.generate``): ``--articles`` through
the foundation path (readers, cleaning, reprints; no spaCy, no stories), then ``--full`` more
through the whole pipeline so there are claims, events, entities and stories (``--db`` reuses a
store built before; building 10,000 + 200 takes about six minutes on two cores).

Then it starts ``sitrep serve`` on 127.0.0.1 only and runs a bounded load against each endpoint in
turn: the story list, a story dossier (JSON and page), full-text search, and two exports. Each
endpoint gets ``--seconds`` of ``--concurrency`` connections, once the server is idle again after
the endpoint before. The load generator is wrk when it is
installed (``apt-get install wrk``; one run per endpoint, its URL list walked round robin by a Lua
script, bounded by ``-d``), else an asyncio httpx client that also stops after ``--max-requests``.
Requests say ``Accept-Encoding: gzip`` as browsers do (``--identity`` to ask for plain bodies).

``--cache both`` measures the server twice: with the response cache off (``SITREP_CACHE_MB=0``:
every request builds its answer; ``--uncached-concurrency`` connections) and on (after one warm-up request per URL, so the run measures
cache hits; an ingest drops the cache, and the uncached figures are what the first request after
one costs). Prints requests/s, p50/p90/p99 latency and errors (non-2xx answers, socket errors and
timeouts) per endpoint, and the load average. Target: ≥ 200 requests/s with no errors.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
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
from bench_ingest import generate  # noqa: E402
from synthetic import towns  # noqa: E402

HOST = "127.0.0.1"  # loopback only, never a public interface


def build_store(db: Path, n: int, full: int) -> float:
    """``n`` articles through the foundation path (no stories), then ``full`` more through the
    whole pipeline (spaCy, claims, events, entities, stories) so dossiers and exports have content."""
    from sitrep.engines import make_engine
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
        Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False, batch_size=500).ingest([corpus])
        Pipeline(repo).ingest([rich])
        repo.close()
        return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, cache: bool, workers: int, log: Path, *,
                 src: str | Path = REPO / "src", wait_s: float = 60) -> subprocess.Popen:
    """``sitrep serve`` of the code under ``src`` in a subprocess; its log goes to a file (a pipe
    nobody reads would fill and stall the server mid-run). ``wait_s``: how long it may take to
    listen (a newer tree migrates an older store first)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    if not cache:
        env["SITREP_CACHE_MB"] = "0"
    with log.open("ab") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "serve", "--db", str(db), "--host", HOST,
                                 "--port", str(port)] + (["--workers", str(workers)] if workers > 1 else []),
                                stdout=fh, stderr=fh, env=env, start_new_session=True)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"server did not start within {wait_s:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGINT to the server's own process group (its workers with it), then wait."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def _cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its descendants (Linux ``/proc``), 0 where it cannot be read."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            total += sum(_cpu_seconds(int(c)) for c in children.read_text().split())
    except (OSError, ValueError, IndexError):
        pass
    return total


def wait_idle(pid: int, limit: float = 180.0) -> float:
    """Wait until the server has finished what the last run left in flight (wrk stops sending at
    its deadline; the server still answers the requests it holds, which would eat into the next
    endpoint's run). Idle: under 10 % of a core over half a second. Returns the seconds waited."""
    t0 = time.monotonic()
    before = _cpu_seconds(pid)
    while time.monotonic() - t0 < limit:
        time.sleep(0.5)
        now = _cpu_seconds(pid)
        if now - before < 0.05:
            break
        before = now
    return time.monotonic() - t0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- wrk ----------------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  i = offset
  non2xx = 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format("SITREP_WRK %%d %%d %%.0f %%.0f %%.0f %%.0f %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, bad, e.connect, e.read, e.write, e.timeout))
end
"""


def lua_string(text: str) -> str:
    if not text.isascii() or any(ord(c) < 32 for c in text):
        raise ValueError(f"path not safe to quote for Lua: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(base: str, urls: list[str], seconds: float, concurrency: int, threads: int, headers: dict[str, str]) -> dict:
    """One bounded wrk run walking ``urls`` round robin; its Lua ``done`` prints the figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % {"paths": ", ".join(lua_string(u) for u in urls)})
        script = fh.name
    cmd = ["wrk", "-t", str(max(1, min(threads, concurrency))), "-c", str(concurrency), "-d", f"{seconds:g}s",
           "--timeout", "60s", "-s", script]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    try:
        out = subprocess.run(cmd + [base + urls[0]], capture_output=True, text=True, timeout=seconds + 120).stdout
    finally:
        os.unlink(script)
    m = re.search(r"^SITREP_WRK (.+)$", out, re.M)
    if not m:
        raise SystemExit(f"wrk printed no result:\n{out[-2000:]}")
    n, dur_us, p50, p90, p99, mean, non2xx, connect, read, write, timeout = (float(x) for x in m.group(1).split())
    errors = {k: int(v) for k, v in (("non-2xx", non2xx), ("connect", connect), ("read", read), ("write", write),
                                       ("timeout", timeout)) if v}
    return {"requests": int(n), "rps": n / (dur_us / 1e6), "p50": p50 / 1e6, "p90": p90 / 1e6, "p99": p99 / 1e6,
            "mean": mean / 1e6, "errors": errors}


# -- the fallback: an asyncio httpx load generator ---------------------------------------------

async def hammer(base: str, urls: list[str], seconds: float, concurrency: int, max_requests: int,
                 headers: dict[str, str]) -> dict:
    """``concurrency`` clients request ``urls`` (round robin) until time or the request cap runs out."""
    import httpx

    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits, headers=headers) as client:
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
                    if not 200 <= r.status_code <= 299:
                        errors["non-2xx"] = errors.get("non-2xx", 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        wall = time.perf_counter() - t0
    return {"requests": len(latencies), "rps": len(latencies) / wall, "p50": percentile(latencies, 50),
            "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
            "mean": statistics.fmean(latencies) if latencies else float("nan"), "errors": errors}


# -- the run ------------------------------------------------------------------------------------

def endpoints_of(base: str) -> dict[str, list[str]]:
    """The URL lists: every story the list shows (up to 50 dossiers), search terms of the corpus."""
    import httpx

    with httpx.Client(base_url=base, timeout=120) as c:
        stories = c.get("/api/stories?limit=200&view=summary").json()
    rng = random.Random(5)
    story_ids = [s["id"] for s in stories] or ["none"]
    dossier_ids = rng.sample(story_ids, min(50, len(story_ids)))
    terms = [name.split()[-1] for name, _ in towns()["IQ"][:20]] + ["rockets", "convoy", "protesters", "drone", "coalition"]
    return {
        "story list  /api/stories": ["/api/stories?limit=50", "/api/stories?limit=50&offset=50"],
        "dossier     /api/stories/{id}": [f"/api/stories/{i}" for i in dossier_ids],
        "dossier pg  /stories/{id}": [f"/stories/{i}" for i in dossier_ids],
        "search      /api/search?q=": [f"/api/search?q={t}" for t in terms],
        "export      /api/export/events.csv": ["/api/export/events.csv"],
        "export      /api/export/claims.csv": ["/api/export/claims.csv"],
    }


def warm(base: str, urls: list[str], headers: dict[str, str]) -> None:
    import httpx

    with httpx.Client(base_url=base, timeout=300, headers=headers) as c:
        for u in urls:
            c.get(u)


def describe_store(base: str) -> str:
    import httpx

    with httpx.Client(base_url=base, timeout=60) as c:
        stats = c.get("/api/stats").json()
    return ", ".join(f"{v} {k}" for k, v in stats.items() if k != "errors")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--full", type=int, default=200, help="articles (beyond --articles) through the full pipeline")
    ap.add_argument("--seconds", type=float, default=10.0, help="load per endpoint")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--uncached-concurrency", type=int, default=2,
                    help="connections with the cache off: every request builds its answer, and 16 dossiers of "
                         "10 MB built at once take 1.5 GB")
    ap.add_argument("--max-requests", type=int, default=20_000, help="cap per endpoint (httpx generator)")
    ap.add_argument("--db", type=Path, help="reuse (or build once into) this store")
    ap.add_argument("--cache", choices=["both", "on", "off"], default="both")
    ap.add_argument("--workers", type=int, default=1, help="sitrep serve --workers")
    ap.add_argument("--generator", choices=["auto", "wrk", "httpx"], default="auto")
    ap.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (the server needs the other core)")
    ap.add_argument("--identity", action="store_true", help="ask for uncompressed bodies")
    args = ap.parse_args()

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "httpx"
    if generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), or use --generator httpx")
    headers = {"Accept-Encoding": "identity" if args.identity else "gzip"}

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "load.sqlite"
    if not db.exists():
        print(f"building a store: {args.articles} articles (foundation path) + {args.full} (full pipeline) ...", flush=True)
        secs = build_store(db, args.articles, args.full)
        print(f"  built in {secs:.0f}s: {db}")
    log = Path(tmp.name) / "server.log"
    modes = {"both": [False, True], "on": [True], "off": [False]}[args.cache]
    print(f"load generator: {generator}; {args.seconds:g}s per endpoint; sitrep serve --workers {args.workers} "
          f"on {HOST}; Accept-Encoding: {headers['Accept-Encoding']}")
    try:
        for cache in modes:
            port = free_port()
            server = start_server(db, port, cache, args.workers, log)
            base = f"http://{HOST}:{port}"
            try:
                endpoints = endpoints_of(base)
                if cache:
                    for urls in endpoints.values():
                        warm(base, urls, headers)
                label = "\ncache on (warm)" if cache else "\ncache off"
                conns = args.concurrency if cache else args.uncached_concurrency
                print(f"{label}; {conns} connections; store: {describe_store(base)}; "
                      f"load average {os.getloadavg()[0]:.2f}")
                print(f"{'endpoint':38} {'urls':>4} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
                      f"{'p99 ms':>8}  errors")
                for name, urls in endpoints.items():
                    wait_idle(server.pid)
                    if generator == "wrk":
                        res = run_wrk(base, urls, args.seconds, conns, args.wrk_threads, headers)
                    else:
                        res = asyncio.run(hammer(base, urls, args.seconds, conns, args.max_requests, headers))
                    print(f"{name:38} {len(urls):4d} {res['requests']:8d} {res['rps']:8.1f} {res['p50'] * 1000:8.1f} "
                          f"{res['p90'] * 1000:8.1f} {res['p99'] * 1000:8.1f}  {json.dumps(res['errors']) if res['errors'] else 0}",
                          flush=True)
                print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            finally:
                stop_server(server)
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    main()
