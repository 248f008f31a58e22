"""Latency of the reads that used to cost the whole corpus, on a 10,000-article store.

    .venv/bin/python bench/bench_reads.py [--db /tmp/load10k.sqlite] [--repeat 20] [--state-repeat 5]
                                          [--in-place]

Builds the store ``bench/load.py`` builds (10,000 articles through the foundation path plus 200
through the whole pipeline; ``--db`` reuses one built before) and times, in process and with the
response cache off (``cache_bytes=0``, as ``SITREP_CACHE_MB=0`` does for ``sitrep serve``):

- the home page: plain, filtered by outlet, by a search word, by a start day;
- ``/api/entities`` (100 and 500 per page) and one entity's page;
- events of an entity: ``/api/events?entity=`` by id, by name, and by a name that matches nothing
  (the lookup that used to scan every entity);
- the ingest start-up: ``Pipeline._load_state`` (outlet registry, line statistics, the MinHash
  index of every stored article, the entity resolver and the story clusterer).

Each read is requested once to warm up, then ``--repeat`` times; the table gives the median and
the 95th percentile in milliseconds. The store is opened through a copy (unless ``--in-place``),
so a newer schema's migration never touches the original; the time the migration took on that
copy is printed. Which code is measured is the ``sitrep`` on ``PYTHONPATH`` (else this checkout's
``src``), so the same command measures the code before and after a change:

    PYTHONPATH=/path/to/old/src .venv/bin/python bench/bench_reads.py --db /tmp/load10k.sqlite
"""
from __future__ import annotations

import argparse
import inspect
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.append(str(REPO / "src"))  # after PYTHONPATH: a given sitrep wins


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile of ``repeat`` calls of ``fn`` (after one warm-up), in ms."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95


def pick_keys(db: Path) -> dict[str, str]:
    """Read parameters picked from the store itself (plain sqlite3, so any schema version will do):
    the most mentioned entity, a name from the middle of the entity list, the commonest story
    outlet, a word of a story title and a day inside the stories' span."""
    import json
    import sqlite3
    from collections import Counter

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    top = con.execute("SELECT id FROM entities ORDER BY mention_count DESC, name LIMIT 1").fetchone()["id"]
    n = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    middle = con.execute("SELECT name FROM entities ORDER BY mention_count DESC, name LIMIT 1 OFFSET ?",
                         (n // 2,)).fetchone()["name"]
    outlets: Counter[str] = Counter()
    words: Counter[str] = Counter()
    days = []
    for row in con.execute("SELECT title, time_start, data FROM stories"):
        outlets.update(json.loads(row["data"]).get("outlets") or [])
        words.update(w for w in str(row["title"] or "").lower().split() if len(w) > 4)
        if row["time_start"]:
            days.append(row["time_start"])
    con.close()
    days.sort()
    return {"top": top, "middle": middle, "outlet": outlets.most_common(1)[0][0],
            "word": words.most_common(1)[0][0], "since": days[len(days) // 2] if days else "2020-01-01"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=Path("/tmp/load10k.sqlite"), help="reuse (or build once into) this store")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--full", type=int, default=200, help="articles (beyond --articles) through the full pipeline")
    ap.add_argument("--repeat", type=int, default=20, help="timed requests per read")
    ap.add_argument("--state-repeat", type=int, default=5, help="timed _load_state calls")
    ap.add_argument("--in-place", action="store_true", help="open the store itself, not a copy")
    args = ap.parse_args()

    if not args.db.exists():
        from load import build_store

        print(f"building a store: {args.articles} articles (foundation path) + {args.full} (full pipeline) ...",
              flush=True)
        print(f"  built in {build_store(args.db, args.articles, args.full):.0f}s: {args.db}")

    from fastapi.testclient import TestClient

    import sitrep
    from sitrep.api import create_app
    from sitrep.pipeline import Pipeline

    keys = pick_keys(args.db)
    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if not args.in_place:
        db = Path(tmp.name) / args.db.name
        shutil.copyfile(args.db, db)
    t0 = time.perf_counter()
    app = create_app(str(db), cache_bytes=0)
    opened = time.perf_counter() - t0
    repo = app.state.repo
    print(f"sitrep from {Path(sitrep.__file__).parent}; store {args.db} ({repo.count_articles()} articles, "
          f"{repo.count('entities')} entities, {repo.count('events')} events, {repo.count('stories')} stories); "
          f"opened (with any migration) in {opened:.2f}s")
    client = TestClient(app)

    def get(url: str) -> Callable[[], Any]:
        def fetch() -> None:
            r = client.get(url)
            assert r.status_code in (200, 404), (url, r.status_code)
        return fetch

    reads = {
        "home page /": "/",
        "home page ?outlet=": f"/?outlet={keys['outlet']}",
        "home page ?q=": f"/?q={keys['word']}",
        "home page ?since=": f"/?since={keys['since']}",
        "/api/entities": "/api/entities",
        "/api/entities?limit=500": "/api/entities?limit=500",
        "/entities/{id} page": f"/entities/{keys['top']}",
        "/api/events?entity={id}": f"/api/events?entity={keys['top']}",
        "/api/events?entity={name}": f"/api/events?entity={keys['middle']}",
        "/api/events?entity={unknown}": "/api/events?entity=no%20such%20entity",
    }
    print(f"keys: {keys}; {args.repeat} requests per read after one warm-up")
    print(f"{'read':32} {'median ms':>10} {'p95 ms':>10}")
    for name, url in reads.items():
        med, p95 = timed(get(url), args.repeat)
        print(f"{name:32} {med:10.1f} {p95:10.1f}", flush=True)

    # the code before the pipeline took its engine from outside needs no-stage runs said so
    old = "document_stages" in inspect.signature(Pipeline).parameters
    pipeline = Pipeline(repo, document_stages=[]) if old else Pipeline(repo)
    med, p95 = timed(pipeline._load_state, args.state_repeat)
    print(f"{'ingest start-up (_load_state)':32} {med:10.1f} {p95:10.1f}")
    repo.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
