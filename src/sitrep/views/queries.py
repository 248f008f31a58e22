"""Read-side assembly over a ``Repository``: the compound views the CLI, the API and the pages share.

The repository answers single-table questions; an analyst asks compound ones ("this story with
the claims and events of all its reports", "events this entity takes part in"). These functions
compose repository reads and never write. Views that a page or the API sends as one document are
returned as their JSON shape (``sitrep.shapes``); the rest are model records.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterator, TypeVar

from ..model import Article, Claim, Entity, Event
from ..shapes import (
    ArticleDetailJSON,
    ArticleSummaryJSON,
    MentionDetailJSON,
    RevisionJSON,
    StoryDetailJSON,
    StorySummaryJSON,
)
from ..store.base import Repository

PAGE = 500

T = TypeVar("T")


def iter_all(fetch: Callable[..., list[T]], **filters: Any) -> Iterator[T]:
    """Every row of a paged repository listing, one page at a time."""
    offset = 0
    while True:
        rows = fetch(limit=PAGE, offset=offset, **filters)
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


def article_summary(article: Article) -> ArticleSummaryJSON:
    """The fields a list needs, without the body."""
    return {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published.to_json() if article.published else None,
        "url": article.url,
        "source_id": article.source_id,
        "source_path": article.source_path,
        "reprint_of": article.reprint_of,
        "format": article.format,
        "revisions": article.revisions,
        "status": article.status,
    }


def revision_history(repo: Repository, article_id: str) -> list[RevisionJSON]:
    """The article's stored versions, first first, each with its fetch time, archived response
    and what it changed from the one before (the texts are in ``repo.revisions_of``)."""
    return [{"number": r["number"], "fetched_at": r["fetched_at"], "content_hash": r["content_hash"],
             "title": r["title"], "warc": r["warc"], "changes": r["data"].get("changes")}
            for r in repo.revisions_of(article_id)]


def mentions_of(repo: Repository, article_id: str) -> list[MentionDetailJSON]:
    article = repo.load_article(article_id, derived=True)
    if article is None:
        return []
    return [
        {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
         "entity_id": m.entity_id}
        for m in article.mentions
    ]


def article_detail(repo: Repository, article_id: str) -> ArticleDetailJSON | None:
    """Article JSON plus its claims, events, mentions and the id of the story it belongs to."""
    article = repo.get_article(article_id)
    if article is None:
        return None
    history = revision_history(repo, article_id)
    return {
        **article.to_json(),
        "claims": [c.to_json() for c in iter_all(repo.list_claims, article_id=article_id)],
        "events": [e.to_json() for e in iter_all(repo.list_events, article_id=article_id)],
        "mentions": mentions_of(repo, article_id),
        "story_id": repo.story_of(article_id),
        "revision_history": history,
        "warc": history[-1]["warc"] if history else None,
        "revised_at": repo.article_revised_at(article_id),
    }


def story_detail(repo: Repository, story_id: str) -> StoryDetailJSON | None:
    """Story JSON plus summaries of its articles and the full claim and event records of them.

    Parsed from the spliced text of ``story_detail_json``: one decode of the whole document costs
    what decoding the records one by one did, without building and re-encoding ten thousand model
    records (the dossier page of a 200-article story); ``story_detail_from_records`` is the same
    document built from the records."""
    text = story_detail_json(repo, story_id)
    return json.loads(text) if text is not None else None


def story_detail_from_records(repo: Repository, story_id: str) -> StoryDetailJSON | None:
    """``story_detail`` assembled from model records (the reference the spliced text must equal)."""
    story = repo.get_story(story_id)
    if story is None:
        return None
    ids = repo.article_ids_of_story(story_id) or list(story.article_ids)
    # One query per kind for the whole story, not three per article: a 200-article story was
    # 600 round trips per request.
    articles = repo.get_articles(ids)
    known = [a.id for a in articles]
    return {
        **story.to_json(),
        "articles": [article_summary(a) for a in articles],
        "article_claims": [c.to_json() for c in repo.claims_of_articles(known)],
        "article_events": [e.to_json() for e in repo.events_of_articles(known)],
    }


def story_detail_json(repo: Repository, story_id: str) -> str | None:
    """``story_detail`` as JSON text, spliced from the stored JSON of the story, its claims and
    its events without parsing them: on a 200-article story, decoding and re-encoding ten
    thousand records took most of a second; splicing takes a few milliseconds."""
    found = repo.stored_json("stories", ids=[story_id])
    if not found:
        return None
    head = found[0].rstrip()
    if not head.startswith("{") or not head.endswith("}"):  # not an object as stored: take the long way
        return json.dumps(story_detail_from_records(repo, story_id), ensure_ascii=False)
    ids = repo.article_ids_of_story(story_id) or list(json.loads(head).get("article_ids") or [])
    articles = repo.get_articles(ids)
    known = [a.id for a in articles]
    body = head[:-1].rstrip()
    return "".join([
        body, "" if body == "{" else ",",
        '"articles":', json.dumps([article_summary(a) for a in articles], ensure_ascii=False),
        ',"article_claims":[', ",".join(repo.stored_json("claims", ids=known)),
        '],"article_events":[', ",".join(repo.stored_json("events", ids=known)), "]}",
    ])


def story_summary(story_json: dict[str, Any]) -> StorySummaryJSON:
    """A story without its event and claim groups, with their counts instead."""
    out: dict[str, Any] = {k: v for k, v in story_json.items() if k not in ("events", "claims")}
    out["event_count"] = len(story_json.get("events") or [])
    out["claim_count"] = len(story_json.get("claims") or [])
    return out  # type: ignore[return-value]


def find_entity(repo: Repository, key: str) -> Entity | None:
    """An entity by id, else by its name or one of its aliases (case-insensitive)."""
    entity = repo.get_entity(key)
    return entity if entity is not None else repo.entity_by_name(key)


def events_of_entity(repo: Repository, entity: Entity, **filters: Any) -> list[Event]:
    """The events the entity takes part in (``Repository.events_of_entity`` says when it does)."""
    return repo.events_of_entity(entity.id, **filters)


def claims_sourced_by(repo: Repository, entity: Entity, limit: int = 200) -> list[Claim]:
    """Claims one of whose sourcing hops (or a hop's affiliation) is the entity by one of its
    names or aliases, case-folded. The store's substring match on the sources narrows the rows;
    the exact comparison here drops "US" inside "sources"."""
    names = {n.casefold().strip() for n in [entity.name, *entity.aliases] if n and n.strip()}
    found: dict[str, Claim] = {}
    for name in sorted(names):
        for claim in repo.list_claims(source=name, limit=limit):
            hops = {h.name.casefold().strip() for h in claim.chain} | {
                h.affiliation.casefold().strip() for h in claim.chain if h.affiliation}
            if hops & names:
                found.setdefault(claim.id, claim)
    return sorted(found.values(), key=lambda c: (c.article_id, c.start))[:limit]


def filter_events(repo: Repository, *, type: str | None = None, since: str | None = None, until: str | None = None,
                  bbox: tuple[float, float, float, float] | None = None, entity: str | None = None,
                  outlet: str | None = None, article_id: str | None = None, limit: int = 100,
                  offset: int = 0, include_undated: bool = False) -> list[Event] | None:
    """Events matching every filter given, one page. None when ``entity`` names no entity.
    Every filter is answered by the store, and paged there."""
    if not entity:
        return repo.list_events(type=type, since=since, until=until, bbox=bbox, article_id=article_id,
                                outlet=outlet, limit=limit, offset=offset, include_undated=include_undated)
    ent = find_entity(repo, entity)
    if ent is None:
        return None
    return events_of_entity(repo, ent, type=type, since=since, until=until, bbox=bbox, article_id=article_id,
                            outlet=outlet, limit=limit, offset=offset, include_undated=include_undated)


def outlets_by_article(repo: Repository, article_ids: set[str]) -> dict[str, str | None]:
    """Outlet of each id (None for an unknown one), read from the outlet column in batches."""
    known = repo.outlets_of(sorted(article_ids))
    return {aid: known.get(aid) for aid in article_ids}
