"""A store for the paged dossier, the claim table, the map's labels and the story ranking: the
seed-like store plus

* ``story-big``: three reports with 130 attributed claims (people, officials, anonymous
  sources; some corroborated by several independent origins), 45 statements in the outlets' own
  voice, and 110 story events over six places a little apart, each with a long name (their labels
  collide at the dossier's zoom); its text is hostile, as every report's may be;
* ``story-battle`` (a battle told by two independent origins, high confidence, in 2019),
  ``story-clash`` (a battle from one origin, 2020) and ``story-quiet`` (no violence, latest).
"""
from __future__ import annotations

from datetime import date

from seedlike import IMG, SCRIPT, _article, build_seedlike_db

from sitrep.model import Claim, ClaimGroup, Cue, Event, Place, SourceHop, Story, StoryEvent, TimeSpan

ATTRIBUTED, NARRATED, EVENTS = 130, 45, 110
# six places a few dozen kilometres apart along a line, with names long enough to collide
PLACES = [(f"Long place name number {i} of the valley {IMG}", 34.0 + 0.35 * i, 41.0 + 0.9 * i) for i in range(6)]
KINDS = ["person", "official", "anonymous", "organization"]


def _body(n: int) -> str:
    return " ".join(f"Statement {i:03d} {SCRIPT}." for i in range(n))


def build_bigstory_db(path):
    repo = build_seedlike_db(path)
    add_bigstory(repo)
    return repo


def add_bigstory(repo) -> None:
    """The big story and the ranked ones, in any store (SQLite or PostgreSQL)."""
    bodies = {"big-a": _body(90), "big-b": _body(90), "big-c": _body(60)}
    articles = {aid: _article(aid, outlet, f"Report {aid} {SCRIPT}", "", body, "", None, None, None)
                for (aid, body), outlet in zip(bodies.items(), ["Outlet A", f"Outlet B {IMG}", "Outlet C"])}
    groups, story_events = [], []
    spans: dict[str, int] = {aid: 0 for aid in articles}

    def claim(cid: str, aid: str, chain: list[SourceHop]) -> Claim:
        i = spans[aid]
        spans[aid] += 1
        start = articles[aid].text.index(f"Statement {i:03d}")
        c = Claim(cid, aid, articles[aid].text[start:start + 14], start, start + 14, chain,
                  origin_named=chain[-1].kind in ("person", "official"))
        articles[aid].claims.append(c)
        return c

    for i in range(ATTRIBUTED):
        aid = ["big-a", "big-b", "big-c"][i % 3]
        kind = KINDS[i % 4]
        c = claim(f"ca{i:03d}", aid, [SourceHop(articles[aid].outlet or "", "outlet"),
                                      SourceHop(f"Speaker {i} {SCRIPT}", kind, 0, 3)])
        origins = 3 if i % 10 == 0 else 1  # every tenth corroborated by three independent origins
        groups.append(ClaimGroup(f"ga{i:03d}", [c.id], f"attributed claim {i:03d} {SCRIPT}", origins,
                                 [articles[aid].outlet or ""], origins, [f"Speaker {i}"], kind in ("person", "official")))
    for i in range(NARRATED):
        aid = "big-a" if i < 30 else "big-b"  # two articles narrate: two collapsed rows
        c = claim(f"cn{i:03d}", aid, [SourceHop(articles[aid].outlet or "", "outlet")])
        groups.append(ClaimGroup(f"gn{i:03d}", [c.id], f"narrated statement {i:03d} {SCRIPT}", 1,
                                 [articles[aid].outlet or ""], 1, [], False))
    for i in range(EVENTS):
        name, lat, lon = PLACES[i % len(PLACES)]
        aid = ["big-a", "big-b", "big-c"][i % 3]
        e = Event(f"ev{i:03d}", aid, "attack", Cue("Statement", 0, 9), actor=f"Actor {i}",
                  place=Place(name, lat, lon, "town"),
                  time=TimeSpan(date(2021, 1, 1 + i % 28), date(2021, 1, 1 + i % 28), "day"),
                  acled_event_type="Battles", acled_sub_event_type="Armed clash", confidence=0.9)
        articles[aid].events.append(e)
        story_events.append(StoryEvent(e, [e.id], 1, [articles[aid].outlet or ""], 1))
    with repo.transaction():
        for a in articles.values():
            repo.add_article(a)
            repo.save_derived(a)
        repo.save_story(Story("story-big", f"Big story {SCRIPT}", list(articles), start=date(2021, 1, 1),
                              end=date(2021, 1, 28), outlets=[a.outlet or "" for a in articles.values()],
                              events=story_events, claims=groups))
        repo.save_story(_ranked("story-battle", "A battle told twice", date(2019, 6, 1), "Battles", 0.8, 2))
        repo.save_story(_ranked("story-clash", "A clash told once", date(2020, 6, 1), "Battles", 0.8, 1))
        repo.save_story(_ranked("story-quiet", "A quiet meeting", date(2022, 6, 1), None, 0.9, 3))
        repo.save_story(_ranked("story-unsure", "A doubtful battle", date(2022, 5, 1), "Battles", 0.3, 4))


def _ranked(sid: str, title: str, day: date, acled: str | None, confidence: float, origins: int) -> Story:
    e = Event(f"{sid}-e", "", "attack" if acled else "consult", Cue("x", 0, 1), acled_event_type=acled,
              confidence=confidence, time=TimeSpan(day, day, "day"))
    return Story(sid, title, [], start=day, end=day, outlets=["X"], events=[StoryEvent(e, [e.id], origins, ["X"], origins)])
