"""Typed records that every stage of sitrep shares.

One model flows through the pipeline: a reader produces a ``RawDocument``; cleaning turns it into
an ``Article`` whose ``text`` is the clean body; later stages attach ``Mention``, ``Claim`` and
``Event`` records to that article, each carrying the character span it came from. Corpus-level
stages produce ``Entity`` and ``Story`` records that point back to those spans.

Nothing here does I/O. Each record is defined once and read both ways here: ``to_json`` gives
the public shape promised in ``shared/spec/json-output.md`` (typed in ``sitrep.shapes``) and
``from_json`` reads it back; an article's stored form adds its private fields
(``Article.to_record``/``Article.from_record``). The store, the CLI and the API use these and
write no JSON of their own.
The closed vocabularies of the fields (place and time precision, event status, entity type,
source kind) are the ``StrEnum``s of ``sitrep.vocab``: members are their strings, so the JSON is
the same as with plain strings.
"""
from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .shapes import (
        ArticleJSON,
        CaptionJSON,
        ClaimGroupJSON,
        ClaimJSON,
        CueJSON,
        DateRangeJSON,
        EntityJSON,
        ErrorJSON,
        EventJSON,
        GeoPointJSON,
        MentionJSON,
        PlaceJSON,
        RemovedSpanJSON,
        SearchHitJSON,
        SourceHopJSON,
        StoredErrorJSON,
        StoryEventJSON,
        StoryJSON,
        TimeSpanJSON,
    )

from sitrep.vocab import EntityType, EventStatus, PlacePrecision, SourceKind, TimePrecision

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
        """Map derived → intermediate → original: ``self`` maps derived offsets to the
        intermediate string, ``inner`` maps the intermediate string to the original.

        Intersects runs rather than walking characters: an outer run that lies inside one inner
        run is one shift, else it is cut where the inner runs change. Intermediate offsets
        outside every inner run (characters the intermediate string inserted) fall back to
        ``inner.to_original``. Runs that continue the previous shift are merged as they are
        written, and the loop calls nothing per run: a megabyte of combining sequences makes a
        run per character, so this is the hot path of cleaning's second pass.
        """
        runs = inner.runs
        starts = inner._starts()
        count = len(runs)
        res: list[tuple[int, int, int]] = []
        append = res.append
        pd = po = pn = -1  # the last run written, for merging
        ri = ro = rn = 0

        for d, o, n in self.runs:
            i = bisect.bisect_right(starts, o) - 1
            if i >= 0:
                ri, ro, rn = runs[i]
                if o + n <= ri + rn:  # the whole outer run lies in one inner run: one shift
                    oo = ro + (o - ri)
                    if pd + pn == d and po + pn == oo:
                        pn += n
                        res[-1] = (pd, po, pn)
                    else:
                        pd, po, pn = d, oo, n
                        append((d, oo, n))
                    continue
            pos, end = o, o + n
            i = max(i, 0)
            while pos < end:
                if i < count:
                    ri, ro, rn = runs[i]
                    if ri + rn <= pos:
                        i += 1
                        continue
                if i < count and ri <= pos:
                    take = ri + rn - pos
                    if pos + take > end:
                        take = end - pos
                    dd, oo = d + (pos - o), ro + (pos - ri)
                else:
                    take, dd, oo = 1, d + (pos - o), inner.to_original(pos)
                if pd + pn == dd and po + pn == oo:
                    pn += take
                    res[-1] = (pd, po, pn)
                else:
                    pd, po, pn = dd, oo, take
                    append((dd, oo, take))
                pos += take
        return OffsetMap(res)

    def to_json(self) -> list[list[int]]:
        return [list(r) for r in self.runs]

    @classmethod
    def from_json(cls, data: list[list[int]] | None) -> "OffsetMap":
        return cls([tuple(r) for r in (data or [])])  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------

