"""An ingest writing while the API and other readers read the same SQLite file.

The store promises (``store/sqlite.py``): WAL gives readers a consistent snapshot while a batch is
being written, ``BEGIN IMMEDIATE`` + ``busy_timeout`` make a second writer wait instead of failing
with "database is locked". These tests hold it to that from the outside: a writer in another
process, readers in threads (through the FastAPI app and straight through the repository), and
two writers at once.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench_ingest import generate  # noqa: E402

from sitrep.store.sqlite import SQLiteRepository  # noqa: E402

PER_PART = 25  # articles per input file; 4 files

#: The writer: the foundation path plus story clustering (no spaCy), in its own process.
WRITER = """
import sys
from sitrep.engines import make_engine
from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository
repo = SQLiteRepository(sys.argv[1])
report = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=True, batch_size=8).ingest(sys.argv[2:])
print(report.stored)
"""


def start_writer(db: Path, *inputs: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), *map(str, inputs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("conc")
    files = []
    for i in range(4):
        path = folder / f"part{i}.jsonl"
        generate(PER_PART, path, seed=100 + i)
        # distinct ids per part (generate numbers from 0 each time)
        path.write_text(path.read_text().replace('"id": "gen-', f'"id": "p{i}-gen-'))
        files.append(path)
    return files


def _watch(stop: threading.Event, fn, problems: list[str], name: str) -> int:
    """Call ``fn`` until ``stop``; any exception is a problem a user would have seen."""
    calls = 0
    while not stop.is_set():
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
        calls += 1
    return calls


def test_api_reads_during_ingest_see_consistent_snapshots(corpus, tmp_path):
    from fastapi.testclient import TestClient

    from sitrep.api.app import create_app

    db = tmp_path / "live.sqlite"
    SQLiteRepository(db).close()  # schema exists before the readers start
    client = TestClient(create_app(str(db)))
    problems: list[str] = []
    counts: list[int] = []
    calls = {"api": 0, "repo": 0}
    stop = threading.Event()

    def api_round():
        for url in ("/api/stories?limit=20", "/api/search?q=rockets", "/api/articles?limit=5", "/api/errors"):
            r = client.get(url)
            if r.status_code != 200 or "database is locked" in r.text:
                problems.append(f"{url}: {r.status_code} {r.text[:200]}")
        stories = client.get("/api/stories?limit=10").json()
        for story in stories[:3]:
            r = client.get(f"/api/stories/{story['id']}")
            if r.status_code != 200:
                problems.append(f"story {story['id']}: {r.status_code} {r.text[:200]}")
                continue
            for aid in story.get("article_ids", []):
                if client.get(f"/api/articles/{aid}").status_code != 200:
                    problems.append(f"story {story['id']} lists article {aid}, which is not there")
        calls["api"] += 1

    repo = SQLiteRepository(db)

    def repo_round():
        n = repo.count_articles()
        if counts and n < counts[-1]:
            problems.append(f"article count went down: {counts[-1]} -> {n}")
        counts.append(n)
        for story in repo.list_stories(limit=20):
            ids = repo.article_ids_of_story(story.id)
            missing = [a for a in ids if not repo.has_article(a)]
            if missing:
                problems.append(f"story {story.id} points at missing articles {missing[:3]}")
        repo.search("convoy OR \"base\" *", limit=5)
        calls["repo"] += 1

    readers = [threading.Thread(target=_watch, args=(stop, api_round, problems, "api")),
               threading.Thread(target=_watch, args=(stop, repo_round, problems, "repo"))]
    writer = start_writer(db, *corpus)
    for t in readers:
        t.start()
    try:
        out, err = writer.communicate(timeout=240)
    finally:
        time.sleep(0.2)  # one more read after the last commit
        stop.set()
        for t in readers:
            t.join(30)
    repo.close()
    assert writer.returncode == 0, err[-2000:]
    assert "database is locked" not in err
    assert problems == []
    assert calls["api"] >= 3 and calls["repo"] >= 3, calls
    final = SQLiteRepository(db)
    assert counts[-1] == final.count_articles() > 3 * PER_PART
    assert counts == sorted(counts)
    assert len(set(counts)) > 1, "the readers never saw the ingest in progress"
    assert final.integrity_check() == "ok"
    final.close()


def test_two_writers_at_once_both_finish(corpus, tmp_path):
    """A second ``ingest`` on the same file waits for the write lock instead of failing."""
    db = tmp_path / "two.sqlite"
    SQLiteRepository(db).close()
    a = start_writer(db, corpus[0], corpus[1])
    b = start_writer(db, corpus[2], corpus[3])
    out_a, err_a = a.communicate(timeout=240)
    out_b, err_b = b.communicate(timeout=240)
    assert a.returncode == 0, err_a[-2000:]
    assert b.returncode == 0, err_b[-2000:]
    repo = SQLiteRepository(db)
    assert int(out_a.split()[-1]) + int(out_b.split()[-1]) == repo.count_articles()
    assert repo.integrity_check() == "ok"
    # every record stored once: no article id twice
    ids = [r[0] for r in repo.db.execute("SELECT id FROM articles").fetchall()]
    assert len(ids) == len(set(ids))
    repo.close()


def test_many_reader_threads_share_one_repository(corpus, tmp_path):
    """The API shares one repository object across worker threads (a connection per thread)."""
    db = tmp_path / "shared.sqlite"
    writer = start_writer(db, corpus[0])
    assert writer.wait(240) == 0
    repo = SQLiteRepository(db)
    expected = repo.count_articles()
    results: list[object] = []

    def read():
        try:
            for _ in range(20):
                assert repo.count_articles() == expected
                assert len(repo.list_articles(limit=10)) == 10
                repo.search("Baghdad", limit=3)
            results.append(True)
        except Exception as exc:  # noqa: BLE001
            results.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [True] * 8
    repo.close()
