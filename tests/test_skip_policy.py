"""What a test does when something from outside the repository is missing: a visible skip on a
developer's machine, a failure under SITREP_REQUIRE_ALL=1 (scripts/test.sh sets it in CI)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import conftest
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def developer(monkeypatch):
    monkeypatch.delenv(conftest.REQUIRE_ALL, raising=False)


@pytest.fixture
def ci(monkeypatch):
    monkeypatch.setenv(conftest.REQUIRE_ALL, "1")


def test_a_developer_gets_a_visible_skip(developer):
    with pytest.raises(pytest.skip.Exception, match="no widget server"):
        conftest.unavailable("no widget server")


def test_ci_gets_a_failure_that_says_why(ci):
    with pytest.raises(pytest.fail.Exception, match=r"no widget server \(SITREP_REQUIRE_ALL=1"):
        conftest.unavailable("no widget server")


@pytest.mark.parametrize("mode, outcome", [("developer", pytest.skip.Exception), ("ci", pytest.fail.Exception)])
def test_missing_shared_data_postgres_and_module(request, monkeypatch, tmp_path, mode, outcome):
    request.getfixturevalue(mode)
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "no-shared")
    with pytest.raises(outcome, match="shared data not present"):
        conftest.shared_path("corpus", "seeds")
    monkeypatch.delenv("SITREP_TEST_POSTGRES", raising=False)
    with pytest.raises(outcome, match="no server"):
        conftest.postgres_url_or_skip()
    with pytest.raises(outcome, match="needs a module that is not there"):
        conftest.import_or_unavailable("sitrep_no_such_module", "needs a module that is not there")


def test_present_things_are_returned(ci, monkeypatch, tmp_path):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    assert conftest.shared_path("corpus") == tmp_path / "corpus"
    monkeypatch.setenv("SITREP_TEST_POSTGRES", "postgresql://x@127.0.0.1/y")
    assert conftest.postgres_url_or_skip() == "postgresql://x@127.0.0.1/y"
    assert conftest.import_or_unavailable("json", "stdlib").dumps([]) == "[]"


@pytest.mark.parametrize("require_all, code, summary", [("", 0, "1 skipped"), ("1", 1, "1 error")])
def test_a_run_without_shared_skips_or_fails(tmp_path, require_all, code, summary):
    """The whole way: pytest itself, run without ../shared, passes with a skip or fails."""
    env = {k: v for k, v in os.environ.items() if k != conftest.REQUIRE_ALL}
    env.update(PYTHONPATH=str(REPO / "src"), SITREP_SHARED=str(tmp_path / "no-shared"))
    if require_all:
        env[conftest.REQUIRE_ALL] = require_all
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_cli.py::test_articles_json_shape"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == code, result.stdout + result.stderr
    assert summary in result.stdout.splitlines()[-1]
    assert "shared data not present" in result.stdout
