"""Kill ``sitrep ingest`` with SIGKILL at random moments, re-run it, check nothing was lost.

    .venv/bin/python bench/crash_resume.py --rounds 20 --articles 200

Each round starts from an empty database, kills the ingest after a random delay (between the
model load and the expected end), re-runs it to completion, and checks: every input record is
stored exactly once, no half-written rows (claims, events, mentions and story links all point
at stored articles; every stored article has its ``sources`` row and its story), and SQLite's
integrity check passes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_ingest import generate  # noqa: E402

SITREP = [sys.executable, "-m", "sitrep.cli"]


def check(db: Path, expected_ids: set[str]) -> dict:
    conn = sqlite3.connect(db)
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    ids = [r[0] for r in q("SELECT source_id FROM articles")]
    problems = []
    if len(ids) != len(set(ids)):
        problems.append(f"{len(ids) - len(set(ids))} duplicated articles")
    # exact duplicates in the input are stored once, under the first record's id
    missing = expected_ids - set(ids)
    dup_rows = {r[0] for r in q("SELECT record_key FROM sources WHERE status='duplicate'")}
    if len(missing) > len(dup_rows):
        problems.append(f"{len(missing) - len(dup_rows)} articles lost")
    for table in ("claims", "events", "mentions", "story_articles"):
        orphans = q(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")[0][0]
        if orphans:
            problems.append(f"{orphans} orphan rows in {table}")
    no_source = q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sources WHERE article_id IS NOT NULL)")[0][0]
    if no_source:
        problems.append(f"{no_source} articles without a sources row")
    no_story = q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)")[0][0]
    if no_story:
        problems.append(f"{no_story} articles in no story")
    integrity = q("PRAGMA integrity_check")[0][0]
    if integrity != "ok":
        problems.append(f"integrity: {integrity}")
    conn.close()
    return {"articles": len(ids), "problems": problems}


def one_round(corpus: Path, ids: set[str], work: Path, rng: random.Random, full_seconds: float) -> dict:
    db = work / f"r{rng.randrange(10**9)}.sqlite"
    cmd = SITREP + ["ingest", str(corpus), "--db", str(db), "--batch-size", "16"]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    delay = rng.uniform(0.2, full_seconds)
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = 0
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            partial = 0
        conn.close()
    done = subprocess.run(cmd + ["--json"], capture_output=True, text=True, env=env)
    result = check(db, ids)
    result.update(killed=killed, delay=round(delay, 2), stored_before_kill=partial, rerun_exit=done.returncode)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        generate(args.articles, corpus)
        ids = {json.loads(line)["id"] for line in corpus.open()}
        t0 = time.perf_counter()
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        subprocess.run(SITREP + ["ingest", str(corpus), "--db", str(work / "full.sqlite"), "--batch-size", "16"],
                       capture_output=True, env=env, check=False)
        full_seconds = time.perf_counter() - t0
        results = [one_round(corpus, ids, work, rng, full_seconds) for _ in range(args.rounds)]
    killed = sum(r["killed"] for r in results)
    bad = [r for r in results if r["problems"] or r["rerun_exit"] != 0]
    print(f"rounds: {len(results)}  killed mid-run: {killed}  full run: {full_seconds:.1f}s  articles: {args.articles}")
    for i, r in enumerate(results):
        print(f"  round {i:2d}: kill after {r['delay']:6.2f}s killed={r['killed']!s:5} stored before kill="
              f"{r['stored_before_kill']:4d} after re-run={r['articles']:4d} problems={r['problems'] or 'none'}")
    print(f"lost or duplicated articles: {sum(1 for r in results if r['problems'])} rounds with problems; "
          f"re-runs failing: {sum(1 for r in results if r['rerun_exit'] != 0)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
