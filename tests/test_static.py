"""The type checker and the linter pass on the whole tree, so vocabulary drift and dead
names fail the test command (configuration: ``[tool.mypy]`` and ``[tool.ruff]`` in
pyproject.toml)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_mypy_is_clean():
    # The incremental cache keeps a re-run to a few seconds.
    done = _run("mypy", "--cache-dir", str(ROOT / ".mypy_cache"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_clean():
    done = _run("ruff", "check", "--no-cache", "src", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr
