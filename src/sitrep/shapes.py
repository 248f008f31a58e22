"""The public JSON shapes of ``shared/spec/json-output.md``, as ``TypedDict`` types.

Each record's ``to_json`` in ``model.py`` is annotated to return one of these, so a type checker
holds the dict it writes to the shape, and the API declares them as response models, so
``/api/openapi.json`` documents exactly what is sent. A record's public JSON is not its dataclass:
private fields (original text, offsets, caption spans, content hash) stay out, and a few fields
are written differently (an article's captions as their texts, a story event flattened).
"""
from __future__ import annotations

from typing import Optional

from typing_extensions import NotRequired, TypedDict


class DateRangeJSON(TypedDict):
    start: str
    end: str
    inferred: bool
    precision: str
    basis: Optional[str]


class RemovedSpanJSON(TypedDict):
    start: int
    end: int
    text: str
    reason: str


class CaptionJSON(TypedDict):
    text: str
    start: int
    end: int


class ArticleSummaryJSON(TypedDict):
    """An article without its body: what a list of articles needs."""

    id: str
    outlet: Optional[str]
    title: Optional[str]
    published: Optional[DateRangeJSON]
    url: Optional[str]
    source_id: Optional[str]
    source_path: str
    reprint_of: Optional[str]
    format: str
    revisions: int  # versions stored (1 unless `sitrep watch` saw the page change)
    status: str  # live, or deleted (the page answered 404/410 when watch fetched it again)


class ArticleJSON(ArticleSummaryJSON):
    outlet_basis: Optional[str]
    text: str
    captions: list[str]
    removed: list[RemovedSpanJSON]


class ErrorJSON(TypedDict):
    source_path: str
    message: str
    record_key: str
    line: Optional[int]
    kind: str


class StoredErrorJSON(ErrorJSON):
    run_id: Optional[int]
    created_at: Optional[str]


class MentionJSON(TypedDict):
    article_id: str
    start: int
    end: int
    text: str


class GeoPointJSON(TypedDict):
    lat: float
    lon: float
    precision: str
    geonames_id: NotRequired[int]
    name: NotRequired[str]


class EntityJSON(TypedDict):
    id: str
    name: str
    type: str
    aliases: list[str]
    mention_count: int
    mentions: list[MentionJSON]
    geo: Optional[GeoPointJSON]


class SourceHopJSON(TypedDict):
    name: str
    kind: str
    start: Optional[int]
    end: Optional[int]
    role: NotRequired[str]
    affiliation: NotRequired[str]


class CueJSON(TypedDict):
    text: str
    start: int
    end: int


class ClaimJSON(TypedDict):
    id: str
    article_id: str
    text: str
    start: int
    end: int
    chain: list[SourceHopJSON]
    cue: Optional[CueJSON]
    origin_named: bool
    hedged: bool
    denied: bool


class PlaceJSON(TypedDict):
    name: str
    lat: Optional[float]
    lon: Optional[float]
    precision: str
    geonames_id: Optional[int]
    resolved_name: Optional[str]
    country: Optional[str]
    admin1: Optional[str]
    note: Optional[str]
    start: Optional[int]
    end: Optional[int]


class TimeSpanJSON(TypedDict):
    start: Optional[str]
    end: Optional[str]
    precision: str
    text: Optional[str]
    inferred_publication: bool


class EventJSON(TypedDict):
    id: str
    article_id: str
    type: str
    actor: Optional[str]
    target: Optional[str]
    equipment: Optional[str]
    status: str
    place: Optional[PlaceJSON]
    time: Optional[TimeSpanJSON]
    acled_event_type: Optional[str]
    acled_sub_event_type: Optional[str]
    trigger: CueJSON
    claim_ids: list[str]
    article_ids: list[str]
    confidence: Optional[float]  # 0-1, None when never scored (sitrep.events.confidence)
    confidence_reasons: list[str]


