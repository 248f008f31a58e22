"""``sitrep watch`` throughput beside ``ingest``, and its memory over a long (simulated) run.

    nice -n 10 .venv/bin/python bench/bench_watch.py throughput --feeds 200 --items 50 [--stages foundation|full]
    nice -n 10 .venv/bin/python bench/bench_watch.py memory --passes 120 --feeds 20 --new 2

Pages are the 181 real article pages of ../shared/eval/article-extraction/html (read in place;
``skipped: …`` when absent). To have more distinct pages than that, page k is one of the 149
pages with at least 12 ``<p>`` elements, with two of its paragraphs left out (a different pair
for each k), so every page is real text; a pair that only removed page furniture yields the same
text as another page and is counted as a duplicate by the store, as it would be in a real crawl.

``throughput``: a local HTTP server (127.0.0.1, this process) serves FEEDS RSS feeds of ITEMS
items each; a child process makes one ``Watcher.run_once`` pass over all feeds (politeness delay
0) into a fresh store, and another child ingests the same page bytes written to files with
``Pipeline.ingest`` (what ``sitrep ingest DIR`` runs), the same pipeline built the same way in
both. Items per minute = pages handled / wall time of the pass (the model load is outside it).

``memory``: a 2-hour watch with ``--every 1m``, simulated: PASSES passes back to back (the sleep
between passes skipped, the client's clock advanced a minute per pass), each pass with NEW new
items in each of FEEDS feeds (a feed lists its latest 50, as feeds do); RSS and PSS of the
watching process (/proc/self/smaps_rollup) after every pass. Flat means no growth with passes
beyond the store's page cache.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from local_site import ROBOTS, serve  # noqa: E402
SHARED = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared"))
HTML_DIR = SHARED / "eval" / "article-extraction" / "html"
MIN_PARAGRAPHS = 12  # C(12, 2) = 66 variants per page: 149 pages x 66 > 10,000 distinct pages
FEED_WINDOW = 50  # items a feed lists (its latest), as news feeds commonly do
_P = re.compile(rb"<p[\s>].*?</p\s*>", re.I | re.S)


class Pages:
    """Page k's bytes: a real page with a k-dependent pair of paragraphs left out."""

    def __init__(self) -> None:
        if not HTML_DIR.is_dir():
            print(f"skipped: {HTML_DIR} not present")
            raise SystemExit(0)
        self.bases: list[tuple[bytes, list[tuple[int, int]]]] = []
        for path in sorted(HTML_DIR.glob("*.html.gz")):
            html = gzip.decompress(path.read_bytes())
            spans = [m.span() for m in _P.finditer(html)]
            if len(spans) >= MIN_PARAGRAPHS:
                self.bases.append((html, spans))

    def page(self, k: int) -> bytes:
        html, spans = self.bases[k % len(self.bases)]
        variant = k // len(self.bases)
        pairs = itertools.combinations(range(len(spans)), 2)
        i, j = next(itertools.islice(pairs, variant % (len(spans) * (len(spans) - 1) // 2), None))
        (a0, a1), (b0, b1) = spans[i], spans[j]
        return html[:a0] + html[a1:b0] + html[b1:]


def rss(base: str, feed: int, items: list[int]) -> bytes:
    entries = "".join(f"<item><title>Report {k}</title><link>{base}/p/{k}</link>"
                      f"<pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate></item>" for k in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet {feed}</title>{entries}'
            "</channel></rss>").encode()


class Site:
    """Feeds and pages; ``/advance`` starts the next simulated pass (new items in every feed)."""

    def __init__(self, pages: Pages, feeds: int, items: int, new_per_pass: int = 0) -> None:
        self.pages, self.feeds, self.items, self.new = pages, feeds, items, new_per_pass
        self.passes = 0
        self.requests = 0
        self.base = ""  # set by serve()

    def feed_items(self, feed: int) -> list[int]:
        if not self.new:  # throughput: a fixed set, items feed*items .. feed*items+items-1
            return [feed * self.items + j for j in range(self.items)]
        listed = (self.passes + 1) * self.new  # items of this feed published so far
        return [feed * 1_000_000 + j for j in range(max(0, listed - FEED_WINDOW), listed)]

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        server, self.base = serve(self.route, keep_alive=True)
        return server, self.base

    def route(self, path: str) -> tuple[bytes, str] | None:
        self.requests += 1
        if path == "/robots.txt":
            return ROBOTS, "text/plain"
        if path == "/advance":
            self.passes += 1
            return str(self.passes).encode(), "text/plain"
        if path.startswith("/feed/"):
            feed = int(path[6:].split(".")[0])
            return rss(self.base, feed, self.feed_items(feed)), "application/rss+xml"
        if path.startswith("/p/"):
            return self.pages.page(int(path[3:])), "text/html"
        return None


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the engine's parsers): what the work
    cost whatever else shares the cores."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def memory_now() -> dict[str, float]:
    """RSS and PSS of this process in MiB (PSS shares shared pages out among their users)."""
    out = {}
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                out[key.lower() + "_mib"] = round(int(rest.split()[0]) / 1024, 1)
    return out


def _pipeline(repo, stages: str, workers: int | None):
    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline

    if stages == "foundation":
        return Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False)
    return Pipeline(repo, engine=make_engine("local", workers=workers))


def child_watch(args: argparse.Namespace) -> dict:
    from sitrep.store.sqlite import SQLiteRepository
    from sitrep.watch.fetch import PoliteClient
    from sitrep.watch.run import Watcher

    repo = SQLiteRepository(Path(args.work) / "watch.sqlite")
    pipeline = _pipeline(repo, args.stages, args.workers)
    feeds = [f"{args.base}/feed/{f}.xml" for f in range(args.feeds)]
    watcher = Watcher(pipeline, PoliteClient(delay=0.0, timeout=30.0))
    t0, c0 = time.perf_counter(), cpu_seconds()
    report = watcher.run_once(feeds)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    handled = report.pages_fetched
    return {"mode": "watch", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "pages": handled, "stored": report.ingest.stored,
            "duplicates": report.ingest.duplicates, "reprints": report.ingest.reprints,
            "errors": len(report.ingest.errors), "items_per_min": round(handled / seconds * 60),
            "items_per_cpu_min": round(handled / max(cpu, 1e-9) * 60), **memory_now()}


def child_ingest(args: argparse.Namespace) -> dict:
    from sitrep.store.sqlite import SQLiteRepository

    repo = SQLiteRepository(Path(args.work) / "ingest.sqlite")
    pipeline = _pipeline(repo, args.stages, args.workers)
    t0, c0 = time.perf_counter(), cpu_seconds()
    report = pipeline.ingest([Path(args.work) / "pages"])
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"mode": "ingest", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "pages": report.read, "stored": report.stored,
            "duplicates": report.duplicates, "reprints": report.reprints, "errors": len(report.errors),
            "items_per_min": round(report.read / seconds * 60),
            "items_per_cpu_min": round(report.read / max(cpu, 1e-9) * 60), **memory_now()}


def child_memory(args: argparse.Namespace) -> dict:
    import httpx

    from sitrep.store.sqlite import SQLiteRepository
    from sitrep.watch.fetch import PoliteClient
    from sitrep.watch.run import Watcher

    repo = SQLiteRepository(Path(args.work) / "memory.sqlite")
    pipeline = _pipeline(repo, args.stages, args.workers)
    now = [0.0]  # the simulated clock: a minute per pass (the client's robots cache reads it)
    watcher = Watcher(pipeline, PoliteClient(delay=0.0, timeout=30.0, clock=lambda: now[0], sleep=lambda s: None))
    feeds = [f"{args.base}/feed/{f}.xml" for f in range(args.feeds)]
    rows = []
    t0 = time.perf_counter()
    for n in range(args.passes):
        report = watcher.run_once(feeds)
        rows.append({"pass": n + 1, "minute": int(now[0] // 60), "stored": report.ingest.stored,
                     "articles": repo.count_articles(), **memory_now()})
        now[0] += 60.0
        httpx.get(args.base + "/advance", timeout=10)
        if args.verbose:
            print(json.dumps(rows[-1]), file=sys.stderr)
    return {"mode": "memory", "seconds": round(time.perf_counter() - t0, 1), "passes": rows}


def run_child(mode: str, args: argparse.Namespace, base: str, work: str) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--base", base, "--work", work, "--feeds", str(args.feeds),
           "--stages", args.stages, "--passes", str(getattr(args, "passes", 0))]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if getattr(args, "verbose", False):
        cmd.append("--verbose")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{mode} child failed:\n{done.stderr[-3000:]}")
    if getattr(args, "verbose", False):
        sys.stderr.write(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def throughput(args: argparse.Namespace) -> None:
    pages = Pages()
    site = Site(pages, args.feeds, args.items)
    server, base = site.serve()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "pages"
        folder.mkdir()
        for k in range(args.feeds * args.items):
            (folder / f"p{k:06d}.html").write_bytes(pages.page(k))
        rows = [run_child("watch", args, base, work), run_child("ingest", args, base, work)]
    server.shutdown()
    print(f"{args.feeds} feeds x {args.items} items, stages={args.stages}, workers={args.workers or 'all'}, "
          f"{len(pages.bases)} real base pages")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print("| mode | pages | stored | duplicates | reprints | errors | wall s | items/min | CPU s | items/CPU-min "
          "| RSS MiB | PSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['pages']} | {r['stored']} | {r['duplicates']} | {r['reprints']} | {r['errors']} | "
              f"{r['seconds']} | {r['items_per_min']:,} | {r['cpu_seconds']} | {r['items_per_cpu_min']:,} | "
              f"{r['rss_mib']} | {r['pss_mib']} |")
    print(json.dumps(rows))


def memory(args: argparse.Namespace) -> None:
    pages = Pages()
    site = Site(pages, args.feeds, FEED_WINDOW, new_per_pass=args.new)
    server, base = site.serve()
    with tempfile.TemporaryDirectory() as work:
        result = run_child("memory", args, base, work)
    server.shutdown()
    rows = result["passes"]
    print(f"{args.passes} passes (simulated {args.passes} min), {args.feeds} feeds, {args.new} new items per feed "
          f"per pass, stages={args.stages}: {rows[-1]['articles']} articles in {result['seconds']} s")
    print("| pass | minute | articles | RSS MiB | PSS MiB |")
    print("|---|---|---|---|---|")
    shown = sorted({0, 1, 4, 9, len(rows) // 4, len(rows) // 2, 3 * len(rows) // 4, len(rows) - 1})
    for i in shown:
        if 0 <= i < len(rows):
            r = rows[i]
            print(f"| {r['pass']} | {r['minute']} | {r['articles']} | {r['rss_mib']} | {r['pss_mib']} |")
    tail = rows[min(9, len(rows) - 1):]
    growth = tail[-1]["rss_mib"] - tail[0]["rss_mib"]
    print(f"RSS from pass {tail[0]['pass']} to {tail[-1]['pass']}: {growth:+.1f} MiB "
          f"(max {max(r['rss_mib'] for r in rows)} MiB)")
    print(json.dumps(rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="?", choices=["throughput", "memory"], default="throughput")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--passes", type=int, default=120)
    ap.add_argument("--new", type=int, default=2, help="memory: new items per feed per pass")
    ap.add_argument("--stages", choices=["foundation", "full"], default="foundation")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--child", choices=["watch", "ingest", "memory"], help=argparse.SUPPRESS)
    ap.add_argument("--base", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        sys.path.insert(0, str(REPO / "src"))
        result = {"watch": child_watch, "ingest": child_ingest, "memory": child_memory}[args.child](args)
        print(json.dumps(result))
        return
    (throughput if args.what == "throughput" else memory)(args)


if __name__ == "__main__":
    main()
