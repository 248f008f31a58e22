"""Kill ``sitrep ingest`` with SIGKILL mid-run, re-run it, and find nothing lost or doubled.

Uses the rounds of ``bench/crash_resume.py`` (3 here; the bench runs 20): each round starts from
an empty database, kills the full-pipeline ingest, re-runs it to completion, and checks every
input record is stored exactly once, no orphan rows, every article has its ``sources`` row and
its story, each article's claims, events and mentions match the uninterrupted run, and SQLite's
integrity check passes, and that no process of a killed run outlives it. One round kills right
after the first batch commits, one during the model load, and one at a point drawn like the
bench's.
"""
from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import crash_resume  # noqa: E402
from bench_ingest import generate  # noqa: E402

ARTICLES = 24  # small: each round starts a full pipeline (spaCy load) twice


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus, and the timing of one uninterrupted, watched ingest of it."""
    work = tmp_path_factory.mktemp("crash")
    path = work / "corpus.jsonl"
    generate(ARTICLES, path)
    ids = {json.loads(line)["id"] for line in path.open()}
    timing = crash_resume.reference_run(path, work / "full.sqlite")
    assert timing.batches == 2 and timing.first_commit < timing.full
    return path, ids, work, timing


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


def test_check_detects_a_half_written_article(corpus, tmp_path):
    """An article whose claims were only partly written differs from the uninterrupted run."""
    path, ids, work, _ = corpus
    reference = crash_resume.derived_counts(work / "full.sqlite")
    db = tmp_path / "half.sqlite"
    db.write_bytes((work / "full.sqlite").read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM claims WHERE id = (SELECT id FROM claims LIMIT 1)")
    conn.commit()
    conn.close()
    assert crash_resume.check(work / "full.sqlite", ids, reference)["problems"] == []
    assert any("claims differ" in p for p in crash_resume.check(db, ids, reference)["problems"])


def test_three_kill_resume_rounds_lose_and_double_nothing(corpus):
    path, ids, work, timing = corpus
    reference = crash_resume.derived_counts(work / "full.sqlite")
    rng = random.Random(3)
    results = [
        crash_resume.one_round(path, ids, work, rng, timing, reference, after_batches=1, jitter=0.0),
        crash_resume.one_round(path, ids, work, rng, timing, reference, after_batches=0, jitter=1.0),
        crash_resume.one_round(path, ids, work, rng, timing, reference),
    ]
    for r in results:
        assert r["rerun_exit"] == 0, r
        assert r["problems"] == [], r
        assert r["survivors"] == [], r  # spaCy's forked parsers die with the killed ingest
        assert r["articles"] >= ARTICLES * 0.9
    assert results[0]["killed"] and results[0]["batches_before_kill"] == 1, results[0]
    assert results[1]["killed"] and results[1]["batches_before_kill"] == 0, results[1]
    assert results[0]["children_seen"] >= 1, results[0]  # a kill mid-parse had parsers to orphan
