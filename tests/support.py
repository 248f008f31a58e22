"""Helpers several test modules share (plain functions; fixtures live in ``conftest.py``)."""
from __future__ import annotations

from sitrep.entities import EntityResolver
from sitrep.model import Mention


def resolve_names(resolver: EntityResolver, doc_id: str, *names_types: tuple[str, str]) -> list[Mention]:
    """Feed the resolver one pseudo-document: the names joined by " ; ", each a typed mention."""
    text = " ; ".join(n for n, _ in names_types)
    mentions, pos = [], 0
    for name, kind in names_types:
        start = text.index(name, pos)
        mentions.append(Mention(doc_id, start, start + len(name), name, kind))
        pos = start + len(name)
    return resolver.add(mentions, text)


def repository_snapshot(repo, story_members: bool = False) -> dict:
    """Everything a run stored, in a comparable form: two runs that should agree compare equal."""
    snap = {
        "articles": sorted((a.id, a.title, a.reprint_of) for a in repo.list_articles(limit=10_000)),
        "claims": sorted(repr(c) for c in repo.list_claims(limit=100_000)),
        "events": sorted(repr(e) for e in repo.list_events(limit=100_000)),
        "entities": sorted(repr(e) for e in repo.list_entities(limit=100_000)),
        "stories": sorted(repr(s) for s in repo.list_stories(limit=10_000)),
    }
    if story_members:
        snap["story_articles"] = sorted((s.id, tuple(repo.article_ids_of_story(s.id)))
                                        for s in repo.list_stories(limit=10_000))
    return snap
