"""kill -9 of a running ``sitrep watch``: the full pipeline in a subprocess against the local test
server, killed with SIGKILL after its first batch committed, then ``--once`` again. Nothing lost
(every listed page stored), nothing doubled (articles, crawl-state rows, alerts), pages stored
before the kill not fetched again, and no process of the killed watch left running."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from test_watch import HTML, rss, site  # noqa: F401 (the fixture)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from crash_resume import descendants, survivors  # noqa: E402

PAGES = 24
BATCH = 4
TOWNS = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum", "Hazel", "Ivy", "Juniper", "Kapok", "Larch"]


def article_page(i: int) -> bytes:
    town, other = TOWNS[i % len(TOWNS)], TOWNS[(i * 5 + 3) % len(TOWNS)]
    body = (f"<p>Council officials in {town} said on day {i} of the works that the bridge over the river had been "
            f"closed after inspectors found {i + 2} cracked girders.</p><p>Traffic to {other} was diverted through "
            f"the valley road, adding {i * 3 + 10} minutes to the journey, a spokesman for the roads agency said.</p>"
            f"<p>Repairs are expected to take {i % 5 + 2} weeks and cost about {i * 17 + 40} thousand dollars.</p>")
    return (f"<html><head><title>Bridge {i} closed in {town}</title></head><body><article><h1>Bridge {i} closed in "
            f"{town}</h1>{body}</article></body></html>").encode()


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet, or mid-migration


def test_kill_9_midway_then_once_again_loses_and_doubles_nothing(site, tmp_path):  # noqa: F811
    paths = [f"/news/bridge-{i}" for i in range(PAGES)]
    for i, p in enumerate(paths):
        site.routes[p] = (200, HTML, article_page(i))
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml", "ETag": '"f1"'}, rss(site.base, paths))
    db, alerts = tmp_path / "w.sqlite", tmp_path / "alerts.jsonl"
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "bridges"\nkeyword = "bridge"\n')
    cmd = [sys.executable, "-m", "sitrep", "watch", site.base + "/feed.xml", "--once", "--db", str(db), "--delay", "0",
           "--workers", "1", "--batch-size", str(BATCH), "--alerts", str(rules), "--alerts-out", str(alerts), "--json"]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    tree: set[tuple[int, int]] = set()
    deadline = time.monotonic() + 300
    while proc.poll() is None and count(db, "SELECT count(*) FROM articles") < BATCH and time.monotonic() < deadline:
        tree |= descendants(proc.pid)
        time.sleep(0.02)
    tree |= descendants(proc.pid)
    assert proc.poll() is None, "the watch finished before it could be killed: " + proc.stderr.read().decode()[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert survivors(tree) == []  # spaCy's forked parsers went with it
    before = {row for row in sqlite3.connect(db).execute("SELECT url FROM articles")}
    assert BATCH <= len(before) < PAGES
    assert count(db, "SELECT count(*) FROM watch_sources WHERE etag IS NOT NULL") == 0  # the pass never finished

    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)[0]
    conn = sqlite3.connect(db)
    urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted(site.base + p for p in paths)  # nothing lost, nothing twice
    assert conn.execute("SELECT count(*), count(DISTINCT url) FROM watch_pages").fetchone() == (PAGES, PAGES)
    assert conn.execute("SELECT count(*) FROM watch_pages WHERE status != 'fetched'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*), max(etag) FROM watch_sources").fetchone() == (1, '"f1"')
    for table in ("claims", "events", "mentions", "story_articles"):
        orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0, table
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert report["ingest"]["stored"] == PAGES - len(before) and report["ingest"]["duplicates"] == 0
    for (url,) in before:  # stored before the kill: not fetched again
        assert site.hits(url[len(site.base):]) == 1, url
    assert all(site.hits(p) <= 2 for p in paths)
    lines = [json.loads(x) for x in alerts.read_text().splitlines()]
    assert sorted(x["url"] for x in lines) == sorted(urls)  # each article alerted once, the killed run's too

    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and json.loads(again.stdout)[0]["not_modified"] == 1
    assert len(alerts.read_text().splitlines()) == PAGES
