"""Forked parsing processes end when the process that forked them dies.

The local engine forks its workers (as spaCy's ``nlp.pipe(n_process=N)``, which it used before,
forked its parsers); when ``sitrep ingest`` is killed with SIGKILL (a crash, the OOM killer, the
crash-resume test) nothing tells them, and they lived on for hours, reparented to PID 1, each
holding a model's worth of memory (388 MB).

``install`` registers a fork hook: every process forked from this one afterwards runs a daemon
thread that checks twice a second whether its parent is still the process that forked it, and
kills itself (SIGKILL, as its parent got) the moment it is not. A parent-death signal
(``prctl(PR_SET_PDEATHSIG)``) would be quicker, but Linux sends it when the forking *thread*
ends, and spaCy forks from the engine's background thread; and it is Linux-only. Polling
``getppid`` costs nothing measurable and works wherever ``fork`` does.

The same hook lets a child forked from an executor thread exit cleanly (see
``_forget_forking_executor_thread``).
"""
from __future__ import annotations

import os
import signal
import threading
import time

POLL_SECONDS = 0.5
_installed = False
_forking_pid: int | None = None


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(POLL_SECONDS)


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _forget_forking_executor_thread() -> None:
    """spaCy forks its workers from the engine's background thread, a ``ThreadPoolExecutor``
    thread. The child inherits the executor's exit hook, which joins every executor thread at
    exit, and the thread it would join is the child's own: "cannot join current thread", exit
    code 1, and spaCy's warning W127 on every clean run though every parse had come back. The
    child has no executor work to wait for, so it drops its own thread from the hook's list."""
    from concurrent.futures import thread as executor_threads

    registry = getattr(executor_threads, "_threads_queues", None)  # CPython's private list
    if registry is not None:
        registry.pop(threading.current_thread(), None)


def _in_child() -> None:
    _forget_forking_executor_thread()
    parent = _forking_pid
    if parent is None:
        return
    threading.Thread(target=_watch, args=(parent,), name="sitrep-parent-watch", daemon=True).start()


def install() -> None:
    """Make every process forked from now on die with this one (idempotent)."""
    global _installed
    if _installed or not hasattr(os, "register_at_fork"):
        return
    os.register_at_fork(before=_before_fork, after_in_child=_in_child)
    _installed = True
