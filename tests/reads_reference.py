"""The reads the store now answers in SQL, as the Python filtering before it wrote them
(``web/pages.py`` ``_story_matches``, ``views/queries.py`` ``find_entity`` / ``event_involves``,
``SQLRepository.list_entities`` one ``get_entity`` per row), over the records' public JSON, kept
as the tests' reference; and a small store varied enough to tell them apart (case-folding beyond
ASCII, aliases, spans that touch but do not overlap, events read from two articles, stories
without a start or end).
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sitrep.model import (
    Article,
    Cue,
    DateRange,
    Entity,
    Event,
    Mention,
    OffsetMap,
    Place,
    Story,
    StoryEvent,
    TimeSpan,
)

OUTLETS = ["Press TV", "press tv", "Reuters", "Straße Zeitung", "AL JAZEERA", "Rudaw"]
NAMES = ["Baghdad", "BAGHDAD", "Straße", "STRASSE", "Ain al-Asad", "İzmir", "Σίσυφος", "Erbil", "Kataib Hezbollah",
         "the Pentagon"]
TITLES = ["Rockets hit Baghdad", "STRASSE closed", "Ain al-Asad reinforced", "İzmir port", None, "Σίσυφος again",
          "Strike near Erbil", "Pentagon says", "50% of rockets"]
QUERIES = ["baghdad", "STRASSE", "straße", "İzmir", "i̇zmir", "σίσυφος", "50%", "_", "nothing at all", "e"]


# -- the reference: the Python filtering the SQL reads replaced -----------------------------------

def story_matches(story: dict[str, Any], outlet: str | None, since: str | None, until: str | None,
                  ids: set[str] | None, q: str | None) -> bool:
    if outlet and outlet.casefold() not in {str(o).casefold() for o in story.get("outlets") or []}:
        return False
    if since and story.get("end") and story["end"] < since:
        return False
    if until and story.get("start") and story["start"] > until:
        return False
    if q:
        in_title = q.casefold() in str(story.get("title") or "").casefold()
        if not in_title and not (ids and ids.intersection(story.get("article_ids") or [])):
            return False
    return True


def entity_names(entity: dict[str, Any]) -> set[str]:
    names = {str(entity.get("name") or "")} | {str(a) for a in entity.get("aliases") or []}
    return {n.casefold().strip() for n in names if n and n.strip()}


def event_involves(event: dict[str, Any], names: set[str], mention_spans: dict[str, list[tuple[int, int]]]) -> bool:
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


def list_entities_one_by_one(repo: Any, type: str | None = None, limit: int = 100, offset: int = 0) -> list[Any]:
    sql = "SELECT id FROM entities"
    args: list[Any] = []
    if type:
        sql += " WHERE type=?"
        args.append(type.upper())
    sql += " ORDER BY mention_count DESC, name LIMIT ? OFFSET ?"
    args += [limit, offset]
    return [e for r in repo.execute(sql, args).fetchall() if (e := repo.get_entity(r["id"]))]


def find_entity_by_scan(repo: Any, key: str) -> Any:
    entity = repo.get_entity(key)
    if entity is not None:
        return entity
    folded = key.casefold().strip()
    for candidate in list_entities_one_by_one(repo, limit=100_000):
        if folded in entity_names(candidate.to_json()):
            return candidate
    return None


def events_of_entity_by_scan(repo: Any, entity: Any, **filters: Any) -> list[Any]:
    names = entity_names(entity.to_json())
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in entity.mentions:
        spans.setdefault(m.article_id, []).append((m.start, m.end))
    return [e for e in repo.list_events(limit=100_000, **filters) if event_involves(e.to_json(), names, spans)]


# -- a small store that exercises them -------------------------------------------------------------

def _story_events(repo: Any, members: list[str], rnd: random.Random) -> list[StoryEvent]:
    """Story events over the members' events, placed in a drawn country (or none) and told by a
    drawn number of independent origins: what the story list filters and sorts by."""
    out = []
    for event in repo.events_of_articles(members):
        if rnd.random() < 0.4:
            continue
        if event.place is not None:
            event.place.country = rnd.choice(["IQ", "SY", "iq", None])
        out.append(StoryEvent(event, [event.id], 1, [], rnd.randrange(1, 5)))
    return out


def build_read_store(repo: Any, seed: int = 7, n_articles: int = 24) -> None:
    """Articles whose texts are names at known offsets, their mentions resolved to entities,
    events naming or anchored on them, and stories over them; drawn from ``seed``."""
    rnd = random.Random(seed)
    day0 = date(2020, 1, 1)
    entities: dict[str, Entity] = {}
    for i, name in enumerate(NAMES):
        aliases = rnd.sample(NAMES, 2) + ([" ", name.upper() + " "] if i % 3 == 0 else [])
        entities[f"E{i}"] = Entity(f"E{i}", name, rnd.choice(["PLACE", "ORG"]), aliases=aliases)
    with repo.transaction():
        for n in range(n_articles):
            aid = f"a{n:02d}"
            words = [rnd.choice(NAMES) for _ in range(8)]
            text = " ; ".join(words)
            offsets = OffsetMap()
            offsets.add(0, 0, len(text))
            day = day0 + timedelta(days=rnd.randrange(60))
            article = Article(id=aid, source_path="x.jsonl", text=text, original=text, offsets=offsets,
                              title=rnd.choice(TITLES), outlet=rnd.choice(OUTLETS), content_hash=aid,
                              published=DateRange(day, day) if n % 5 else None,
                              reprint_of=f"a{n - 1:02d}" if n % 7 == 6 else None)
            pos = 0
            for w in words:
                start = text.index(w, pos)
                pos = start + len(w)
                if rnd.random() < 0.7:
                    eid = rnd.choice(list(entities))
                    mention = Mention(aid, start, pos, w, entities[eid].type, eid)
                    article.mentions.append(mention)
                    entities[eid].mentions.append(mention)
            for k in range(rnd.randrange(4)):
                s = rnd.randrange(len(text) - 5)
                t0 = day0 + timedelta(days=rnd.randrange(60))
                place = None
                if rnd.random() < 0.7:
                    ps = rnd.randrange(len(text) - 5)
                    place = Place(rnd.choice(NAMES + ["Mosul"]).lower() if rnd.random() < 0.5 else "Mosul",
                                  30 + rnd.random() * 6, 40 + rnd.random() * 6, "town", start=ps, end=ps + 4,
                                  resolved_name=rnd.choice(NAMES) if rnd.random() < 0.3 else None)
                article.events.append(Event(
                    id=f"{aid}:e{k}", article_id=aid, type=rnd.choice(["attack", "deploy", "protest"]),
                    trigger=Cue("hit", s, s + rnd.randrange(1, 5)),
                    actor=rnd.choice(NAMES + [None, None, " erbil "]), target=rnd.choice(NAMES + [None, None]),
                    equipment=rnd.choice([None, "rockets", "the pentagon"]), place=place,
                    time=TimeSpan(t0, t0 + timedelta(days=rnd.randrange(5)), "day") if rnd.random() < 0.8 else None,
                    # some events are told by two articles: mentions in either anchor them
                    article_ids=[aid, f"a{rnd.randrange(n_articles):02d}"] if rnd.random() < 0.2 else []))
            repo.add_article(article)
            repo.save_derived(article)
            repo.add_minhash(aid, bytes(range(16)) * 4)
        repo.add_minhash("not-stored", bytes(64))
        entities["E10"] = Entity("E10", "Mosul", "PLACE", aliases=["al-Mawsil"])  # named by events, never mentioned
        for i, ent in enumerate(entities.values()):
            ent.mention_count = len(ent.mentions) * 10 + i  # no two alike: the order is total
        repo.save_entities(entities.values())
        ids = [f"a{n:02d}" for n in range(n_articles)]
        rnd.shuffle(ids)
        facets = random.Random(seed + 1)  # its own draws: the stories above stay as they were
        for k in range(8):
            members, ids = ids[:3], ids[3:]
            start = day0 + timedelta(days=rnd.randrange(60)) if k % 4 else None
            end = start + timedelta(days=rnd.randrange(9)) if start and k % 3 else None
            repo.save_story(Story(f"S{k}", rnd.choice([t for t in TITLES if t]), members, start=start, end=end,
                                  outlets=rnd.sample(OUTLETS, rnd.randrange(3)),
                                  events=_story_events(repo, members, facets)))
