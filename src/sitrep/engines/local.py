"""The local engine: the document stages run on this machine, models loaded once.

The spaCy parse, nearly all of the work, uses every core through spaCy's own multiprocessing
(``nlp.pipe(n_process=...)``: forked workers that inherit the loaded model); reading claims and
events off the parsed ``Doc`` stays in this process. ``workers=1`` keeps everything in one
process. Ray is the engine for more than one machine. The forked workers die with this process,
even when it is killed outright (``parent_watch``).
"""
from __future__ import annotations

import functools
import inspect
import logging
import os

from typing import Any

from ..model import Article
from . import Submitting, parent_watch

log = logging.getLogger(__name__)


def run_stages(stages: list, articles: list[Article], on_error=None) -> list[Article]:
    """Apply each stage to the batch; if a stage fails on the batch, retry article by article so
    one bad article loses only its own results."""
    for stage in stages:
        try:
            articles = list(stage.pipe(articles))
        except Exception:
            kept = []
            for article in articles:
                try:
                    kept.extend(stage.pipe([article]))
                except Exception as exc:
                    log.exception("stage %s failed on %s", stage.name, article.source_path)
                    if on_error:
                        on_error(stage.name, article, exc)
                    kept.append(article)
            articles = kept
    for article in articles:
        article.doc = None  # a spaCy Doc never leaves the engine
    return articles


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class LocalEngine(Submitting):
    name = "local"
    records_per_batch = 128  # spaCy forks its parsing processes once per batch

    def __init__(self, stage_factory, workers: int | None = None, declared: list | None = None):
        """``declared``: the stages ``stage_factory`` builds, as classes or instances (their
        ``name``/``requires``/``assigns``), for the pipeline's composition check."""
        self.workers = max(1, workers or default_workers())
        self.overlaps = False
        if self.workers > 1 and "n_process" in inspect.signature(stage_factory).parameters:
            parent_watch.install()  # spaCy's forked parsers must not outlive a killed ingest
            stage_factory = functools.partial(stage_factory, n_process=self.workers)
            self.overlaps = True  # parsing happens in spaCy's processes: store meanwhile
        self._factory = stage_factory
        self._stages: list[Any] | None = None
        self.declared_stages = list(declared or [])

    @property
    def stages(self) -> list:
        if self._stages is None:
            self._stages = self._factory()
        return self._stages

    def run(self, articles: list[Article], on_error=None) -> list[Article]:
        return run_stages(self.stages, articles, on_error)

    def close(self) -> None:
        self.close_background()