@dataclass
class DateRange:
    """An interval of days ``[start, end]`` (both inclusive), as analysts date reports.

    ``inferred`` is true when the range was read from the article's own text rather than given by
    metadata; ``basis`` says how, so a user can judge it.
    """

    start: date
    end: date
    inferred: bool = False
    precision: TimePrecision = TimePrecision.DAY
    basis: str | None = None

    def to_json(self) -> DateRangeJSON:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "inferred": self.inferred,
            "precision": self.precision,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, d: DateRangeJSON | dict[str, Any] | None) -> "DateRange | None":
        if not d:
            return None
        return cls(
            start=date.fromisoformat(d["start"]),
            end=date.fromisoformat(d["end"]),
            inferred=bool(d.get("inferred", False)),
            precision=TimePrecision(d.get("precision", "day")),
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

    def to_json(self) -> ErrorJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    def one_line(self) -> str:
        where = self.source_path + (f":{self.line}" if self.line else "")
        return f"{where}: {self.kind}: {self.message}"


@dataclass
class StoredError(IngestError):
    """An ingest error as the store lists it: with the run that met it and when."""

    run_id: int | None = None
    created_at: str | None = None

    def to_json(self) -> StoredErrorJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    @classmethod
    def from_json(cls, d: StoredErrorJSON | dict[str, Any]) -> "StoredError":
        return cls(**d)


@dataclass
class RemovedSpan:
    """Text that cleaning took out of the body, in original-text offsets, with the reason."""

    start: int
    end: int
    text: str
    reason: str  # breadcrumb, widget, footer, recurring, caption, title, url, ...

    def to_json(self) -> RemovedSpanJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    @classmethod
    def from_json(cls, d: RemovedSpanJSON | dict[str, Any]) -> "RemovedSpan":
        return cls(**d)


@dataclass
class Caption:
    """A photo caption, kept apart from the body; offsets into the original text."""

    text: str
    start: int
    end: int

    def to_json(self) -> CaptionJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    @classmethod
    def from_json(cls, d: CaptionJSON | dict[str, Any]) -> "Caption":
        return cls(**d)


# --------------------------------------------------------------------------------------------
# Reading: mentions, claims, events
# --------------------------------------------------------------------------------------------

@dataclass
class Mention:
    """A named thing in one article: its span in ``text``, its type, and later its entity."""

    article_id: str
    start: int
    end: int
    text: str
    type: EntityType
    entity_id: str | None = None
    # Within-document link to a longer form of the same name ("al-Anbari" → "Qusay al-Anbari").
    full_form: str | None = None
    # Where a PLACE/FACILITY mention is, as the article's toponym resolution placed it
    # (``sitrep.entities.geo``); not part of the mention's public JSON: its entity carries it.
    geo: GeoPoint | None = None

    def to_json(self) -> MentionJSON:
        return {"article_id": self.article_id, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, d: MentionJSON | dict[str, Any], type: str, entity_id: str | None = None) -> "Mention":
        """A mention from its public JSON, which leaves out the type (its entity's) and the entity."""
        return cls(article_id=d["article_id"], start=d["start"], end=d["end"], text=d["text"], type=EntityType(type),
                   entity_id=entity_id)


@dataclass
class GeoPoint:
    lat: float
    lon: float
    precision: PlacePrecision
    geonames_id: int | None = None
    name: str | None = None

    def to_json(self) -> GeoPointJSON:
        d: GeoPointJSON = {"lat": self.lat, "lon": self.lon, "precision": self.precision}
        if self.geonames_id is not None:
            d["geonames_id"] = self.geonames_id
        if self.name:
            d["name"] = self.name
        return d

    @classmethod
    def from_json(cls, d: GeoPointJSON | dict[str, Any]) -> "GeoPoint":
        return cls(lat=d["lat"], lon=d["lon"], precision=PlacePrecision(d["precision"]), geonames_id=d.get("geonames_id"),
                   name=d.get("name"))


@dataclass
class Entity:
    """A real-world thing resolved across mentions, documents and spellings."""

    id: str
    name: str
    # An EntityType value, or the type an alias table gives the entity (alias files may name
    # their own types, so this one stays a string).
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    geo: GeoPoint | None = None
    mention_count: int | None = None  # when the mentions themselves are not carried (the store has them)

    @property
    def count(self) -> int:
        """How many mentions name this entity."""
        return self.mention_count if self.mention_count is not None else len(self.mentions)

    def to_json(self) -> EntityJSON:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": sorted(set(self.aliases)),
            "mention_count": self.count,
            "mentions": [m.to_json() for m in self.mentions],
            "geo": self.geo.to_json() if self.geo else None,
        }

    @classmethod
    def from_json(cls, d: EntityJSON | dict[str, Any]) -> "Entity":
        mentions = [Mention.from_json(m, d["type"], d["id"]) for m in d.get("mentions") or []]
        geo = d.get("geo")
        return cls(
            id=d["id"],
            name=d["name"],
            type=d["type"],
            aliases=list(d.get("aliases") or []),
            mentions=mentions,
            geo=GeoPoint.from_json(geo) if geo else None,
            mention_count=d.get("mention_count"),
        )


