"""The JSON routes under ``/api``: the shapes of json-output.md, paged and validated.

Every JSON route declares its shape (``sitrep.shapes``) as ``response_model``, so
``/api/openapi.json`` documents it, and returns a ``Response`` it encoded itself from the records'
``to_json`` (or from the stored JSON, unparsed): FastAPI then skips validating and re-encoding each
field, which cost more than the query on a large dossier.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Literal, Optional, Union

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from ..model import Event
from ..shapes import (
    ArticleDetailJSON,
    ArticleJSON,
    ClaimJSON,
    EntityJSON,
    EventJSON,
    SearchHitJSON,
    StoredErrorJSON,
    StoryDetailJSON,
    StoryJSON,
    StoryPlacesJSON,
    StorySummaryJSON,
)
from ..store.base import Repository
from ..views import exports
from ..views.queries import (
    article_detail,
    article_summary,
    filter_events,
    iter_all,
    outlets_by_article,
    story_detail_json,
    story_summary,
)
from .params import MAX_LIMIT, MAX_OFFSET, limit_param, offset_param, parse_bbox, parse_day

#: rows of each list in a paged dossier where the request gives no size (the dossier page's own)
DOSSIER_PAGE = 100

router = APIRouter(prefix="/api")


def get_repo(request: Request) -> Repository:
    return request.app.state.repo


def not_found(kind: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {kind} with id {key[:200]!r}")


def json_response(data: Any) -> Response:
    """JSON of plain dicts and lists, encoded once: skips FastAPI's per-field validation and
    re-encoding, which cost more than the query on a large dossier."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def records_response(records: Iterable[Any]) -> Response:
    """A JSON list of model records in their public shape (``to_json``)."""
    return json_response([r.to_json() for r in records])


def spliced_response(texts: list[str]) -> Response:
    """A JSON list of records sent as the store keeps them, unparsed."""
    return Response("[" + ",".join(texts) + "]", media_type="application/json")


@router.get("/articles", tags=["articles"], summary="List articles (without their bodies' derived records)",
            response_model=list[ArticleJSON])
def list_articles(
    outlet: Optional[str] = Query(None, max_length=200, description="Only articles of this outlet (case-insensitive)."),
    limit: int = limit_param(),
    offset: int = offset_param(),
    repo: Repository = Depends(get_repo),
) -> Response:
    return records_response(repo.list_articles(limit=limit, offset=offset, outlet=outlet))


@router.get("/articles/{article_id}", tags=["articles"], response_model=ArticleDetailJSON,
            summary="One article with its claims, events, mentions and story id")
def get_article(article_id: str, repo: Repository = Depends(get_repo)) -> Response:
    detail = article_detail(repo, article_id)
    if detail is None:
        raise not_found("article", article_id)
    return json_response(detail)


@router.get("/stories", tags=["stories"], summary="List stories, largest first",
            response_model=Union[list[StoryJSON], list[StorySummaryJSON]])
def list_stories(
    limit: int = limit_param(),
    offset: int = offset_param(),
    view: Literal["full", "summary"] = Query(
        "full", description="full: each story as `sitrep stories --json` prints it; summary: without the "
        "event and claim groups (with `event_count`, `claim_count`)."),
    repo: Repository = Depends(get_repo),
) -> Response:
    stored = repo.stored_json("stories", limit=limit, offset=offset)
    if view == "summary":
        return json_response([story_summary(json.loads(text)) for text in stored])
    # The stored JSON is already the listed shape: send it as stored, unparsed.
    return spliced_response(stored)


def _page_param(what: str, default: Optional[int] = None, zero: bool = True):
    return Query(default, ge=0 if zero else 1, le=MAX_LIMIT,
                 description=f"Page size of {what}, 0..{MAX_LIMIT}; any paging parameter pages the dossier.")


def _skip_param(what: str):
    return Query(None, ge=0, le=MAX_OFFSET, description=f"Number of {what} to skip.")


@router.get("/stories/{story_id}", tags=["stories"], response_model=StoryDetailJSON,
            summary="One story with its articles' summaries and their full claim and event records")
