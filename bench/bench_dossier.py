"""Uncached first view of a big story's dossier on a 10,000-article store (issue 19).

    nice -n 10 .venv/bin/python bench/bench_dossier.py [--db FILE] [--articles 10000] [--big 240]
                                                      [--rounds 20]

Builds the store once (``--db`` reuses one): ``--articles`` generated reports through the
foundation path (readers, cleaning, reprints; no spaCy, no stories), as ``load.py`` does, then
``--big`` reports of ONE incident (``synthetic.Writer`` over a single ``synthetic.Incident``, its
reports published over five weeks by the generator's outlets) through the whole pipeline, so one
story holds them all: the shape of the 200-article story whose dossier was 10.8 MB of JSON.

Then it starts ``sitrep serve`` with the response cache off (``SITREP_CACHE_MB=0``: every
request builds its answer) and, ``--rounds`` times, loads the first view of the biggest story the
way a browser does: the page, then the JSON its script fetches. The page names that JSON in its
``data-first-view`` attribute; a page without it (the code before issue 19's paging) fetches the
whole ``/api/stories/{id}``. Prints median and p95 of each request and of the whole first view,
with the bytes sent, and the server's CPU time per first view (from /proc: on a shared machine
the wall times carry the queueing, the CPU time does not).

The code measured is the one on ``PYTHONPATH`` (this checkout's ``src`` when unset), so the same
command measures another tree: ``PYTHONPATH=/work/main/src .venv/bin/python bench/bench_dossier.py``.
A store built by a newer tree may carry migrations an older tree does not know; build the
"before" store with the older tree and let the newer one migrate a copy (``--copy``).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = os.environ.get("PYTHONPATH") or str(REPO / "src")
sys.path.insert(0, str(REPO / "bench"))
if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, SRC)
from load import HOST, _cpu_seconds, free_port, percentile, start_server, stop_server  # noqa: E402
from synthetic import Writer, incident, outlets, report_length  # noqa: E402
from bench_ingest import generate  # noqa: E402


def big_story_records(n: int, seed: int = 19) -> list[dict]:
    """``n`` reports of one incident by the generator's outlets, over five weeks after it."""
    rng = random.Random(seed)
    names = outlets()
    day = date(2021, 3, 1)
    inc = incident(rng, 0, day)
    out = []
    for i in range(n):
        published = day + timedelta(days=i * 35 // max(n, 1))
        inc.reports += 1
        outlet = rng.choice(names)
        title, text = Writer(rng).report(inc, published, report_length(rng))
        out.append({"id": f"big-{i}", "outlet": outlet, "url": f"https://{names.index(outlet)}.example/big/{i}",
                    "title": title, "published": published.isoformat(), "text": text})
    return out


def build_store(db: Path, articles: int, big: int) -> float:
    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        generate(articles, corpus)
        story = Path(tmp) / "big.jsonl"
        story.write_text("".join(json.dumps(r) + "\n" for r in big_story_records(big)))
        t0 = time.perf_counter()
        repo = SQLiteRepository(str(db))
        Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False,
                 batch_size=500).ingest([corpus])
        Pipeline(repo).ingest([story])
        repo.close()
        return time.perf_counter() - t0


def biggest_story(db: Path) -> tuple[str, int]:
    import sqlite3

    con = sqlite3.connect(str(db))
    row = con.execute("SELECT id, article_count FROM stories ORDER BY article_count DESC LIMIT 1").fetchone()
    con.close()
    if row is None:
        raise SystemExit("the store has no story")
    return row[0], int(row[1])


def fetch(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"{url}: HTTP {r.status}")
    return time.perf_counter() - t0, len(body)


FIRST_VIEW = re.compile(r'data-first-view="([^"]*)"')


def first_view_urls(page: str, story_id: str) -> list[str]:
    """The JSON the page's script fetches to draw: named by the page, else the whole story."""
    found = FIRST_VIEW.search(page)
    if not found:
        return [f"/api/stories/{story_id}"]
    return [u.replace("&amp;", "&") for u in found.group(1).split() if u]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="reuse (or build here) the store")
    ap.add_argument("--copy", action="store_true", help="serve a copy of --db (a newer tree migrates the copy)")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--big", type=int, default=240)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    tmpdir = Path(tempfile.mkdtemp(prefix="bench-dossier-"))
    db = args.db or tmpdir / "store.sqlite"
    if not db.exists():
        print(f"building {db}: {args.articles} foundation articles + {args.big} reports of one incident ...",
              flush=True)
        print(f"built in {build_store(db, args.articles, args.big):.0f} s", flush=True)
    if args.copy:
        served = tmpdir / "copy.sqlite"
        shutil.copy(db, served)
        db = served
    story_id, size = biggest_story(db)
    port = free_port()
    base = f"http://{HOST}:{port}"
    proc = start_server(db, port, False, 1, tmpdir / "server.log", src=SRC, wait_s=600)  # cache off
    try:
        fetch(f"{base}/api/stats")  # opens the store (and runs any migration) before timing
        with urllib.request.urlopen(f"{base}/stories/{story_id}", timeout=300) as r:
            urls = first_view_urls(r.read().decode("utf-8"), story_id)
        page_t, json_t, total_t = [], [], []
        page_bytes = json_bytes = 0
        cpu0 = _cpu_seconds(proc.pid)
        for _ in range(args.rounds):
            t, page_bytes = fetch(f"{base}/stories/{story_id}")
            js = [fetch(base + u) for u in urls]
            page_t.append(t)
            json_t.append(sum(x[0] for x in js))
            json_bytes = sum(x[1] for x in js)
            total_t.append(t + json_t[-1])
        cpu = (_cpu_seconds(proc.pid) - cpu0) / args.rounds
        load = os.getloadavg()[0]
    finally:
        stop_server(proc)
    print(f"code: {SRC}\nstore: {db} ({args.articles}+{args.big} built; biggest story {story_id}: {size} articles)")
    print(f"first-view JSON: {' '.join(urls)}")
    for name, values, nbytes in (("page", page_t, page_bytes), ("json", json_t, json_bytes),
                                 ("first view", total_t, page_bytes + json_bytes)):
        print(f"{name:>10}: median {statistics.median(values) * 1000:7.1f} ms  p95 "
              f"{percentile(values, 95) * 1000:7.1f} ms  {nbytes / 1e6:6.2f} MB  ({len(values)} rounds, cache off)")
    print(f"server CPU per first view: {cpu * 1000:.1f} ms; load average (1 min) at the end: {load:.1f}")


if __name__ == "__main__":
    main()
