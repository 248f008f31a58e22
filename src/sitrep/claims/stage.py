"""The claims stage: attach each parsed article's mentions and claims."""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.claims.extract import extract_claims
from sitrep.claims.mentions import extract_mentions
from sitrep.model import Article
from sitrep.nlp.stage import parsed_doc


class ClaimStage:
    """Pipeline stage: reads ``article.doc``, sets ``article.mentions`` and ``article.claims``."""

    name = "claims"
    requires = ("doc",)
    assigns = ("mentions", "claims")

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            doc = parsed_doc(article, self.name)
            article.mentions = extract_mentions(article, doc)
            article.claims = extract_claims(article, doc)
            yield article