@dataclass
class SourceHop:
    """One link of a sourcing chain. ``start``/``end`` locate the source's mention in the text;
    both are None for the publishing outlet itself."""

    name: str
    kind: SourceKind
    start: int | None = None
    end: int | None = None
    role: str | None = None  # "a high-ranking member", "spokesman", "lieutenant general"
    affiliation: str | None = None  # "Hashd al-Shaabi", "Kata'ib Hezbollah"

    def to_json(self) -> SourceHopJSON:
        d: SourceHopJSON = {"name": self.name, "kind": self.kind, "start": self.start, "end": self.end}
        if self.role:
            d["role"] = self.role
        if self.affiliation:
            d["affiliation"] = self.affiliation
        return d

    @classmethod
    def from_json(cls, d: SourceHopJSON | dict[str, Any]) -> "SourceHop":
        return cls(name=d["name"], kind=SourceKind(d["kind"]), start=d.get("start"), end=d.get("end"), role=d.get("role"),
                   affiliation=d.get("affiliation"))


@dataclass
class Cue:
    text: str
    start: int
    end: int

    def to_json(self) -> CueJSON:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, d: CueJSON | dict[str, Any]) -> "Cue":
        return cls(text=d["text"], start=d["start"], end=d["end"])


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

    def to_json(self) -> ClaimJSON:
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

    @classmethod
    def from_json(cls, d: ClaimJSON | dict[str, Any]) -> "Claim":
        cue = d.get("cue")
        return cls(
            id=d["id"],
            article_id=d["article_id"],
            text=d["text"],
            start=d["start"],
            end=d["end"],
            chain=[SourceHop.from_json(h) for h in d.get("chain") or []],
            cue=Cue.from_json(cue) if cue else None,
            origin_named=bool(d.get("origin_named")),
            hedged=bool(d.get("hedged")),
            denied=bool(d.get("denied")),
        )


@dataclass
class Place:
    """Where an event happened, as precisely as the text and the gazetteer allow."""

    name: str  # the name as the text gives it
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    geonames_id: int | None = None
    resolved_name: str | None = None  # gazetteer name, when it differs
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    note: str | None = None  # "placed at Baghdad: text says 'near Baghdad'"
    start: int | None = None
    end: int | None = None

    def to_json(self) -> PlaceJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    @classmethod
    def from_json(cls, d: PlaceJSON | dict[str, Any]) -> "Place":
        fields = dict(d)
        fields["precision"] = PlacePrecision(fields.get("precision") or "unknown")
        return cls(**fields)


@dataclass
class TimeSpan:
    """An event's time as an interval with a precision, normalised against the publication."""

    start: date | None
    end: date | None
    precision: TimePrecision
    text: str | None = None
    inferred_publication: bool = False  # the anchor (publication date) was itself inferred

    def to_json(self) -> TimeSpanJSON:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "text": self.text,
            "inferred_publication": self.inferred_publication,
        }

    @classmethod
    def from_json(cls, d: TimeSpanJSON | dict[str, Any]) -> "TimeSpan":
        start, end = d.get("start"), d.get("end")
        return cls(
            start=date.fromisoformat(start) if start else None,
            end=date.fromisoformat(end) if end else None,
            precision=TimePrecision(d.get("precision") or "unknown"),
            text=d.get("text"),
            inferred_publication=bool(d.get("inferred_publication")),
        )


