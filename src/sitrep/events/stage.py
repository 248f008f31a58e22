"""The events stage: fills ``article.events`` from the article's parse.

The claims stage leaves the spaCy ``Doc`` on ``article.doc``; when a caller runs this stage on
its own, the article is parsed here with the project's shared pipeline.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.events.extract import extract_events
from sitrep.model import Article


def load_nlp():
    """The project's spaCy pipeline (``sitrep.nlp``)."""
    from sitrep.nlp import get_nlp

    return get_nlp()


def warm_up() -> None:
    """Load the gazetteer and country tables now (seconds, once per process), so a worker pays
    for them when it starts rather than inside its first batch."""
    from sitrep.events.extract import country_name
    from sitrep.events.geo.gazetteer import default_gazetteer

    default_gazetteer()
    country_name("IQ")


class EventStage:
    """Pipeline stage: articles in, the same articles out with ``events`` filled."""

    name = "events"

    def __init__(self, nlp=None) -> None:
        self._nlp = nlp
        warm_up()

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            doc = article.doc
            if doc is None or getattr(doc, "text", None) != article.text:
                if self._nlp is None:
                    self._nlp = load_nlp()
                doc = self._nlp(article.text)
                article.doc = doc
            article.events = extract_events(article, doc)
            yield article
