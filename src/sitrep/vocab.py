"""The closed vocabularies of sitrep's records, one ``StrEnum`` each.

A member *is* its string (``PlacePrecision.TOWN == "town"``, ``json.dumps`` writes ``"town"``,
SQLite and PostgreSQL store ``town``), so JSON output and stored data are the same as with plain
strings, and records read back from the store with plain strings compare equal to members. What
the enums add is one place that lists each vocabulary, so a type checker catches a misspelt value
and a reader can see every value a field may hold.

``IngestError.kind`` is left a plain string on purpose: it is a diagnostic label that each reader
coins for its own failures (empty, parse, truncated, ...), not a value any stage branches on.
"""
from __future__ import annotations

from enum import StrEnum


class PlacePrecision(StrEnum):
    """How precisely a ``Place`` is known, finest first.

    The order (``rank``) is the geocoder's: a region (a continent or a named multi-country area)
    is coarser than any one country, and "unknown" (a name the gazetteer lacks, with no
    coordinates) is the coarsest of all, since it says nothing about where. Event coreference
    picks the most precise place of a group by this rank, so a region loses to a country and
    anything with coordinates beats "unknown".
    """

    SITE = "site"  # a base, airfield or facility
    TOWN = "town"  # a populated place
    DISTRICT = "district"  # near a town, or an area inside a province
    PROVINCE = "province"  # a first-level division
    COUNTRY = "country"
    REGION = "region"  # a continent or multi-country region
    UNKNOWN = "unknown"  # not in the gazetteer and related to no known place: no coordinates

    @property
    def rank(self) -> int:
        """0 for a site up to 6 for unknown: lower is more precise."""
        return _PLACE_RANK[self]

    @property
    def acled_code(self) -> int:
        """ACLED's geo_precision: 1 = the town or site itself, 2 = near a town or within a
        district, 3 = a province, country or region, or no coordinates at all."""
        return _ACLED_GEO_PRECISION[self]

    @classmethod
    def rank_of(cls, value: str | None) -> int:
        """The rank of a precision read from anywhere (a member or a stored string); a value
        outside the vocabulary ranks as unknown."""
        if value in _PLACE_VALUES:
            return _PLACE_RANK[cls(value)]
        return _PLACE_RANK[cls.UNKNOWN]


_PLACE_RANK: dict[PlacePrecision, int] = {p: i for i, p in enumerate(PlacePrecision)}
_PLACE_VALUES = frozenset(p.value for p in PlacePrecision)
_ACLED_GEO_PRECISION: dict[PlacePrecision, int] = {
    PlacePrecision.SITE: 1, PlacePrecision.TOWN: 1, PlacePrecision.DISTRICT: 2,
    PlacePrecision.PROVINCE: 3, PlacePrecision.COUNTRY: 3, PlacePrecision.REGION: 3,
    PlacePrecision.UNKNOWN: 3,
}


class TimePrecision(StrEnum):
    """How precisely an event's or a publication's time is known."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    # Only "some time before the report" ("had been deployed", "earlier"): open to the past.
    BEFORE_PUBLICATION = "before_publication"
    UNKNOWN = "unknown"


class EventStatus(StrEnum):
    """Whether the report says an event happened (asserted), or only that it is planned,
    threatened, denied or conditional."""

    ASSERTED = "asserted"
    PLANNED = "planned"
    THREATENED = "threatened"
    DENIED = "denied"
    HYPOTHETICAL = "hypothetical"


class EntityType(StrEnum):
    """The type of a mention and of the entity it resolves to."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"
    FACILITY = "FACILITY"
    GROUP = "GROUP"
    EQUIPMENT = "EQUIPMENT"
    OUTLET = "OUTLET"
    NORP = "NORP"
    EVENT = "EVENT"
    OTHER = "OTHER"


class SourceKind(StrEnum):
    """What a link of a sourcing chain is: the publishing outlet, another publication, a named
    person, an official, an organisation, a document whose issuer the article does not name ("a
    study", "the statement" with nobody named before it), or an anonymous source."""

    OUTLET = "outlet"
    PUBLICATION = "publication"
    PERSON = "person"
    OFFICIAL = "official"
    ORGANIZATION = "organization"
    DOCUMENT = "document"
    ANONYMOUS = "anonymous"


__all__ = ["EntityType", "EventStatus", "PlacePrecision", "SourceKind", "TimePrecision"]
