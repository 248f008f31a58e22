"""The parse stage: the spaCy analysis of each article's text, the first document stage.

Every later document stage reads the ``Doc`` this stage leaves on ``article.doc``; the engine
drops it before the articles leave it (a ``Doc`` is never stored or sent back).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.model import Article


def parsed_doc(article: Article, stage: str):
    """``article.doc``, which this stage leaves; without it, an error telling ``stage``'s caller to
    run the parse first."""
    if article.doc is None:
        raise ValueError(f"stage {stage!r} needs article.doc: run the parse stage before it")
    return article.doc


class ParseStage:
    """Pipeline stage: sets ``article.doc`` to the parse of ``article.text``.

    Parsing goes through ``nlp.pipe`` in batches, the cheap way to run spaCy over many texts;
    with ``n_process`` > 1 spaCy parses in that many forked processes (its own multiprocessing:
    the model is inherited, not reloaded) and sends the parsed ``Doc`` back, so the later stages
    read it here, in order, exactly as with one process. Only the texts travel to the workers.
    """

    name = "parse"
    requires = ("text",)
    assigns = ("doc",)

    def __init__(self, nlp=None, batch_size: int = 32, n_process: int = 1) -> None:
        if nlp is None:
            from sitrep.nlp import get_nlp

            nlp = get_nlp()
        self.nlp = nlp
        self.batch_size = batch_size
        self.n_process = n_process
        self.most_processes = 1  # the most processes a batch was parsed in

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        articles = list(articles)
        n_process = min(self.n_process, max(1, len(articles) // 2))
        batch_size = self.batch_size
        if n_process > 1:  # spaCy deals batches round-robin: smaller ones keep every worker busy
            batch_size = max(1, min(batch_size, len(articles) // (4 * n_process)))
        self.most_processes = max(self.most_processes, n_process)
        docs = self.nlp.pipe((a.text for a in articles), batch_size=batch_size, n_process=n_process)
        for doc, article in zip(docs, articles):
            article.doc = doc
            yield article
