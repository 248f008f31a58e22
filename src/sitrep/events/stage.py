"""The events stage: fills ``article.events`` from the article's parse.

The parse stage leaves the spaCy ``Doc`` on ``article.doc``; the claims stage's claims tell which
events are reported through whom and which are denied.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from sitrep.entities.geo import locate_mentions, outlet_home
from sitrep.events.extract import extract_events
from sitrep.events.places import article_context_of
from sitrep.model import Article
from sitrep.nlp.stage import parsed_doc


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
    """Pipeline stage: reads ``article.doc``, ``article.claims`` and ``article.mentions``, sets
    ``article.events`` and the ``geo`` of the article's PLACE/FACILITY mentions (the same
    toponym resolution places both: ``sitrep.events.geo.article``)."""

    name = "events"
    requires = ("doc", "claims", "mentions")
    assigns = ("events", "mentions")

    def __init__(self) -> None:
        warm_up()

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            doc = parsed_doc(article, self.name)
            # One reading of where the article is, for its events and its place mentions.
            home_country, home_division = outlet_home(article.outlet)
            context = article_context_of(doc, home_country, home_division)
            article.events = extract_events(article, doc)
            locate_mentions(article, article.mentions, context=context)
            yield article
