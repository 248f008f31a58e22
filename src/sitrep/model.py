"""Typed records that every stage of sitrep shares.

One model flows through the pipeline: a reader produces a ``RawDocument``; cleaning turns it into
an ``Article`` whose ``text`` is the clean body; later stages attach ``Mention``, ``Claim`` and
``Event`` records to that article, each carrying the character span it came from. Corpus-level
stages produce ``Entity`` and ``Story`` records that point back to those spans.

Nothing here does I/O. ``to_json`` gives the shapes promised in ``shared/spec/json-output.md``.
"""
from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

# --------------------------------------------------------------------------------------------
# Spans and the offset map
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into one article's clean ``text``."""

    article_id: str
    start: int
    end: int


@dataclass
class OffsetMap:
    """Maps offsets in a derived string back to offsets in the string it was derived from.

    Stored as runs ``(derived_start, original_start, length)``: inside a run the mapping is a
    shift, so a string copied verbatim costs one run, and each place where normalisation changed
    the length of a character starts a new run. A derived offset that falls in no run (a
    character that was inserted, such as a paragraph separator) maps to the original offset of
    the next run, which keeps span ends sensible.
    """

    runs: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, derived_start: int, original_start: int, length: int) -> None:
        """Append a run, merging it into the previous one when it continues the same shift."""
        if length <= 0:
            return
        if self.runs:
            d, o, n = self.runs[-1]
            if d + n == derived_start and o + n == original_start:
                self.runs[-1] = (d, o, n + length)
                return
        self.runs.append((derived_start, original_start, length))

    def _starts(self) -> list[int]:
        # Cached run starts for bisection; rebuilt when runs were added since.
        cache = self.__dict__.get("_starts_cache")
        if cache is None or len(cache) != len(self.runs):
            cache = [r[0] for r in self.runs]
            self.__dict__["_starts_cache"] = cache
        return cache

    def to_original(self, offset: int) -> int:
        """Original offset of the derived character at ``offset`` (or of the end, for ends)."""
        if not self.runs:
            return offset
        i = bisect.bisect_right(self._starts(), offset) - 1
        if i < 0:
            return self.runs[0][1]
        d, o, n = self.runs[i]
        if offset < d + n:
            return o + (offset - d)
        if offset == d + n:
            return o + n
        if i + 1 < len(self.runs):
            return self.runs[i + 1][1]
        return o + n

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """Map derived → inner-original → outer-original (``self`` maps derived to the
        intermediate string, ``inner`` maps the intermediate string to the original).

        Walks both run lists together, so the cost is the number of runs, not of characters.
        """
        out = OffsetMap()
        if not inner.runs:
            for run in self.runs:
                out.add(*run)
            return out
        starts = inner._starts()
        for d, o, n in self.runs:
            pos, end = o, o + n
            i = max(bisect.bisect_right(starts, pos) - 1, 0)
            while pos < end:
                while i < len(inner.runs) and inner.runs[i][0] + inner.runs[i][2] <= pos:
                    i += 1
                if i < len(inner.runs) and inner.runs[i][0] <= pos:
                    idx, io, inn = inner.runs[i]
                    take = min(end, idx + inn) - pos
                    out.add(d + (pos - o), io + (pos - idx), take)
                else:  # a character the intermediate string inserted: map it to where it stands
                    take = 1
                    out.add(d + (pos - o), inner.to_original(pos), 1)
                pos += take
        return out

    def to_json(self) -> list[list[int]]:
        return [list(r) for r in self.runs]

    @classmethod
    def from_json(cls, data: list[list[int]] | None) -> "OffsetMap":
        return cls([tuple(r) for r in (data or [])])  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------

Precision = Literal["day", "week", "month", "year", "unknown"]


@dataclass
class DateRange:
    """An interval of days ``[start, end]`` (both inclusive), as analysts date reports.

    ``inferred`` is true when the range was read from the article's own text rather than given by
    metadata; ``basis`` says how, so a user can judge it.
    """

    start: date
    end: date
    inferred: bool = False
    precision: Precision = "day"
    basis: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "inferred": self.inferred,
            "precision": self.precision,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> "DateRange | None":
        if not d:
            return None
        return cls(
            start=date.fromisoformat(d["start"]),
            end=date.fromisoformat(d["end"]),
            inferred=bool(d.get("inferred", False)),
            precision=d.get("precision", "day"),
            basis=d.get("basis"),
        )


# --------------------------------------------------------------------------------------------
# Ingest and cleaning
# --------------------------------------------------------------------------------------------


