"""HTML pages: story list, story dossier, article reader, entity page.

Templates are rendered with autoescaping on, so every string from an article (title, text,
outlet, URL, caption, entity name) reaches the page as text. Links are made only from safe
http(s) URLs. Maps and timelines are drawn by static scripts from ``/api`` JSON, building DOM
nodes with ``textContent``; no page has inline script or style, so the strict CSP holds.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote
from typing import Any, Optional

import jinja2
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..api.params import MAX_OFFSET, BadParameter, parse_changed_since, parse_day, parse_span
from ..countries import country_name
from ..events.ontology import EVENT_TYPES
from ..views.browse import CLAIM_SORTS, EVENT_SORTS, browse_claims, browse_events, origin_kind_of
from ..store.dossier import ORIGIN_FILTERS
from ..vocab import EntityType, SourceKind
from ..views.queries import (
    article_detail,
    claims_sourced_by,
    events_of_entity,
    article_summary,
    find_entity,
)
from .context import sentence_around
from .dossier import contradicting_ids, member_ids, page_event_rows, table_rows
from .profiles import outlet_profile
from .safety import safe_url
from .text import segment_article

HERE = Path(__file__).resolve().parent
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,  # every {{ }} is escaped, whatever the file name
    undefined=jinja2.ChainableUndefined,  # tolerate records missing optional fields
)
_env.filters["safe_url"] = safe_url
_env.globals["outlet_profile"] = outlet_profile
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False)


def _repo(request: Request):
    return request.app.state.repo


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", status=status, status_code=status, message=message)


# conflict first is the default: political violence of high confidence told from several independent
# origins, then from one, then the rest, each the latest first (store.dossier.conflict_rank)
STORY_SORTS = {"conflict": "conflict first", "size": "most reports", "recent": "latest", "corroboration": "most independent origins"}


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    q: Optional[str] = Query(None, max_length=500),
    outlet: Optional[str] = Query(None, max_length=200),
    since: Optional[str] = Query(None, max_length=40),
    until: Optional[str] = Query(None, max_length=40),
    type: Optional[str] = Query(None, max_length=40),
    country: Optional[str] = Query(None, max_length=2),
    sort: str = Query("conflict", max_length=20),
    changed: Optional[str] = Query(None, max_length=40),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    if sort not in STORY_SORTS:
        raise BadParameter("sort", f"expected one of {', '.join(STORY_SORTS)}; got {sort[:20]!r}")
    repo = _repo(request)
    since_d, until_d = parse_day("since", since), parse_day("until", until)
    hits = repo.search(q, limit=100) if q else []
    # filtered and paged by the store: a story matches with the outlet among its outlets, a span
    # reaching into since..until, q in its title or one of q's search hits among its articles, and
    # an event of the type or in the country; only the page's listings are read (no event and
    # claim groups)
    filters = {"outlet": outlet, "since": since_d, "until": until_d, "text": q, "article_ids": [h.id for h in hits],
               "event_type": type or None, "country": (country or "").upper() or None,
               "changed_since": parse_changed_since("changed", changed)}
    total = repo.count_stories(**filters)
    page = repo.find_stories(limit=limit, offset=offset, listing=True, sort=sort, **filters) if total else []
    stories = [s.to_json() for s in page]
    outlets = repo.story_outlets()
    browsing = total or q or type or country or changed
    articles = [] if browsing else repo.list_articles(limit=limit, offset=offset, outlet=outlet)
    query = _query({"q": q, "outlet": outlet, "since": since_d, "until": until_d, "type": type,
                    "country": filters["country"], "sort": sort, "changed": changed})
    return _page(
        request, "index.html",
        stories=stories, total=total, hits=hits, articles=articles,
        q=q or "", outlet=outlet or "", since=since_d or "", until=until_d or "", outlets=outlets,
        type=type or "", country=filters["country"] or "", sort=sort, sorts=STORY_SORTS,
        types=repo.story_facets("type"), countries=[(c, country_name(c)) for c in repo.story_facets("country")],
        query=query, limit=limit, offset=offset, changed=changed or "",
    )


DOSSIER_PAGE = 100
CLAIM_SORTS_SHOWN = {"corroboration": "most independent origins", "reports": "most reports",
                     "kind": "origin kind", "order": "order in the reports"}


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: str,
    claims_from: int = Query(0, ge=0, le=MAX_OFFSET),
    events_from: int = Query(0, ge=0, le=MAX_OFFSET),
    reports_from: int = Query(0, ge=0, le=MAX_OFFSET),
    origin: Optional[str] = Query(None, max_length=20),
    min_origins: Optional[str] = Query(None, max_length=5),
    claims_sort: str = Query("corroboration", max_length=20),
):
    """The dossier, read a page at a time so its first view costs the same for any story: the
    story's head, one page (``DOSSIER_PAGE``) of claim-table rows, of event rows and of reports,
    each an indexed read of the stored dossier rows (``store.dossier``); the map and timeline
    draw from the bounded JSON named in ``data-first-view``. The claim table lists attributed
    claim groups first, then each article's own-voice narration as one expandable row, sorted by
    ``claims_sort`` and filtered by ``origin`` kind and ``min_origins`` on the server."""
    repo = _repo(request)
    story_id = repo.merged_into(story_id) or story_id  # a fragment merged into another: that story
    story = repo.story_head(story_id)
    if story is None:
        return html_error(request, 404, f"no story with id {story_id[:200]!r}")
    if claims_sort not in CLAIM_SORTS_SHOWN:
        raise BadParameter("claims_sort", f"expected one of {', '.join(CLAIM_SORTS_SHOWN)}; got {claims_sort[:20]!r}")
    if origin and origin not in ORIGIN_FILTERS:
        raise BadParameter("origin", f"expected one of {', '.join(ORIGIN_FILTERS)}; got {origin[:20]!r}")
    floor = _number("min_origins", min_origins, 1, 1000)  # the form sends "" for any
    min_origins = str(int(floor)) if floor is not None else None
    entries, claims_total = repo.dossier_claim_table(story_id, origin=origin or None,
                                                     min_origins=int(min_origins) if min_origins else None,
                                                     sort=claims_sort, limit=DOSSIER_PAGE, offset=claims_from)
    members = [json.loads(t) for t in repo.claims_by_id(member_ids(entries))]
    texts = repo.dossier_group_texts(story_id, contradicting_ids(entries))
    event_texts, events_total = repo.dossier_events(story_id, limit=DOSSIER_PAGE, offset=events_from)
    events = page_event_rows([json.loads(t) for t in event_texts])
    member_ids_all = repo.article_ids_of_story(story_id) or list(story.get("article_ids") or [])
    articles = [article_summary(a) for a in repo.get_articles(member_ids_all[reports_from:reports_from + DOSSIER_PAGE])]
    outlet_of = repo.outlets_of(sorted({str(c.get("article_id")) for c in members} | {a for e in entries
                                       if e["narration"] and (a := e.get("article_id"))}))
    claims = table_rows(entries, {str(c["id"]): c for c in members}, outlet_of, texts)
    filters = {"origin": origin or "", "min_origins": int(min_origins) if min_origins else "",
               "claims_sort": claims_sort}
    keep = {k: v for k, v in filters.items() if v}
    first_view = [f"/api/stories/{quote(story_id, safe='')}?claims_limit=0&events_limit={DOSSIER_PAGE}"
                  f"&events_offset={events_from}&articles_limit=0",
                  f"/api/stories/{quote(story_id, safe='')}/places"]
    # Same topic, another event (issue 18): listed with their titles, at most cluster.MAX_RELATED reads.
    related = [head for rid in story.get("related") or [] if (head := repo.story_head(str(rid))) is not None]
    return _page(request, "story.html", story=story, claims=claims, events=events, articles=articles, related=related,
                 claims_total=claims_total, events_total=events_total, reports_total=len(member_ids_all),
                 claims_from=claims_from, events_from=events_from, reports_from=reports_from, page_size=DOSSIER_PAGE,
                 filters=filters, keep=keep, claim_sorts=CLAIM_SORTS_SHOWN, origin_filters=ORIGIN_FILTERS,
                 first_view=" ".join(first_view))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, hl: Optional[str] = Query(None, max_length=40)):
    repo = _repo(request)
    detail = article_detail(repo, article_id)
    article = repo.get_article(article_id)
    if detail is None or article is None:
        return html_error(request, 404, f"no article with id {article_id[:200]!r}")
    spans = [(c["start"], c["end"]) for c in detail["claims"]]
    spans += [((e.get("trigger") or {})["start"], (e.get("trigger") or {})["end"]) for e in detail["events"]
              if (e.get("trigger") or {}).get("start") is not None]
    highlight = parse_span(hl)
    view = segment_article(article.to_record(), detail["mentions"], spans, highlight)
    return _page(request, "article.html", article=detail, view=view, hl=highlight,
                 url_link=safe_url(detail.get("url")))


ENTITY_TYPES = tuple(t.value for t in EntityType)
MENTIONS_SHOWN = 300  # a country mentioned in every report would fill the page


@router.get("/entities", response_class=HTMLResponse)
def entities_index(
    request: Request,
    q: Optional[str] = Query(None, max_length=200),
    type: Optional[str] = Query(None, max_length=20),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Entities, most mentioned first, narrowed by type and by a search of names and aliases.
    One row more than the page is read to know whether there is a next page without counting."""
    kind = (type or "").upper() or None
    rows = _repo(request).list_entities(type=kind, name=q, limit=limit + 1, offset=offset)
    return _page(request, "entities.html", entities=[e.to_json() for e in rows[:limit]], more=len(rows) > limit,
                 q=q or "", type=kind or "", types=ENTITY_TYPES, limit=limit, offset=offset)


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str):
    """An entity by id or by one of its names (the story list's key entities are names): each
    mention in its sentence, its events, the claims it is a source of, and a map of its places."""
    repo = _repo(request)
    entity = find_entity(repo, entity_id)
    if entity is None:
        return html_error(request, 404, f"no entity with id {entity_id[:200]!r}")
    shown = entity.mentions[:MENTIONS_SHOWN]
    articles = {a.id: a for a in repo.get_articles(sorted({m.article_id for m in shown}))}
    mentions = []
    for m in shown:
        article = articles.get(m.article_id)
        context = sentence_around(article.text, m.start, m.end) if article else None
        mentions.append({"mention": m.to_json(), "context": context,
                         "title": (article.title if article else None) or m.article_id,
                         "outlet": article.outlet if article else None})
    found = events_of_entity(repo, entity, limit=500)
    events = [e.to_json() for e in found]
    claims = [c.to_json() for c in claims_sourced_by(repo, entity)]
    places = [{"lat": e.place.lat, "lon": e.place.lon, "name": e.place.resolved_name or e.place.name, "event": e.type}
              for e in found if e.place is not None and e.place.lat is not None and e.place.lon is not None]
    if entity.geo is not None:
        places.insert(0, {"lat": entity.geo.lat, "lon": entity.geo.lon, "name": entity.name, "event": "entity"})
    return _page(request, "entity.html", entity=entity.to_json(), mentions=mentions, events=events,
                 claims=claims, places=places, shown=len(shown))


