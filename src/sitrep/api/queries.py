"""Read-side assembly over a ``Repository``: the compound views the API and the pages share.

The repository answers single-table questions; an analyst asks compound ones ("this story with
the claims and events of all its reports", "events this entity takes part in"). These functions
compose repository reads and never write.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterator

from ..store.base import Repository

PAGE = 500


def iter_all(fetch: Callable[..., list[dict[str, Any]]], **filters: Any) -> Iterator[dict[str, Any]]:
    """Every row of a paged repository listing, one page at a time."""
    offset = 0
    while True:
        rows = fetch(limit=PAGE, offset=offset, **filters)
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


def article_summary(article: dict[str, Any]) -> dict[str, Any]:
    """The fields a list needs, without the body."""
    return {
        k: article.get(k)
        for k in ("id", "outlet", "title", "published", "url", "source_id", "source_path", "reprint_of", "format")
    }


def full_record(repo: Repository, article_id: str) -> dict[str, Any] | None:
    """The stored record with ``original``/``offsets``/caption spans when the backend keeps them."""
    getter = getattr(repo, "get_article_record", None)
    return getter(article_id) if getter else repo.get_article(article_id)


def mentions_of(repo: Repository, article_id: str) -> list[dict[str, Any]]:
    article = repo.load_article(article_id, derived=True)
    if article is None:
        return []
    return [
        {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
         "entity_id": m.entity_id}
        for m in article.mentions
    ]


def article_detail(repo: Repository, article_id: str) -> dict[str, Any] | None:
    """Article JSON plus its claims, events, mentions and the id of the story it belongs to."""
    article = repo.get_article(article_id)
    if article is None:
        return None
    article = dict(article)
    article["claims"] = list(iter_all(repo.list_claims, article_id=article_id))
    article["events"] = list(iter_all(repo.list_events, article_id=article_id))
    article["mentions"] = mentions_of(repo, article_id)
    article["story_id"] = repo.story_of(article_id)
    return article


def story_detail(repo: Repository, story_id: str) -> dict[str, Any] | None:
    """Story JSON plus summaries of its articles and the full claim and event records of them."""
    story = repo.get_story(story_id)
    if story is None:
        return None
    story = dict(story)
    ids = repo.article_ids_of_story(story_id) or list(story.get("article_ids") or [])
    # One query per kind for the whole story, not three per article: a 200-article story was
    # 600 round trips per request.
    articles = repo.get_articles(ids)
    known = [a["id"] for a in articles]
    story["articles"] = [article_summary(a) for a in articles]
    story["article_claims"] = repo.claims_of_articles(known)
    story["article_events"] = repo.events_of_articles(known)
    return story


def story_detail_json(repo: Repository, story_id: str) -> str | None:
    """``story_detail`` as JSON text, spliced from the stored JSON of the story, its claims and
    its events without parsing them: on a 200-article story, decoding and re-encoding ten
    thousand records took most of a second; splicing takes a few milliseconds."""
    text = repo.get_story_json(story_id)
    if text is None:
        return None
    head = text.rstrip()
    if not head.startswith("{") or not head.endswith("}"):  # not an object as stored: take the long way
        return json.dumps(story_detail(repo, story_id), ensure_ascii=False)
    ids = repo.article_ids_of_story(story_id) or list(json.loads(text).get("article_ids") or [])
    articles = repo.get_articles(ids)
    known = [a["id"] for a in articles]
    body = head[:-1].rstrip()
    return "".join([
        body, "" if body == "{" else ",",
        '"articles":', json.dumps([article_summary(a) for a in articles], ensure_ascii=False),
        ',"article_claims":[', ",".join(repo.claims_of_articles_json(known)),
        '],"article_events":[', ",".join(repo.events_of_articles_json(known)), "]}",
    ])


def entity_names(entity: dict[str, Any]) -> set[str]:
    """Every surface form of an entity, folded for comparison."""
    names = {str(entity.get("name") or "")} | {str(a) for a in entity.get("aliases") or []}
    return {n.casefold().strip() for n in names if n and n.strip()}


def event_involves(event: dict[str, Any], names: set[str], mention_spans: dict[str, list[tuple[int, int]]]) -> bool:
    """An event involves an entity when its actor, target, equipment or place is one of the
    entity's names, or when one of the entity's mentions sits inside the event's place or trigger."""
    place = event.get("place") or {}
    for value in (event.get("actor"), event.get("target"), event.get("equipment"), place.get("name"),
                  place.get("resolved_name")):
        if value and str(value).casefold().strip() in names:
            return True
    spans = []
    for aid in event.get("article_ids") or [event.get("article_id")]:
        spans.extend(mention_spans.get(aid or "", []))
    anchors = [(place.get("start"), place.get("end")), ((event.get("trigger") or {}).get("start"),
                                                        (event.get("trigger") or {}).get("end"))]
    for s, e in anchors:
        if s is None or e is None:
            continue
        if any(ms < e and s < me for ms, me in spans):
            return True
    return False


def find_entity(repo: Repository, key: str) -> dict[str, Any] | None:
    """An entity by id, else by its name or one of its aliases (case-insensitive)."""
    entity = repo.get_entity(key)
    if entity is not None:
        return entity
    folded = key.casefold().strip()
    for candidate in iter_all(repo.list_entities):
        if folded in entity_names(candidate):
            return candidate
    return None


def events_of_entity(repo: Repository, entity: dict[str, Any], **filters: Any) -> list[dict[str, Any]]:
    names = entity_names(entity)
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in entity.get("mentions") or []:
        spans.setdefault(m["article_id"], []).append((m["start"], m["end"]))
    return [e for e in iter_all(repo.list_events, **filters) if event_involves(e, names, spans)]


def filter_events(repo: Repository, *, type: str | None = None, since: str | None = None, until: str | None = None,
                  bbox: tuple[float, float, float, float] | None = None, entity: str | None = None,
                  outlet: str | None = None, article_id: str | None = None, limit: int = 100,
                  offset: int = 0) -> list[dict[str, Any]] | None:
    """Events matching every filter given, one page. None when ``entity`` names no entity.

    Type, time window, box, article and outlet are answered by the store (and paged there);
    an entity needs a second look at each event, so with it the page is cut after filtering."""
    base: dict[str, Any] = dict(type=type, since=since, until=until, bbox=bbox, article_id=article_id, outlet=outlet)
    if not entity:
        return repo.list_events(limit=limit, offset=offset, **base)
    ent = find_entity(repo, entity)
    if ent is None:
        return None
    return events_of_entity(repo, ent, **base)[offset : offset + limit]


def outlets_by_article(repo: Repository, article_ids: set[str]) -> dict[str, str | None]:
    """Outlet of each id (None for an unknown one), read from the outlet column in batches."""
    known = repo.outlets_of(sorted(article_ids))
    return {aid: known.get(aid) for aid in article_ids}
