"""Kill ``sitrep ingest`` with SIGKILL mid-run, re-run it, and find nothing lost or doubled.

Uses the rounds of ``bench/crash_resume.py`` (3 here; the bench runs 20): each round starts from
an empty database, kills the full-pipeline ingest at a random moment, re-runs it to completion,
and checks every input record is stored exactly once, no orphan rows, every article has its
``sources`` row and its story, and SQLite's integrity check passes.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import crash_resume  # noqa: E402
from bench_ingest import generate  # noqa: E402

ARTICLES = 24  # small: each round starts a full pipeline (spaCy load) twice


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus, and how long one uninterrupted ingest of it takes."""
    work = tmp_path_factory.mktemp("crash")
    path = work / "corpus.jsonl"
    generate(ARTICLES, path)
    ids = {json.loads(line)["id"] for line in path.open()}
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    t0 = time.perf_counter()
    done = subprocess.run(crash_resume.SITREP + ["ingest", str(path), "--db", str(work / "full.sqlite"),
                                                 "--batch-size", "16"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return path, ids, work, time.perf_counter() - t0


def test_uninterrupted_ingest_passes_the_checks(corpus):
    path, ids, work, _ = corpus
    result = crash_resume.check(work / "full.sqlite", ids)
    assert result["problems"] == []
    assert result["articles"] >= ARTICLES * 0.9  # near-duplicate reprints are stored; exact duplicates once


def test_check_detects_damage(corpus, tmp_path):
    """The checker itself must see a lost article and an orphan row, or the rounds prove nothing."""
    path, ids, work, _ = corpus
    db = tmp_path / "damaged.sqlite"
    db.write_bytes((work / "full.sqlite").read_bytes())
    conn = sqlite3.connect(db)
    victim = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM articles WHERE id = ?", (victim,))
    conn.commit()
    conn.close()
    problems = crash_resume.check(db, ids)["problems"]
    assert any("lost" in p for p in problems)
    assert any("orphan" in p for p in problems)


def test_three_kill_resume_rounds_lose_and_double_nothing(corpus):
    path, ids, work, full_seconds = corpus
    rng = random.Random(3)
    results = [crash_resume.one_round(path, ids, work, rng, full_seconds) for _ in range(3)]
    for r in results:
        assert r["rerun_exit"] == 0, r
        assert r["problems"] == [], r
        assert r["articles"] >= ARTICLES * 0.9
    assert any(r["killed"] for r in results), "no round killed the ingest mid-run"
