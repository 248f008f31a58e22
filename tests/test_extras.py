"""Ray and psycopg are extras: without them, `--engine ray` and `--db postgresql://…` stop with one
line naming the extra to install, and the rest of sitrep does not need them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import extras

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "src" / "sitrep" / "samples" / "corpus"

#: The CLI in a fresh interpreter where the named modules cannot be imported, as on an install
#: without the extra (a None entry in sys.modules makes `import NAME` fail).
WITHOUT = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None
sys.argv = ["sitrep", *sys.argv[2:]]
from sitrep.cli import app
app()
"""


def run_cli_without(modules: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), COLUMNS="60")  # narrow: the line must not wrap
    return subprocess.run([sys.executable, "-c", WITHOUT, modules, *args], capture_output=True, text=True, check=False,
                          env=env, cwd=cwd, timeout=120)


def assert_one_line(result: subprocess.CompletedProcess, install: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and lines[0].endswith(f"is not installed: {install}"), lines[0]


def test_ingest_with_ray_engine_without_ray_names_the_extra(tmp_path):
    db = tmp_path / "r.sqlite"
    result = run_cli_without("ray", "ingest", str(SAMPLES), "--engine", "ray", "--db", str(db), cwd=tmp_path)
    assert_one_line(result, "pip install 'sitrep[ray]'")
    assert "the Ray engine" in result.stderr
    assert not db.exists()  # checked before the store is created or anything is read


@pytest.mark.parametrize("args", [
    ["ingest", str(SAMPLES), "--db", "postgresql://nobody@127.0.0.1:1/nothing"],
    ["articles", "--db", "postgresql://nobody@127.0.0.1:1/nothing"],
    ["serve", "--db", "postgresql://nobody@127.0.0.1:1/nothing", "--workers", "2"],
], ids=["ingest", "articles", "serve"])
def test_postgres_url_without_psycopg_names_the_extra(tmp_path, args):
    result = run_cli_without("psycopg", *args, cwd=tmp_path)
    assert_one_line(result, "pip install 'sitrep[postgres]'")
    assert "the PostgreSQL store" in result.stderr


def test_sqlite_and_local_engine_need_neither_extra(tmp_path):
    """The default install (no Ray, no psycopg) ingests and lists with the local engine."""
    db = tmp_path / "d.sqlite"
    sample = min((SAMPLES / "txt").glob("*.txt"))
    result = run_cli_without("ray,psycopg", "ingest", str(sample), "--db", str(db), "--workers", "1",
                             "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["stored"] == 1
    listed = run_cli_without("ray,psycopg", "articles", "--db", str(db), "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 1


def test_library_callers_get_missing_extra(monkeypatch):
    """Code that builds the engine or the store itself gets the same error, as an exception."""
    from sitrep.engines.ray_engine import RayEngine
    from sitrep.store.postgres import PostgresRepository

    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(extras.MissingExtra, match=r"pip install 'sitrep\[ray\]'$") as ray_missing:
        RayEngine(list)
    assert ray_missing.value.extra is extras.RAY
    with pytest.raises(extras.MissingExtra, match=r"pip install 'sitrep\[postgres\]'$") as pg_missing:
        PostgresRepository("postgresql://nobody@127.0.0.1:1/nothing")
    assert pg_missing.value.extra is extras.POSTGRES


def test_an_installed_but_broken_extra_says_why_on_one_line(tmp_path, monkeypatch):
    """psycopg without a libpq raises ImportError from inside the package: the message keeps that
    reason (not "not installed", which would mislead) and stays one line."""
    fake = tmp_path / "psycopg"
    fake.mkdir()
    (fake / "__init__.py").write_text('raise ImportError("no pq wrapper available.\\nAttempts made: binary")\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "psycopg", raising=False)
    with pytest.raises(extras.MissingExtra) as missing:
        extras.require(extras.POSTGRES)
    message = str(missing.value)
    assert "\n" not in message
    assert "psycopg, which does not import (no pq wrapper available. Attempts made: binary)" in message
    assert message.endswith("pip install 'sitrep[postgres]'")


def test_a_submodule_left_in_sys_modules_does_not_hide_a_missing_package(tmp_path, monkeypatch):
    """After Ray ran once in this process, ``ray.data`` stays in sys.modules: the check must still
    see that ``ray`` itself no longer imports (what the full test run found)."""
    (tmp_path / "sitrep_fake_extra").mkdir()
    (tmp_path / "sitrep_fake_extra" / "__init__.py").write_text("")
    (tmp_path / "sitrep_fake_extra" / "data.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    fake = extras.Extra("fake", "sitrep_fake_extra.data", "the fake part")
    assert extras.require(fake).__name__ == "sitrep_fake_extra.data"
    monkeypatch.setitem(sys.modules, "sitrep_fake_extra", None)
    with pytest.raises(extras.MissingExtra, match=r"^the fake part needs sitrep_fake_extra, which is not installed"):
        extras.require(fake)
