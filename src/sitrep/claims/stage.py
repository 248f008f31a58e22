"""The claims stage: parse each article once and attach its mentions and claims."""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.claims.extract import extract_claims
from sitrep.claims.mentions import extract_mentions
from sitrep.model import Article


class ClaimStage:
    """Pipeline stage: sets ``article.doc``, ``article.mentions`` and ``article.claims``.

    Parsing goes through ``nlp.pipe`` in batches, the cheap way to run spaCy over many texts.
    """

    name = "claims"

    def __init__(self, nlp=None, batch_size: int = 32) -> None:
        if nlp is None:
            from sitrep.nlp import get_nlp

            nlp = get_nlp()
        self.nlp = nlp
        self.batch_size = batch_size

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        stream = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(stream, as_tuples=True, batch_size=self.batch_size):
            article.doc = doc
            article.mentions = extract_mentions(article, doc)
            article.claims = extract_claims(article, doc)
            yield article

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))