@dataclass
class RawDocument:
    """One record as a reader found it, before cleaning.

    ``text`` is the decoded plain text (for HTML: the main text trafilatura extracted, which is
    then the "original" that removed spans and offsets refer to). ``metadata`` holds what the
    input itself said (url, outlet, title, published) and always wins over inference.
    """

    source_path: str
    record_key: str  # stable key of this record inside its file ("" for a whole file, "line:12")
    text: str
    format: str  # txt, html, jsonl, json, rss, atom, warc
    source_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # as given: ISO date or date-time
    site_name: str | None = None  # HTML site name, when the page declared one
    html_date: str | None = None  # date read from HTML markup, when present
    encoding: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestError:
    """A per-file or per-record failure: the record is skipped, nothing else is lost."""

    source_path: str
    message: str
    record_key: str = ""
    line: int | None = None
    kind: str = "error"  # empty, binary, encoding, parse, too_large, missing, no_text, ...

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def one_line(self) -> str:
        where = self.source_path + (f":{self.line}" if self.line else "")
        return f"{where}: {self.kind}: {self.message}"


@dataclass
class RemovedSpan:
    """Text that cleaning took out of the body, in original-text offsets, with the reason."""

    start: int
    end: int
    text: str
    reason: str  # breadcrumb, widget, footer, recurring, caption, title, url, ...

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Caption:
    """A photo caption, kept apart from the body; offsets into the original text."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --------------------------------------------------------------------------------------------
# Reading: mentions, claims, events
# --------------------------------------------------------------------------------------------

EntityType = Literal[
    "PERSON", "ORG", "PLACE", "FACILITY", "GROUP", "EQUIPMENT", "OUTLET", "NORP", "EVENT", "OTHER"
]


@dataclass
class Mention:
    """A named thing in one article: its span in ``text``, its type, and later its entity."""

    article_id: str
    start: int
    end: int
    text: str
    type: str
    entity_id: str | None = None
    # Within-document link to a longer form of the same name ("al-Anbari" → "Qusay al-Anbari").
    full_form: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class GeoPoint:
    lat: float
    lon: float
    precision: str  # site, town, district, province, country (ACLED geo precision 1..3 in extra)
    geonames_id: int | None = None
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"lat": self.lat, "lon": self.lon, "precision": self.precision}
        if self.geonames_id is not None:
            d["geonames_id"] = self.geonames_id
        if self.name:
            d["name"] = self.name
        return d


@dataclass
class Entity:
    """A real-world thing resolved across mentions, documents and spellings."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    geo: GeoPoint | None = None
    mention_count: int | None = None  # when the mentions themselves are not carried (the store has them)

    @property
    def count(self) -> int:
        """How many mentions name this entity."""
        return self.mention_count if self.mention_count is not None else len(self.mentions)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": sorted(set(self.aliases)),
            "mention_count": self.count,
            "mentions": [m.to_json() for m in self.mentions],
            "geo": self.geo.to_json() if self.geo else None,
        }


SourceKind = Literal["outlet", "publication", "person", "official", "organization", "anonymous"]


@dataclass
class SourceHop:
    """One link of a sourcing chain. ``start``/``end`` locate the source's mention in the text;
    both are None for the publishing outlet itself."""

    name: str
    kind: str  # one of SourceKind
    start: int | None = None
    end: int | None = None
    role: str | None = None  # "a high-ranking member", "spokesman", "lieutenant general"
    affiliation: str | None = None  # "Hashd al-Shaabi", "Kata'ib Hezbollah"

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "kind": self.kind, "start": self.start, "end": self.end}
        if self.role:
            d["role"] = self.role
        if self.affiliation:
            d["affiliation"] = self.affiliation
        return d


@dataclass
class Cue:
    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Claim:
    """A statement in an article and who it is attributed to, back to its origin."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    chain: list[SourceHop]
    cue: Cue | None = None
    origin_named: bool = False
    hedged: bool = False
    denied: bool = False

    @property
    def origin(self) -> SourceHop:
        return self.chain[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "chain": [h.to_json() for h in self.chain],
            "cue": self.cue.to_json() if self.cue else None,
            "origin_named": self.origin_named,
            "hedged": self.hedged,
            "denied": self.denied,
        }


@dataclass
class Place:
    """Where an event happened, as precisely as the text and the gazetteer allow."""

    name: str  # the name as the text gives it
    lat: float | None
    lon: float | None
    precision: str  # site, town, district, province, country, unknown
    geonames_id: int | None = None
    resolved_name: str | None = None  # gazetteer name, when it differs
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    note: str | None = None  # "placed at Baghdad: text says 'near Baghdad'"
    start: int | None = None
    end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items()}


@dataclass
class TimeSpan:
    """An event's time as an interval with a precision, normalised against the publication."""

    start: date | None
    end: date | None
    precision: str  # day, week, month, year, before_publication, unknown
    text: str | None = None
    inferred_publication: bool = False  # the anchor (publication date) was itself inferred

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "text": self.text,
            "inferred_publication": self.inferred_publication,
        }