def get_story(
    story_id: str,
    claims_limit: Optional[int] = _page_param("claim groups"),
    claims_offset: Optional[int] = _skip_param("claim groups"),
    events_limit: Optional[int] = _page_param("story events"),
    events_offset: Optional[int] = _skip_param("story events"),
    articles_limit: Optional[int] = _page_param("articles"),
    articles_offset: Optional[int] = _skip_param("articles"),
    origin: Optional[str] = Query(None, max_length=20, description="Paged: claim groups with an origin of this "
                                  "kind (person, official, organization, publication, anonymous, outlet) or named."),
    min_origins: Optional[int] = Query(None, ge=1, le=1000, description="Paged: claim groups with at least this "
                                       "many independent origins."),
    claims_sort: Literal["corroboration", "reports", "kind", "order"] = Query(
        "corroboration", description="Paged: order of the claim groups (attributed ones always first)."),
    repo: Repository = Depends(get_repo),
) -> Response:
    """Without paging parameters, the whole dossier, as before. With any of them, one page of
    each list (``DOSSIER_PAGE`` where a size is not given) and a ``page`` object with the totals:
    the claim groups (attributed first; ``article_claims`` holds their member claims), the story
    events (by start day), the articles' summaries (``article_events`` stays empty: each story
    event carries its first member's article and trigger)."""
    story_id = repo.merged_into(story_id) or story_id  # a fragment merged into another: that story
    paging = (claims_limit, claims_offset, events_limit, events_offset, articles_limit, articles_offset)
    if all(p is None for p in paging) and origin is None and min_origins is None:
        detail = story_detail_json(repo, story_id)
        if detail is None:
            raise not_found("story", story_id)
        return Response(detail, media_type="application/json")
    head = repo.story_head(story_id)
    if head is None:
        raise not_found("story", story_id)
    size = DOSSIER_PAGE
    claims_page = (claims_limit if claims_limit is not None else size, claims_offset or 0)
    events_page = (events_limit if events_limit is not None else size, events_offset or 0)
    articles_page = (articles_limit if articles_limit is not None else size, articles_offset or 0)
    groups, claims_total = repo.dossier_claim_groups(story_id, origin=origin, min_origins=min_origins,
                                                     sort=claims_sort, limit=claims_page[0], offset=claims_page[1])
    members = [str(c) for g in groups for c in json.loads(g).get("claim_ids") or []]
    events, events_total = repo.dossier_events(story_id, limit=events_page[0], offset=events_page[1])
    ids = repo.article_ids_of_story(story_id) or list(head.get("article_ids") or [])
    chosen = ids[articles_page[1]:articles_page[1] + articles_page[0]]
    page = {"claims_limit": claims_page[0], "claims_offset": claims_page[1], "claims_total": claims_total,
            "events_limit": events_page[0], "events_offset": events_page[1], "events_total": events_total,
            "articles_limit": articles_page[0], "articles_offset": articles_page[1], "articles_total": len(ids)}
    return Response("".join([
        json.dumps(head, ensure_ascii=False)[:-1], ',"events":[', ",".join(events), '],"claims":[', ",".join(groups),
        '],"articles":', json.dumps([article_summary(a) for a in repo.get_articles(chosen)], ensure_ascii=False),
        ',"article_claims":[', ",".join(repo.claims_by_id(members) if members else []), '],"article_events":[]',
        ',"page":', json.dumps(page), "}",
    ]), media_type="application/json")


@router.get("/stories/{story_id}/places", tags=["stories"], response_model=StoryPlacesJSON,
            summary="A story's events aggregated by place, for its map")
def get_story_places(story_id: str, limit: int = Query(200, ge=1, le=MAX_LIMIT, description="Most places sent "
                     "(those with the most events)."), repo: Repository = Depends(get_repo)) -> Response:
    """Each place (to about 100 m) with its number of events and its first three events, the
    places with most events first: a map of a story of any size costs at most ``limit`` points."""
    story_id = repo.merged_into(story_id) or story_id  # a fragment merged into another: that story
    if repo.story_head(story_id) is None:
        raise not_found("story", story_id)
    places, total = repo.dossier_places(story_id, limit=limit)
    return json_response({"story_id": story_id, "places": places, "places_total": total})


def _event_filters(
    type: Optional[str] = Query(None, max_length=100, description="PLOVER event type, e.g. deploy, attack."),
    since: Optional[str] = Query(None, max_length=40, description="Events whose time reaches on or after this day (YYYY-MM-DD)."),
    until: Optional[str] = Query(None, max_length=40, description="Events whose time starts on or before this day (YYYY-MM-DD)."),
    bbox: Optional[str] = Query(None, max_length=200, description="south,west,north,east in degrees."),
    entity: Optional[str] = Query(None, max_length=200, description="Entity id, name or alias taking part."),
    outlet: Optional[str] = Query(None, max_length=200, description="Only events reported by this outlet."),
    include_undated: bool = Query(False, description="With since/until: keep events that have no time at all."),
) -> dict[str, Any]:
    return dict(type=type, since=parse_day("since", since), until=parse_day("until", until), bbox=parse_bbox(bbox),
                entity=entity, outlet=outlet, include_undated=include_undated)


@router.get("/events", tags=["events"], summary="List events, filtered by type, time, box, entity, outlet",
            response_model=list[EventJSON])
def list_events(filters: dict = Depends(_event_filters), limit: int = limit_param(100), offset: int = offset_param(),
                repo: Repository = Depends(get_repo)) -> Response:
    rows = filter_events(repo, limit=limit, offset=offset, **filters)
    if rows is None:
        raise not_found("entity", filters["entity"])
    return records_response(rows)


@router.get("/claims", tags=["claims"], summary="List claims by article, source or whether the origin is named",
            response_model=list[ClaimJSON])
