"""Where the document stages run: in this process (``local``) or on a Ray cluster (``ray``).

An engine takes a list of articles and a recipe for the document stages and gives the articles
back, in order, with the stages applied. Corpus-level stages (reprints, entities, stories) and
the store stay in the driver, so both engines give identical results.
"""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Protocol

from ..model import Article

StageFactory = Callable[[], list]
#: A stage that failed on one article: (stage name, article, exception).
StageFailure = tuple[str, Article, BaseException]


class Engine(Protocol):
    name: str
    overlaps: bool

    def run(self, articles: list[Article], on_error=None) -> list[Article]: ...

    def submit(self, articles: list[Article]) -> "Future[tuple[list[Article], list[StageFailure], float]]": ...

    def close(self) -> None: ...


class Submitting:
    """``submit``: run a batch now, or — when the engine's work happens in other processes
    (``overlaps``) — on a background thread, so the driver can store the previous batch while
    this one is parsed. One batch at a time runs in the background, in submission order."""

    overlaps = False
    _background: ThreadPoolExecutor | None = None
    # Provided by the engine that mixes this in (see ``Engine``).
    name: str
    run: Callable[..., list[Article]]

    def submit(self, articles: list[Article]) -> "Future[tuple[list[Article], list[StageFailure], float]]":
        """The batch's articles with the stages applied, the stages' failures, and the seconds
        the engine spent on it."""
        failures: list[StageFailure] = []

        def work() -> tuple[list[Article], list[StageFailure], float]:
            t0 = time.perf_counter()
            done = self.run(articles, lambda stage, article, exc: failures.append((stage, article, exc)))
            return done, failures, time.perf_counter() - t0

        if self.overlaps:
            if self._background is None:
                self._background = ThreadPoolExecutor(1, thread_name_prefix=f"sitrep-{self.name}")
            return self._background.submit(work)
        future: Future = Future()
        try:
            future.set_result(work())
        except BaseException as exc:  # delivered by result(), as from a thread
            future.set_exception(exc)
        return future

    def close_background(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)
            self._background = None


def make_engine(name: str, stage_factory: StageFactory, *, address: str | None = None,
                num_cpus: int | None = None, workers: int | None = None) -> Engine:
    """``workers``: parsing processes of the local engine (default: every core)."""
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(stage_factory, workers=workers)
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(stage_factory, address=address, num_cpus=num_cpus or workers)
    raise ValueError(f"unknown engine {name!r}: use 'local' or 'ray'")
