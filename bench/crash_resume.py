"""Kill ``sitrep ingest`` with SIGKILL at random points, re-run it, check nothing was lost.

    .venv/bin/python bench/crash_resume.py --rounds 20 --articles 200

A first, uninterrupted run gives the reference database and the run's timing: when the first
batch commits (the model load is over) and how far apart batches commit. Each round then starts
from an empty database and picks its kill point uniformly among "before the first commit" and
"after k committed batches" for every k up to the last batch: it watches the database until k
batches are in, waits a random part of one batch's time, and sends SIGKILL (so kills land in
the middle of a batch's NLP, inside its transaction, or in the final story refresh). How many
batches were committed when the kill landed is read from the database, not assumed.

After the kill the ingest is re-run to completion and the database is checked: every input
record stored exactly once (exact duplicates once, under the first record), no half-written rows
(claims, events, mentions and story links all point at stored articles; every stored article
has its ``sources`` row and its story; every story has its articles and the right count), each
article's claims, events and mentions the same as in the uninterrupted run, and SQLite's
integrity check passes. And no process of the killed run may outlive it: the process tree of
the ingest (spaCy's forked parsers included) is watched while it runs, and every member must be
gone within ``SURVIVOR_GRACE`` seconds of the kill (``survivors`` in each round's result).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_ingest import generate  # noqa: E402

SITREP = [sys.executable, "-m", "sitrep.cli"]
BATCH = 16  # --batch-size: small, so a small corpus still has several commits to land between
POLL = 0.02  # seconds between looks at the database while waiting for a commit

_DERIVED = ("claims", "events", "mentions")
SURVIVOR_GRACE = 5.0  # seconds a killed run's children get to notice and exit


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a live process, from /proc; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1]), int(fields[19])


def descendants(root: int) -> set[tuple[int, int]]:
    """(pid, start time) of every process below ``root`` now (the start time tells a reused pid)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (st := _stat(int(name))) is not None:
            children.setdefault(st[1], []).append((int(name), st[2]))
    found: set[tuple[int, int]] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child[0])
    return found


def survivors(procs: set[tuple[int, int]], grace: float = SURVIVOR_GRACE) -> list[str]:
    """The command lines of ``procs`` still running (zombies count as gone) after up to ``grace`` s."""
    deadline = time.monotonic() + grace
    while True:
        alive = [(pid, start) for pid, start in procs
                 if (st := _stat(pid)) is not None and st[2] == start and st[0] != "Z"]
        if not alive or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    out = []
    for pid, _ in alive:
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            cmd = "?"
        out.append(f"{pid}: {cmd}")
    return out


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return SITREP + ["ingest", str(corpus), "--db", str(db), "--batch-size", str(BATCH)]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "src"))


