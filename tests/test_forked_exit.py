"""Processes forked from the engine's background thread exit cleanly (spaCy's W127 on every run)."""
from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from sitrep.engines import parent_watch


def _nothing() -> None:
    """A worker that does no work: only its exit is under test."""


def _fork_and_join() -> int | None:
    proc = multiprocessing.get_context("fork").Process(target=_nothing)
    proc.start()
    proc.join(30)
    return proc.exitcode


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_a_child_forked_from_an_executor_thread_exits_0():
    parent_watch.install()
    with ThreadPoolExecutor(1) as pool:  # as the local engine parses: from its background thread
        assert pool.submit(_fork_and_join).result(60) == 0
