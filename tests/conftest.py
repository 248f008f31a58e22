"""Shared fixtures: where the read-only shared data lives, and what a test does when something
it needs from outside the repository (../shared, the PostgreSQL server, Chromium, an extra) is
missing: a visible skip on a developer's machine, a failure in CI (``SITREP_REQUIRE_ALL=1``)."""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")).resolve()
#: Set by scripts/test.sh in CI, where ../shared, PostgreSQL, Chromium and every extra are
#: always there: a test that would skip for want of one fails instead, so CI cannot go green
#: while a whole part of the suite silently did not run.
REQUIRE_ALL = "SITREP_REQUIRE_ALL"


def unavailable(reason: str, *, module_level: bool = False) -> NoReturn:
    """Something the calling test needs is missing: skip with ``reason``, or fail under
    ``SITREP_REQUIRE_ALL=1``."""
    if os.environ.get(REQUIRE_ALL) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ALL}=1: the test command in CI must have it)", pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def import_or_unavailable(name: str, reason: str, *, module_level: bool = False) -> ModuleType:
    """The module ``name``, or ``unavailable(reason)`` when it is not installed."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        unavailable(reason, module_level=module_level)


def shared_path(*parts: str) -> Path:
    """Path inside ../shared; when it is absent, the calling test is ``unavailable``."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        unavailable(f"shared data not present: {path}")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("corpus", "seeds")


#: The lists of seeds-expected.json that tests loop over, asserting inside the loop.
SEEDS_EXPECTED_LISTS = ("articles", "same_entity", "different_entity", "sourcing_chains", "events")


def load_seeds_expected() -> dict:
    """The analyst's reading of the seed reports (../shared/corpus/seeds-expected.json), checked
    to have every list the tests loop over: a loop over an empty list passes having checked nothing."""
    import json

    expected = json.loads(shared_path("corpus", "seeds-expected.json").read_text(encoding="utf-8"))
    empty = [key for key in SEEDS_EXPECTED_LISTS if not expected.get(key)]
    assert not empty, f"seeds-expected.json has nothing under {empty}: the tests looping over them would check nothing"
    return expected


@pytest.fixture
def seeds_expected() -> dict:
    return load_seeds_expected()


def postgres_url_or_skip() -> str:
    """The test server's URL (scripts/postgres.sh starts one; scripts/test.sh exports it)."""
    url = os.environ.get("SITREP_TEST_POSTGRES")
    if not url:
        unavailable("PostgreSQL tests skipped: no server (SITREP_TEST_POSTGRES unset; scripts/postgres.sh starts one)")
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