@dataclass
class Event:
    """Who did what to whom, where and when, typed in PLOVER with its ACLED counterpart."""

    id: str
    article_id: str
    type: str  # PLOVER-style: deploy, attack, kill, protest, ...
    trigger: Cue
    status: EventStatus = EventStatus.ASSERTED
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

    def to_json(self) -> EventJSON:
        return {
            "id": self.id,
            "article_id": self.article_id,
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

    @classmethod
    def from_json(cls, d: EventJSON | dict[str, Any]) -> "Event":
        place, time = d.get("place"), d.get("time")
        article_ids = list(d.get("article_ids") or [])
        return cls(
            id=d["id"],
            article_id=d.get("article_id") or (article_ids[0] if article_ids else ""),
            type=d["type"],
            trigger=Cue.from_json(d["trigger"]),
            status=EventStatus(d.get("status") or "asserted"),
            actor=d.get("actor"),
            target=d.get("target"),
            equipment=d.get("equipment"),
            place=Place.from_json(place) if place else None,
            time=TimeSpan.from_json(time) if time else None,
            acled_event_type=d.get("acled_event_type"),
            acled_sub_event_type=d.get("acled_sub_event_type"),
            claim_ids=list(d.get("claim_ids") or []),
            confidence=d.get("confidence"),
            confidence_reasons=list(d.get("confidence_reasons") or []),
            article_ids=article_ids,
        )


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
    revisions: int = 1  # versions stored (sitrep.revisions); the store's column wins
    status: str = "live"  # or "deleted"; the store's column wins
    # Filled by later stages.
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Transient, never stored: the spaCy Doc of ``text`` while the NLP stages run.
    doc: Any = field(default=None, repr=False, compare=False)

    def to_json(self) -> ArticleJSON:
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
            "revisions": self.revisions,
            "status": self.status,
        }

    # The stored form: the public JSON plus what it leaves out, so the article can be rebuilt.
    PRIVATE_FIELDS = ("original", "offsets", "caption_spans", "record_key", "content_hash")

    def to_record(self) -> dict[str, Any]:
        """Everything needed to rebuild the article: its public JSON plus the private fields."""
        data: dict[str, Any] = dict(self.to_json())
        data.update(
            original=self.original,
            offsets=self.offsets.to_json(),
            caption_spans=[c.to_json() for c in self.captions],
            record_key=self.record_key,
            content_hash=self.content_hash,
        )
        return data

    @classmethod
    def from_record(cls, d: dict[str, Any]) -> "Article":
        """The inverse of ``to_record`` (derived records, read separately, are left empty)."""
        return cls(
            id=d["id"],
            source_path=d.get("source_path") or "",
            text=d.get("text") or "",
            original=d.get("original") or d.get("text") or "",
            offsets=OffsetMap.from_json(d.get("offsets")),
            title=d.get("title"),
            outlet=d.get("outlet"),
            outlet_basis=d.get("outlet_basis"),
            url=d.get("url"),
            source_id=d.get("source_id"),
            record_key=d.get("record_key") or "",
            format=d.get("format") or "txt",
            published=DateRange.from_json(d.get("published")),
            captions=[Caption.from_json(c) for c in d.get("caption_spans") or []],
            removed=[RemovedSpan.from_json(r) for r in d.get("removed") or []],
            content_hash=d.get("content_hash") or "",
            reprint_of=d.get("reprint_of"),
            revisions=int(d.get("revisions") or 1),
            status=d.get("status") or "live",
        )


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

    def to_json(self) -> ClaimGroupJSON:
        return dataclasses.asdict(self)  # type: ignore[return-value]

    @classmethod
    def from_json(cls, d: ClaimGroupJSON | dict[str, Any]) -> "ClaimGroup":
        return cls(**d)


@dataclass
class StoryEvent:
    """One real-world event as told by several reports (event coreference result)."""

    event: Event
    event_ids: list[str]
    reports: int
    outlets: list[str]
    independent_origins: int

    def to_json(self) -> StoryEventJSON:
        d: StoryEventJSON = {
            **self.event.to_json(),
            "event_ids": self.event_ids,
            "reports": self.reports,
            "outlets": self.outlets,
            "independent_origins": self.independent_origins,
        }
        return d

    @classmethod
    def from_json(cls, d: StoryEventJSON | dict[str, Any]) -> "StoryEvent":
        return cls(
            event=Event.from_json(d),
            event_ids=list(d.get("event_ids") or []),
            reports=d.get("reports") or 0,
            outlets=list(d.get("outlets") or []),
            independent_origins=d.get("independent_origins") or 0,
        )


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
    # Stories of the same topic but another event (issue 18): shown beside the story, never
    # merged into it. Set by the story stage from the clusterer's "related" links.
    related: list[str] = field(default_factory=list)

    def to_json(self) -> StoryJSON:
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
            "related": list(self.related),
        }

    @classmethod
    def from_json(cls, d: StoryJSON | dict[str, Any]) -> "Story":
        start, end = d.get("start"), d.get("end")
        return cls(
            id=d["id"],
            title=d.get("title") or "",
            article_ids=list(d.get("article_ids") or []),
            start=date.fromisoformat(start) if start else None,
            end=date.fromisoformat(end) if end else None,
            key_entities=list(d.get("key_entities") or []),
            outlets=list(d.get("outlets") or []),
            events=[StoryEvent.from_json(e) for e in d.get("events") or []],
            claims=[ClaimGroup.from_json(c) for c in d.get("claims") or []],
            related=list(d.get("related") or []),
        )


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    """One full-text search result: where it is, and the words around the match."""

    id: str
    title: str | None
    outlet: str | None
    published_start: str | None
    published_end: str | None
    snippet: str | None
    score: float

    def to_json(self) -> SearchHitJSON:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": {"start": self.published_start, "end": self.published_end},
            "snippet": self.snippet,
            "score": self.score,
        }

    @classmethod
    def from_json(cls, d: SearchHitJSON | dict[str, Any]) -> "SearchHit":
        published = d.get("published") or {}
        return cls(id=d["id"], title=d.get("title"), outlet=d.get("outlet"), published_start=published.get("start"),
                   published_end=published.get("end"), snippet=d.get("snippet"), score=d["score"])
