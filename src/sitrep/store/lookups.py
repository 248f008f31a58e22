"""The lookup rows that let reads filter in SQL instead of parsing every stored record.

Names are compared case-folded, and SQL's ``lower()`` is not Python's ``casefold()`` (ASCII only in
SQLite; "ß", "ς" and others differ in PostgreSQL), so the folded forms are computed here, in
Python, when a record is written (and once for a store written before these tables existed, by
``backfill``), and a read folds its parameter the same way:

- ``entity_names``: an entity's name and aliases, folded, so a lookup by name is one index probe;
- ``event_names``: an event's actor, target, equipment and place names, folded, and
  ``event_anchors``: the character spans of its place and trigger in each of its articles, so
  "events this entity takes part in" is a join with the entity's mentions;
- ``story_outlets`` and ``stories.title_folded``: what the story list filters on, and
  ``stories.listing``: what it shows of each story (its JSON without the event and claim groups,
  which are most of a big story's bytes and all of the cost of reading it back);
- ``story_facets`` and ``stories.corroboration``: the event types and countries of a story's
  events, and the most independent origins any of its events or claim groups has, so the story
  list filters by type and country and sorts by corroboration without reading the groups.
"""
from __future__ import annotations

import json
from typing import Any


def fold(text: Any) -> str:
    """A name as names are compared: case-folded, surrounding space dropped."""
    return str(text).casefold().strip()


def entity_name_rows(entity: dict[str, Any]) -> list[tuple[str, str]]:
    """``(entity_id, folded)`` for the entity's name and each alias, empty ones left out."""
    names = [entity.get("name")] + list(entity.get("aliases") or [])
    folded = {fold(n) for n in names if n and str(n).strip()}
    return [(entity["id"], f) for f in sorted(folded)]


def event_name_rows(event: dict[str, Any]) -> list[tuple[str, str]]:
    """``(event_id, folded)`` for each participant or place name of the event JSON."""
    place = event.get("place") or {}
    values = (event.get("actor"), event.get("target"), event.get("equipment"), place.get("name"),
              place.get("resolved_name"))
    folded = {fold(v) for v in values if v}
    return [(event["id"], f) for f in sorted(folded)]


def event_anchor_rows(event: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """``(event_id, article_id, start, end)`` for the place and trigger spans of the event JSON,
    once per article it was read from: a mention of an entity inside one of them involves it."""
    place = event.get("place") or {}
    trigger = event.get("trigger") or {}
    spans = {(s, e) for s, e in ((place.get("start"), place.get("end")), (trigger.get("start"), trigger.get("end")))
             if s is not None and e is not None}
    articles = [a for a in dict.fromkeys(event.get("article_ids") or [event.get("article_id")]) if a]
    return [(event["id"], a, s, e) for a in articles for s, e in sorted(spans)]


def fold_title(title: Any) -> str:
    """A story title as the story list's text filter compares it (case-folded, not stripped)."""
    return str(title or "").casefold()


LISTING_FIELDS = ("id", "title", "article_ids", "start", "end", "key_entities", "outlets", "related")


def story_listing(story: dict[str, Any]) -> str:
    """The story list's row of a story JSON, as JSON text."""
    return json.dumps({k: story.get(k) for k in LISTING_FIELDS}, ensure_ascii=False)


def story_outlet_rows(story: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(story_id, outlet, folded outlet)`` for each outlet of the story JSON."""
    outlets = dict.fromkeys(str(o) for o in story.get("outlets") or [])
    return [(story["id"], o, o.casefold()) for o in outlets]


def story_facet_rows(story: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(story_id, kind, value)``: kind "type" for each event type of the story JSON's events,
    "country" for each ISO country code of their places."""
    facets: set[tuple[str, str]] = set()
    for event in story.get("events") or []:
        if event.get("type"):
            facets.add(("type", str(event["type"])))
        country = (event.get("place") or {}).get("country")
        if country:
            facets.add(("country", str(country).upper()))
    return [(story["id"], kind, value) for kind, value in sorted(facets)]


def story_corroboration(story: dict[str, Any]) -> int:
    """The most independent origins any event or claim group of the story JSON has (0: none)."""
    counts = [int(g.get("independent_origins") or 0) for g in (story.get("events") or []) + (story.get("claims") or [])]
    return max(counts, default=0)


def backfill_story_facets(repo: Any) -> None:
    """Fill ``story_facets`` and ``stories.corroboration`` from the stories already stored."""
    facets, columns = [], []
    for r in repo.execute("SELECT id, data FROM stories").fetchall():
        story = json.loads(r["data"])
        facets += story_facet_rows(story)
        columns.append((story_corroboration(story), r["id"]))
    repo.execute_many("INSERT INTO story_facets(story_id, kind, value) VALUES (?,?,?) ON CONFLICT DO NOTHING", facets)
    repo.execute_many("UPDATE stories SET corroboration=? WHERE id=?", columns)


def backfill(repo: Any) -> None:
    """Fill the lookup tables from the records a store already holds (the migration that
    created them runs this once, in its transaction)."""
    names, anchors = [], []
    for r in repo.execute("SELECT data FROM events").fetchall():
        event = json.loads(r["data"])
        names += event_name_rows(event)
        anchors += event_anchor_rows(event)
    repo.execute_many("INSERT INTO event_names(event_id, folded) VALUES (?, ?) ON CONFLICT DO NOTHING", names)
    repo.execute_many("INSERT INTO event_anchors(event_id, article_id, span_start, span_end) VALUES (?,?,?,?)", anchors)
    rows = []
    for r in repo.execute("SELECT data FROM entities").fetchall():
        rows += entity_name_rows(json.loads(r["data"]))
    repo.execute_many("INSERT INTO entity_names(entity_id, folded) VALUES (?, ?) ON CONFLICT DO NOTHING", rows)
    outlets, columns = [], []
    for r in repo.execute("SELECT id, title, data FROM stories").fetchall():
        story = json.loads(r["data"])
        outlets += story_outlet_rows(story)
        columns.append((fold_title(r["title"]), story_listing(story), r["id"]))
    repo.execute_many("INSERT INTO story_outlets(story_id, outlet, folded) VALUES (?,?,?) ON CONFLICT DO NOTHING", outlets)
    repo.execute_many("UPDATE stories SET title_folded=?, listing=? WHERE id=?", columns)
