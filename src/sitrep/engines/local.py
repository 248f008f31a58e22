"""The local engine: the document stages run in this process, models loaded once."""
from __future__ import annotations

import logging

from ..model import Article

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
        article.doc = None  # a spaCy Doc never leaves the stage that made it
    return articles


class LocalEngine:
    name = "local"

    def __init__(self, stage_factory):
        self._factory = stage_factory
        self._stages = None

    @property
    def stages(self) -> list:
        if self._stages is None:
            self._stages = self._factory()
        return self._stages

    def run(self, articles: list[Article], on_error=None) -> list[Article]:
        return run_stages(self.stages, articles, on_error)

    def close(self) -> None:
        pass