class ClaimGroupJSON(TypedDict):
    id: str
    claim_ids: list[str]
    text: str
    reports: int
    outlets: list[str]
    independent_origins: int
    origins: list[str]
    any_origin_named: bool
    contradicted_by: list[str]


class StoryEventJSON(EventJSON):
    """An event as several reports tell it: the merged event plus its corroboration."""

    event_ids: list[str]
    reports: int
    outlets: list[str]
    independent_origins: int


class StoryHeadJSON(TypedDict):
    """What every shape of a story starts with: who it is, its span, members and outlets."""

    id: str
    title: str
    article_ids: list[str]
    start: Optional[str]
    end: Optional[str]
    key_entities: list[str]
    outlets: list[str]


class StoryJSON(StoryHeadJSON):
    events: list[StoryEventJSON]
    claims: list[ClaimGroupJSON]
    related: NotRequired[list[str]]  # ids of same-topic stories of other events; absent in stores before issue 18


class SearchHitPublishedJSON(TypedDict):
    start: Optional[str]
    end: Optional[str]


class SearchHitJSON(TypedDict):
    id: str
    title: Optional[str]
    outlet: Optional[str]
    published: SearchHitPublishedJSON
    snippet: Optional[str]
    score: float


# -- compound views (``sitrep.views.queries``) ----------------------------------------------


class MentionDetailJSON(MentionJSON):
    """A mention on its article's page: with its type and the entity it names."""

    type: str
    entity_id: Optional[str]


# -- revisions (``sitrep.revisions``) ------------------------------------------------------

TitleChangeJSON = TypedDict("TitleChangeJSON", {"from": Optional[str], "to": Optional[str]})


class RevisionChangesJSON(TypedDict):
    """What a revision changed from the one before it."""

    title: Optional[TitleChangeJSON]
    sentences_added: list[str]
    sentences_removed: list[str]
    claims_appeared: list[str]
    claims_vanished: list[str]
    events_appeared: list[str]
    events_vanished: list[str]


class WarcRefJSON(TypedDict):
    """Where the response a version was read from is archived (``sitrep watch --archive``)."""

    file: str
    record: str


class RevisionJSON(TypedDict):
    number: int
    fetched_at: str
    content_hash: str
    title: Optional[str]
    warc: Optional[WarcRefJSON]
    changes: Optional[RevisionChangesJSON]  # null for the first version


class ArticleDetailJSON(ArticleJSON):
    claims: list[ClaimJSON]
    events: list[EventJSON]
    mentions: list[MentionDetailJSON]
    story_id: Optional[str]
    revision_history: list[RevisionJSON]
    warc: Optional[WarcRefJSON]  # the archived response the current version was read from
    revised_at: Optional[str]


class StorySummaryJSON(StoryHeadJSON):
    """A story without its event and claim groups, with their counts instead."""

    event_count: int
    claim_count: int


class DossierPageJSON(TypedDict):
    """Which slice of each list a paged dossier holds, and how long each list is."""

    claims_limit: int
    claims_offset: int
    claims_total: int
    events_limit: int
    events_offset: int
    events_total: int
    articles_limit: int
    articles_offset: int
    articles_total: int


class StoryDetailJSON(StoryJSON):
    """A story's dossier: the story, its articles' summaries, their full claims and events.
    Paged (``/api/stories/{id}?claims_limit=…``), each list is one page and ``page`` says which."""

    articles: list[ArticleSummaryJSON]
    article_claims: list[ClaimJSON]
    article_events: list[EventJSON]
    page: NotRequired[DossierPageJSON]


class StoryPlaceJSON(TypedDict):
    """A place of a story's map: its events counted, the first few of them."""

    lat: float
    lon: float
    name: Optional[str]
    count: int
    events: list[StoryEventJSON]


class StoryPlacesJSON(TypedDict):
    story_id: str
    places: list[StoryPlaceJSON]
    places_total: int
