"""Where the document stages run: in this process (``local``) or on a Ray cluster (``ray``).

An engine takes a list of articles and a recipe for the document stages and gives the articles
back, in order, with the stages applied. Corpus-level stages (reprints, entities, stories) and
the store stay in the driver, so both engines give identical results.

``make_engine`` builds one; the caller (the CLI, a bench) hands it to the ``Pipeline``, which
checks the stages it declares (``declared_stages``) against the corpus stages before it starts.
"""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Protocol, Sequence

from ..model import Article
from ..stages import (
    Declared,
    DocumentStage,
    GivenStages,
    default_document_stages,
    default_stage_types,
)

StageFactory = Callable[[], list]
#: A stage that failed on one article: (stage name, article, exception).
StageFailure = tuple[str, Article, BaseException]


class Engine(Protocol):
    name: str
    overlaps: bool
    #: The document stages it runs, in order, as the composition check reads them (the stage
    #: classes when the stages are built elsewhere).
    declared_stages: list[Declared]
    #: Records per pipeline batch (one transaction) unless the caller says otherwise.
    records_per_batch: int

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


def make_engine(kind: str = "local", stages: Sequence[DocumentStage] | None = None, *,
                address: str | None = None, num_cpus: int | None = None, workers: int | None = None) -> Engine:
    """The engine ``kind`` running the standard document stages (parse, claims, events), built in
    each process that runs them, or the ``stages`` given, run as they are in this process.

    ``workers``: parsing processes of the local engine (default: every core); ``address``,
    ``num_cpus``: the Ray cluster to join, or the CPUs of a local one (default: ``workers``)."""
    if stages is not None:
        if kind != "local":
            raise ValueError("stages built by the caller run in this process: use the local engine")
        from .local import LocalEngine

        return LocalEngine(GivenStages(stages), workers=workers, declared=list(stages))
    if kind == "local":
        from .local import LocalEngine

        return LocalEngine(default_document_stages, workers=workers, declared=default_stage_types())
    if kind == "ray":
        from .ray_engine import RayEngine

        return RayEngine(default_document_stages, address=address, num_cpus=num_cpus or workers,
                         declared=default_stage_types())
    raise ValueError(f"unknown engine {kind!r}: use 'local' or 'ray'")
