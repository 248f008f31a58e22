"""Events: extraction from the parse, the PLOVER ↔ ACLED ontology, time normalisation, geocoding.

``extract_events(article, doc)`` reads events out of one parsed article; ``EventStage`` runs it
over a stream of articles; ``normalise_time`` resolves a time expression against a publication
date. Geocoding lives in ``sitrep.events.geo``.
"""
from sitrep.events.extract import extract_events
from sitrep.events.ontology import acled_for, root_type, same_family
from sitrep.events.stage import EventStage
from sitrep.events.timex import before_publication, find_time_expressions, normalise_time

__all__ = [
    "EventStage",
    "acled_for",
    "before_publication",
    "extract_events",
    "find_time_expressions",
    "normalise_time",
    "root_type",
    "same_family",
]