@dataclass
class Event:
    """Who did what to whom, where and when, typed in PLOVER with its ACLED counterpart."""

    id: str
    article_id: str
    type: str  # PLOVER-style: deploy, attack, kill, protest, ...
    trigger: Cue
    status: str = "asserted"  # asserted, planned, threatened, denied, hypothetical
    actor: str | None = None
    target: str | None = None
    equipment: str | None = None
    place: Place | None = None
    time: TimeSpan | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    claim_ids: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    # How sure sitrep is that this is a real event of this type (0-1), and why
    # (``sitrep.events.confidence``); None for an event that was never scored.
    confidence: float | None = None
    confidence_reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "actor": self.actor,
            "target": self.target,
            "equipment": self.equipment,
            "status": self.status,
            "place": self.place.to_json() if self.place else None,
            "time": self.time.to_json() if self.time else None,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "trigger": self.trigger.to_json(),
            "claim_ids": list(self.claim_ids),
            "article_ids": list(self.article_ids) or [self.article_id],
            "confidence": self.confidence,
            "confidence_reasons": list(self.confidence_reasons),
        }


# --------------------------------------------------------------------------------------------
# The article
# --------------------------------------------------------------------------------------------


@dataclass
class Article:
    """A cleaned news report and everything read out of it.

    ``text`` is the clean body; every span of later stages indexes into it. ``original`` is the
    text as read (decoded, before normalisation and cleaning); ``offsets`` maps ``text`` offsets to
    ``original`` offsets, and ``removed``/``captions`` are in ``original`` offsets.
    """

    id: str
    source_path: str
    text: str
    original: str
    offsets: OffsetMap
    title: str | None = None
    outlet: str | None = None
    outlet_basis: str | None = None  # metadata, site_name, domain, self_reference
    url: str | None = None
    source_id: str | None = None
    record_key: str = ""
    format: str = "txt"
    published: DateRange | None = None
    captions: list[Caption] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    content_hash: str = ""
    reprint_of: str | None = None
    ingested_at: datetime | None = None
    # Filled by later stages.
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Transient, never stored: the spaCy Doc of ``text`` while the NLP stages run.
    doc: Any = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "outlet_basis": self.outlet_basis,
            "title": self.title,
            "published": self.published.to_json() if self.published else None,
            "text": self.text,
            "captions": [c.text for c in self.captions],
            "removed": [r.to_json() for r in self.removed],
            "source_path": self.source_path,
            "source_id": self.source_id,
            "url": self.url,
            "reprint_of": self.reprint_of,
            "format": self.format,
        }


# --------------------------------------------------------------------------------------------
# Stories
# --------------------------------------------------------------------------------------------


@dataclass
class ClaimGroup:
    """Claims that say the same thing, with their corroboration counted by independent origin."""

    id: str
    claim_ids: list[str]
    text: str
    reports: int
    outlets: list[str]
    independent_origins: int
    origins: list[str]
    any_origin_named: bool
    contradicted_by: list[str] = field(default_factory=list)  # ids of contradicting groups

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class StoryEvent:
    """One real-world event as told by several reports (event coreference result)."""

    event: Event
    event_ids: list[str]
    reports: int
    outlets: list[str]
    independent_origins: int

    def to_json(self) -> dict[str, Any]:
        d = self.event.to_json()
        d.update(
            event_ids=self.event_ids,
            reports=self.reports,
            outlets=self.outlets,
            independent_origins=self.independent_origins,
        )
        return d


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str]
    start: date | None = None
    end: date | None = None
    key_entities: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    events: list[StoryEvent] = field(default_factory=list)
    claims: list[ClaimGroup] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_ids": list(self.article_ids),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "key_entities": list(self.key_entities),
            "outlets": list(self.outlets),
            "events": [e.to_json() for e in self.events],
            "claims": [c.to_json() for c in self.claims],
        }