def list_claims(
    article: Optional[str] = Query(None, max_length=200, description="Only claims of this article id."),
    source: Optional[str] = Query(None, max_length=200, description="A source anywhere in the chain (substring)."),
    named: Optional[bool] = Query(None, description="true: origin named; false: anonymous origin."),
    limit: int = limit_param(100),
    offset: int = offset_param(),
    repo: Repository = Depends(get_repo),
) -> Response:
    return records_response(repo.list_claims(article_id=article, source=source, named=named, limit=limit,
                                             offset=offset))


@router.get("/entities", tags=["entities"], summary="List entities, most mentioned first",
            response_model=list[EntityJSON])
def list_entities(
    type: Optional[str] = Query(None, max_length=40, description="PERSON, ORG, PLACE, FACILITY, GROUP, ..."),
    limit: int = limit_param(100),
    offset: int = offset_param(),
    repo: Repository = Depends(get_repo),
) -> Response:
    return records_response(repo.list_entities(type=type, limit=limit, offset=offset))


@router.get("/entities/{entity_id}", tags=["entities"], summary="One entity with its aliases and mentions",
            response_model=EntityJSON)
def get_entity(entity_id: str, repo: Repository = Depends(get_repo)) -> Response:
    entity = repo.get_entity(entity_id)
    if entity is None:
        raise not_found("entity", entity_id)
    return json_response(entity.to_json())


@router.get("/search", tags=["articles"], summary="Full-text search over titles and bodies",
            response_model=list[SearchHitJSON])
def search(
    q: str = Query(..., min_length=1, max_length=500,
                   description='Words (all must occur), "exact phrases", OR between two terms, -word to leave out; '
                               "a name also finds the entity's other spellings."),
    limit: int = limit_param(20),
    offset: int = offset_param(),
    repo: Repository = Depends(get_repo),
) -> Response:
    return records_response(repo.search(q, limit=limit, offset=offset))


@router.get("/stats", tags=["ingest"], summary="How many records of each kind the store holds")
def stats(repo: Repository = Depends(get_repo)) -> dict[str, int]:
    return {t: repo.count(t) for t in ("articles", "claims", "events", "entities", "stories", "errors")}


@router.get("/errors", tags=["ingest"], summary="Per-file and per-record ingest errors",
            response_model=list[StoredErrorJSON])
def list_errors(limit: int = limit_param(100), offset: int = offset_param(),
                repo: Repository = Depends(get_repo)) -> Response:
    return records_response(repo.list_errors(limit=limit, offset=offset))


class CSVResponse(Response):
    """A CSV body: declared as the route's response class so OpenAPI names the media type."""

    media_type = "text/csv; charset=utf-8"


class GeoJSONResponse(Response):
    """A GeoJSON body (RFC 7946 media type)."""

    media_type = "application/geo+json"


def _all_events(repo: Repository, filters: dict[str, Any]) -> list[Event]:
    rows = filter_events(repo, limit=10**9, offset=0, **filters)
    if rows is None:
        raise not_found("entity", filters["entity"])
    return rows


def _attachment(response_class: type[Response], body: str, filename: str) -> Response:
    return response_class(body, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.get("/export/events.csv", tags=["exports"], summary="Events in ACLED's column layout (CSV)",
            response_class=CSVResponse)
def export_events_csv(filters: dict = Depends(_event_filters), repo: Repository = Depends(get_repo)) -> Response:
    events = _all_events(repo, filters)
    ids = {a for e in events for a in (e.article_ids or [e.article_id]) if a}
    return _attachment(CSVResponse, exports.events_csv(events, outlets_by_article(repo, ids)), "events.csv")


@router.get("/export/events.geojson", tags=["exports"], summary="Placed events as a GeoJSON FeatureCollection",
            response_class=GeoJSONResponse)
def export_events_geojson(filters: dict = Depends(_event_filters), repo: Repository = Depends(get_repo)) -> Response:
    body = exports.dumps(exports.events_geojson(_all_events(repo, filters)))
    return _attachment(GeoJSONResponse, body, "events.geojson")


@router.get("/export/claims.csv", tags=["exports"], summary="Claims with their sourcing chains (CSV)",
            response_class=CSVResponse)
def export_claims_csv(repo: Repository = Depends(get_repo)) -> Response:
    claims = list(iter_all(repo.list_claims))
    ids = {c.article_id for c in claims if c.article_id}
    return _attachment(CSVResponse, exports.claims_csv(claims, outlets_by_article(repo, ids)), "claims.csv")


class JSONAttachment(Response):
    """A JSON body already encoded, sent as a file to save."""

    media_type = "application/json"


@router.get("/export/articles.json", tags=["exports"], summary="Every article as JSON (json-output.md shape)",
            response_model=list[ArticleJSON])
def export_articles_json(repo: Repository = Depends(get_repo)) -> Response:
    body = exports.dumps([a.to_json() for a in iter_all(repo.list_articles)])
    return _attachment(JSONAttachment, body, "articles.json")