def _flag(name: str, value: Optional[str]) -> Optional[bool]:
    """A yes/no filter from a select: "" or absent is either, "yes" true, "no" false."""
    if not value:
        return None
    if value in ("yes", "no"):
        return value == "yes"
    raise BadParameter(name, f"expected yes or no; got {value[:20]!r}")


def _number(name: str, value: Optional[str], lo: float, hi: float) -> Optional[float]:
    """A number from a form field; an empty field (the form sends every field) is no filter."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadParameter(name, f"expected a number; got {value[:20]!r}") from None
    if not lo <= number <= hi:  # also refuses nan
        raise BadParameter(name, f"{number} is outside {lo:g}..{hi:g}")
    return number


def _near(lat: Optional[str], lon: Optional[str], km: Optional[str]) -> Optional[tuple[float, float, float]]:
    """The place-radius filter: all three of lat, lon and km, or none."""
    values = (_number("lat", lat, -90, 90), _number("lon", lon, -180, 180), _number("km", km, 0.001, 20040))
    if all(v is None for v in values):
        return None
    if any(v is None for v in values):
        raise BadParameter("km", "a place radius needs lat, lon and km together")
    return values  # type: ignore[return-value]


def _query(form: dict[str, Any]) -> dict[str, Any]:
    """The filters a sort or pager link carries on: those given, nothing empty."""
    return {k: v for k, v in form.items() if v not in ("", None)}


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    type: Optional[str] = Query(None, max_length=40),
    min_confidence: Optional[str] = Query(None, max_length=20),
    since: Optional[str] = Query(None, max_length=40),
    until: Optional[str] = Query(None, max_length=40),
    outlet: Optional[str] = Query(None, max_length=200),
    lat: Optional[str] = Query(None, max_length=30),
    lon: Optional[str] = Query(None, max_length=30),
    km: Optional[str] = Query(None, max_length=30),
    sort: str = Query("time", max_length=20),
    desc: bool = Query(False),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Every event, filtered, sorted and paged, as a table and a map of the page's places."""
    if sort not in EVENT_SORTS:
        raise BadParameter("sort", f"expected one of {', '.join(EVENT_SORTS)}; got {sort[:20]!r}")
    since_d, until_d = parse_day("since", since), parse_day("until", until)
    floor = _number("min_confidence", min_confidence, 0, 1)
    found = browse_events(_repo(request), type=type or None, since=since_d, until=until_d, outlet=outlet or None,
                          min_confidence=floor, near=_near(lat, lon, km), sort=sort, descending=desc,
                          limit=limit, offset=offset)
    form = {"type": type or "", "min_confidence": "" if floor is None else floor, "since": since_d or "",
            "until": until_d or "", "outlet": outlet or "", "lat": (lat or "").strip(), "lon": (lon or "").strip(),
            "km": (km or "").strip()}
    return _page(request, "events.html", query=_query(form), events=[e.to_json() for e in found.rows], outlets=found.outlets,
                 total=found.total, capped=found.capped, form=form, sort=sort, desc=desc, sorts=list(EVENT_SORTS),
                 types=sorted(EVENT_TYPES), outlet_names=_repo(request).story_outlets(), limit=limit, offset=offset)


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    origin_kind: Optional[str] = Query(None, max_length=20),
    named: Optional[str] = Query(None, max_length=5),
    hedged: Optional[str] = Query(None, max_length=5),
    denied: Optional[str] = Query(None, max_length=5),
    outlet: Optional[str] = Query(None, max_length=200),
    sort: str = Query("article", max_length=20),
    desc: bool = Query(False),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Every claim, filtered by who it comes from and how it is worded, sorted and paged."""
    if sort not in CLAIM_SORTS:
        raise BadParameter("sort", f"expected one of {', '.join(CLAIM_SORTS)}; got {sort[:20]!r}")
    kinds = [k.value for k in SourceKind]
    if origin_kind and origin_kind not in kinds:
        raise BadParameter("origin_kind", f"expected one of {', '.join(kinds)}; got {origin_kind[:20]!r}")
    found = browse_claims(_repo(request), origin_kind=origin_kind or None, named=_flag("named", named),
                          hedged=_flag("hedged", hedged), denied=_flag("denied", denied), outlet=outlet, sort=sort,
                          descending=desc, limit=limit, offset=offset)
    form = {"origin_kind": origin_kind or "", "named": named or "", "hedged": hedged or "", "denied": denied or "",
            "outlet": outlet or ""}
    rows = [{**c.to_json(), "origin_kind": origin_kind_of(c)} for c in found.rows]
    return _page(request, "claims.html", query=_query(form), claims=rows, outlets=found.outlets, total=found.total,
                 capped=found.capped, form=form, sort=sort, desc=desc, sorts=list(CLAIM_SORTS), kinds=kinds,
                 outlet_names=_repo(request).story_outlets(), limit=limit, offset=offset)


def install_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)

