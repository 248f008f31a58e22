"""The claims stage: parse each article once and attach its mentions and claims."""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.claims.extract import extract_claims
from sitrep.claims.mentions import extract_mentions
from sitrep.model import Article


class ClaimStage:
    """Pipeline stage: sets ``article.doc``, ``article.mentions`` and ``article.claims``.

    Parsing goes through ``nlp.pipe`` in batches, the cheap way to run spaCy over many texts;
    with ``n_process`` > 1 spaCy parses in that many forked processes (its own multiprocessing:
    the model is inherited, not reloaded) and sends the parsed ``Doc`` back, so the claims are
    read here, in order, exactly as with one process. Only the texts travel to the workers.
    """

    name = "claims"

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
            article.mentions = extract_mentions(article, doc)
            article.claims = extract_claims(article, doc)
            yield article

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))
