"""The SQLite store: migrations, idempotent writes, FTS search, derived records, snapshots."""
from __future__ import annotations

import json
from datetime import date

import pytest

from sitrep.model import (
    Article, Claim, Cue, DateRange, Entity, Event, IngestError, Mention, OffsetMap, Place, SourceHop, Story, TimeSpan,
)
from sitrep.store import open_repository
from sitrep.store.sqlite import SQLiteRepository, _fts_query


def make_article(aid: str = "a1", text: str = "Rockets hit the base near Baghdad on Sunday.", **kw) -> Article:
    offsets = OffsetMap()
    offsets.add(0, 10, len(text))
    return Article(id=aid, source_path="x.txt", text=text, original="HEADLINE\n\n" + text, offsets=offsets,
                   title=kw.pop("title", "Rockets hit base"), outlet=kw.pop("outlet", "Press TV"),
                   content_hash=aid + "hash", published=DateRange(date(2020, 3, 29), date(2020, 4, 6), inferred=True),
                   **kw)


@pytest.fixture
def repo(any_repo):
    return any_repo  # every test here runs on SQLite and on PostgreSQL


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "m.sqlite"
    r1 = SQLiteRepository(path)
    v = r1.schema_version()
    r1.close()
    r2 = SQLiteRepository(path)  # re-opening applies nothing twice
    assert r2.schema_version() == v >= 2
    assert r2.integrity_check() == "ok"
    assert r2.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgres_migrations_apply_once(any_repo):
    if isinstance(any_repo, SQLiteRepository):
        pytest.skip("PostgreSQL only")
    from sitrep.store.postgres import PostgresRepository

    again = PostgresRepository(any_repo.url)
    assert again.schema_version() == any_repo.schema_version() >= 2
    again.close()


def test_add_article_is_idempotent_and_round_trips(repo):
    a = make_article()
    with repo.transaction():
        assert repo.add_article(a) is True
        assert repo.add_article(a) is False
    assert repo.count_articles() == 1
    got = repo.get_article("a1").to_json()
    assert got["outlet"] == "Press TV" and got["title"] == "Rockets hit base"
    assert got["published"] == {"start": "2020-03-29", "end": "2020-04-06", "inferred": True,
                                "precision": "day", "basis": None}
    assert "original" not in got  # private fields stay out of the public shape
    assert repo.get_article("a1") == repo.load_article("a1", derived=False)
    back = repo.load_article("a1")
    assert back.original == a.original and back.offsets.to_original(0) == 10


def test_transaction_rolls_back_on_error(repo):
    with pytest.raises(RuntimeError):
        with repo.transaction():
            repo.add_article(make_article("a2"))
            raise RuntimeError("boom")
    assert repo.count_articles() == 0


def test_sources_and_errors(repo):
    with repo.transaction():
        repo.mark_source("f.jsonl", "line:3", "a1", "stored")
        e = IngestError("f.jsonl", "JSON does not parse", record_key="line:4", line=4, kind="parse")
        repo.record_error(e)
        repo.record_error(e)  # the same error twice is stored once: re-runs stay idempotent
    assert repo.has_source("f.jsonl", "line:3") and not repo.has_source("f.jsonl", "line:4")
    errs = repo.list_errors()
    assert len(errs) == 1 and errs[0].line == 4 and errs[0].kind == "parse" and errs[0].run_id is None


def test_search_quotes_user_input(repo):
    with repo.transaction():
        repo.add_article(make_article())
    assert [r.id for r in repo.search("baghdad")] == ["a1"]
    # FTS5 syntax in user input is neutralised, not an error
    for hostile in ['"', "AND OR NOT", "title:*", "'; DROP TABLE articles; --", "near(", ""]:
        repo.search(hostile)
    assert _fts_query('a "b" c*') == '"a" "b" "c*"'


def test_derived_records_and_filters(repo):
    a = make_article()
    a.mentions = [Mention("a1", 26, 33, "Baghdad", "PLACE")]
    a.claims = [Claim(id="a1:c0", article_id="a1", text=a.text, start=0, end=len(a.text),
                      chain=[SourceHop("Press TV", "outlet"), SourceHop("a security source", "anonymous", 0, 5)],
                      cue=Cue("said", 0, 4), origin_named=False, hedged=True)]
    a.events = [Event(id="a1:e0", article_id="a1", type="attack", trigger=Cue("hit", 8, 11),
                      place=Place("Baghdad", 33.34, 44.40, "town"),
                      time=TimeSpan(date(2020, 3, 29), date(2020, 3, 29), "day"), claim_ids=["a1:c0"])]
    with repo.transaction():
        repo.add_article(a)
        repo.save_derived(a)
        repo.save_derived(a)  # replacing derived records does not duplicate them
        repo.save_entities([Entity("E1", "Baghdad", "PLACE", aliases=["Baghdad"], mentions=a.mentions)])
        repo.save_story(Story("S1", "Rockets", ["a1"]))
    assert repo.list_claims(source="security source") == a.claims  # read back as the records stored
    assert repo.list_claims(source="reuters") == []
    assert repo.list_claims(named=False)[0].hedged is True
    assert len(repo.list_events(type="attack", since="2020-03-01", until="2020-04-30")) == 1
    assert repo.list_events(since="2020-04-01") == []
    assert len(repo.list_events(bbox=(33, 44, 34, 45))) == 1 and repo.list_events(bbox=(0, 0, 1, 1)) == []
    assert repo.list_events(article_id="a1") == [Event(**{**a.events[0].__dict__, "article_ids": ["a1"]})]
    ent = repo.get_entity("E1")
    assert ent.count == 1 and ent.mentions[0].text == "Baghdad" and ent.mentions[0].entity_id == "E1"
    assert repo.story_of("a1") == "S1" and repo.article_ids_of_story("S1") == ["a1"]
    loaded = repo.load_article("a1")
    assert loaded.claims[0].chain[1].name == "a security source"
    assert loaded.events[0].place.name == "Baghdad" and loaded.events[0].time.precision == "day"
    assert repo.get_story("S1") == Story("S1", "Rockets", ["a1"]) and repo.get_story("nope") is None
    # the fast path hands out the same records as JSON text, unparsed
    assert [json.loads(t) for t in repo.stored_json("stories", ids=["S1", "nope"])] == [repo.get_story("S1").to_json()]
    assert [json.loads(t) for t in repo.stored_json("claims", ids=["a1"])] == [c.to_json() for c in a.claims]
    assert [json.loads(t)["id"] for t in repo.stored_json("events", ids=["a1"])] == ["a1:e0"]
    assert [json.loads(t)["id"] for t in repo.stored_json("stories")] == ["S1"]


def test_state_round_trip(repo):
    with repo.transaction():
        repo.save_state("x", {"a": [1, 2]})
    assert repo.load_state("x") == {"a": [1, 2]} and repo.load_state("missing") is None


def test_unreachable_postgres_gives_clear_error():
    import psycopg

    with pytest.raises(psycopg.OperationalError):
        open_repository("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2")
