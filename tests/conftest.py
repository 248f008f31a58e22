"""Shared fixtures: where the read-only shared data lives, and skipping cleanly without it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")).resolve()


def shared_path(*parts: str) -> Path:
    """Path inside ../shared, or skip the calling test with a visible reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("corpus", "seeds")


@pytest.fixture
def seeds_expected() -> dict:
    import json

    return json.loads(shared_path("corpus", "seeds-expected.json").read_text(encoding="utf-8"))


def postgres_url_or_skip() -> str:
    """The test server's URL (scripts/postgres.sh starts one; scripts/test.sh exports it)."""
    url = os.environ.get("SITREP_TEST_POSTGRES")
    if not url:
        pytest.skip("PostgreSQL tests skipped: no server (SITREP_TEST_POSTGRES unset; scripts/postgres.sh starts one)")
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def any_repo(request, tmp_path):
    """The same store tests against each backend; PostgreSQL gets a fresh schema per test."""
    if request.param == "sqlite":
        from sitrep.store.sqlite import SQLiteRepository

        repo = SQLiteRepository(tmp_path / "t.sqlite")
        yield repo
        repo.close()
        return
    import uuid

    import psycopg

    from sitrep.store.postgres import PostgresRepository

    url = postgres_url_or_skip()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    repo = PostgresRepository(f"{url}{sep}options=-csearch_path%3D{schema}")
    yield repo
    repo.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