def committed_records(db: Path) -> int:
    """Input records whose batch has committed (each batch writes a ``sources`` row for every
    record in its transaction); 0 while the database or its tables do not exist yet."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def batches(records: int) -> int:
    return math.ceil(records / BATCH)


@dataclass
class Timing:
    """What the uninterrupted run showed: when the first batch committed, the mean time between
    commits after that, the whole run, and how many batches there are."""

    first_commit: float
    between_commits: float
    full: float
    batches: int


def reference_run(corpus: Path, db: Path) -> Timing:
    """The uninterrupted run, watched: commit times come from polling its database."""
    log = db.with_suffix(".log")
    t0 = time.perf_counter()
    with log.open("wb") as err:  # a file, not a pipe: nobody reads a pipe while we poll
        proc = subprocess.Popen(ingest_command(corpus, db), stdout=subprocess.DEVNULL, stderr=err, env=_env())
        commits: list[float] = []
        seen = 0
        while proc.poll() is None:
            n = batches(committed_records(db))
            if n > seen:
                commits.extend([time.perf_counter() - t0] * (n - seen))
                seen = n
            time.sleep(POLL)
    full = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"uninterrupted ingest failed ({proc.returncode}): "
                           f"{log.read_text(errors='replace')[-2000:]}")
    total = batches(committed_records(db))
    commits.extend([full] * (total - seen))  # commits after the last poll
    gap = (commits[-1] - commits[0]) / (len(commits) - 1) if len(commits) > 1 else full - commits[0]
    return Timing(first_commit=commits[0] if commits else full, between_commits=max(gap, POLL), full=full,
                  batches=total)


def derived_counts(db: Path) -> dict[str, Counter]:
    """Rows per article in each derived table, keyed by article id."""
    conn = sqlite3.connect(db)
    try:
        return {t: Counter(dict(conn.execute(f"SELECT article_id, count(*) FROM {t} GROUP BY article_id")))
                for t in _DERIVED}
    finally:
        conn.close()


def check(db: Path, expected_ids: set[str], reference: dict[str, Counter] | None = None) -> dict:
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
    for table in (*_DERIVED, "story_articles"):
        orphans = q(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")[0][0]
        if orphans:
            problems.append(f"{orphans} orphan rows in {table}")
    no_source = q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sources WHERE article_id IS NOT NULL)")[0][0]
    if no_source:
        problems.append(f"{no_source} articles without a sources row")
    no_story = q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)")[0][0]
    if no_story:
        problems.append(f"{no_story} articles in no story")
    empty = q("SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)")[0][0]
    if empty:
        problems.append(f"{empty} stories without articles")
    miscounted = q("SELECT count(*) FROM stories s WHERE article_count != "
                   "(SELECT count(*) FROM story_articles a WHERE a.story_id = s.id)")[0][0]
    if miscounted:
        problems.append(f"{miscounted} stories whose article_count is not their articles")
    integrity = q("PRAGMA integrity_check")[0][0]
    if integrity != "ok":
        problems.append(f"integrity: {integrity}")
    stored = {r[0] for r in q("SELECT id FROM articles")}
    conn.close()
    if reference is not None:
        got = derived_counts(db)
        for table in _DERIVED:
            differ = [a for a in stored if got[table][a] != reference[table][a]]
            if differ:
                problems.append(f"{len(differ)} articles whose {table} differ from the uninterrupted run")
    return {"articles": len(ids), "problems": problems}


def one_round(corpus: Path, ids: set[str], work: Path, rng: random.Random, timing: Timing,
              reference: dict[str, Counter] | None = None, *, after_batches: int | None = None,
              jitter: float | None = None) -> dict:
    """Kill one ingest after ``after_batches`` committed batches (0: before the first commit;
    None: drawn uniformly from 0 to the last batch) plus ``jitter`` seconds (None: a random part
    of one batch's time), re-run it to the end, and check the database."""
    db = work / f"r{rng.randrange(10**9)}.sqlite"
    cmd = ingest_command(corpus, db)
    target = rng.randint(0, timing.batches) if after_batches is None else after_batches
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    tree: set[tuple[int, int]] = set()
    if target == 0:
        # During start-up and the model load; should the first batch commit before the drawn
        # moment (this run is faster than the reference), kill at once: the kill then lands
        # just after one commit, and is counted so.
        wait = rng.uniform(0.2, max(0.3, 0.9 * timing.first_commit)) if jitter is None else jitter
        while time.perf_counter() - t0 < wait and proc.poll() is None and committed_records(db) == 0:
            tree |= descendants(proc.pid)
            time.sleep(POLL)
    else:
        need = min(target * BATCH, len(ids))
        first = None
        while proc.poll() is None and (n := committed_records(db)) < need:
            if first is None and n:
                first = time.perf_counter() - t0
            tree |= descendants(proc.pid)
            time.sleep(POLL)
        if first is not None:  # load varies: aim later "before the first commit" kills by the fastest seen
            timing.first_commit = min(timing.first_commit, first)
        time.sleep(rng.uniform(0, timing.between_commits) if jitter is None else jitter)
    tree |= descendants(proc.pid)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    delay = time.perf_counter() - t0
    left = survivors(tree)
    before = committed_records(db)
    partial = 0
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            partial = 0
        conn.close()
    done = subprocess.run(cmd + ["--json"], capture_output=True, text=True, env=_env())
    result = check(db, ids, reference)
    result.update(killed=killed, delay=round(delay, 2), target=target, batches_before_kill=batches(before),
                  stored_before_kill=partial, rerun_exit=done.returncode, children_seen=len(tree), survivors=left)
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
        timing = reference_run(corpus, work / "full.sqlite")
        reference = derived_counts(work / "full.sqlite")
        base = check(work / "full.sqlite", ids)
        results = [one_round(corpus, ids, work, rng, timing, reference) for _ in range(args.rounds)]
    killed = sum(r["killed"] for r in results)
    bad = [r for r in results if r["problems"] or r["rerun_exit"] != 0 or r["survivors"]]
    print(f"rounds: {len(results)}  killed mid-run: {killed}  articles: {args.articles}  batches of {BATCH}: "
          f"{timing.batches}")
    print(f"uninterrupted run: {timing.full:.1f}s, first commit at {timing.first_commit:.1f}s, then one every "
          f"{timing.between_commits:.2f}s; its own check: {base['problems'] or 'ok'}")
    for i, r in enumerate(results):
        print(f"  round {i:2d}: target {r['target']:2d} batches, kill at {r['delay']:6.2f}s killed={r['killed']!s:5} "
              f"committed batches at kill={r['batches_before_kill']:2d} stored before kill={r['stored_before_kill']:4d} "
              f"after re-run={r['articles']:4d} problems={r['problems'] or 'none'}")
    landed = Counter(r["batches_before_kill"] for r in results if r["killed"])
    print("kills by committed batches when they landed: "
          + ", ".join(f"{k}: {landed[k]}" for k in sorted(landed)))
    print(f"kills after at least one commit: {sum(v for k, v in landed.items() if k >= 1)} of {killed}")
    print(f"rounds with lost, duplicated or inconsistent rows: {sum(1 for r in results if r['problems'])}; "
          f"re-runs failing: {sum(1 for r in results if r['rerun_exit'] != 0)}")
    print(f"processes of killed runs alive {SURVIVOR_GRACE:.0f}s after the kill: "
          f"{sum(len(r['survivors']) for r in results)} (of {sum(r['children_seen'] for r in results)} children seen)")
    sys.exit(1 if bad or base["problems"] else 0)


if __name__ == "__main__":
    main()
