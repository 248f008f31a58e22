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
    assert _fts_query('a "b" c*') == '"a" AND "b" AND "c*"'


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


# -- reads answered in SQL agree with the Python filtering they replaced --------------------------

@pytest.fixture
def read_repo(any_repo):
    from reads_reference import build_read_store

    build_read_store(any_repo)
    return any_repo


def test_story_filters_in_sql_match_python_filtering(read_repo):
    from reads_reference import OUTLETS, QUERIES, story_matches

    from sitrep.store.lookups import LISTING_FIELDS

    every = [s.to_json() for s in read_repo.list_stories(limit=10_000)]
    assert len(every) == 8
    assert read_repo.story_outlets() == sorted({str(o) for s in every for o in s.get("outlets") or []})
    members = [aid for s in every for aid in s["article_ids"]]
    cases = [dict()] + [dict(outlet=o) for o in OUTLETS + ["PRESS TV", "strasse zeitung", "nobody"]]
    cases += [dict(since="2020-01-20"), dict(until="2020-01-20"), dict(since="2020-01-10", until="2020-02-10")]
    cases += [dict(text=q) for q in QUERIES] + [dict(text=q, article_ids=members[::4]) for q in QUERIES[-3:]]
    cases += [dict(text="nothing at all", article_ids=members[:5], outlet="reuters", since="2020-01-15")]
    seen = set()
    for case in cases:
        hits = set(case.get("article_ids") or [])
        want = [s for s in every if story_matches(s, case.get("outlet"), case.get("since"), case.get("until"),
                                                  hits, case.get("text"))]
        seen.add(len(want))
        assert read_repo.count_stories(**case) == len(want), case
        assert [s.to_json() for s in read_repo.find_stories(limit=10_000, **case)] == want, case
        assert [s.to_json() for s in read_repo.find_stories(limit=2, offset=1, **case)] == want[1:3], case
        assert [s.to_json() for s in read_repo.find_stories(limit=10_000, listing=True, **case)] == [
            {**{k: s[k] for k in LISTING_FIELDS}, "events": [], "claims": []} for s in want], case
    assert 0 in seen and 8 in seen and len(seen) > 3  # the cases select none, all and several in between


def test_story_facets_and_orders_in_sql_match_python(read_repo):
    every = [s.to_json() for s in read_repo.list_stories(limit=10_000)]

    def facets(story, kind):
        events = story.get("events") or []
        if kind == "type":
            return {e["type"] for e in events}
        return {((e.get("place") or {}).get("country") or "").upper() for e in events} - {""}

    def corroboration(story):
        return max([g.get("independent_origins") or 0 for g in (story.get("events") or []) + (story.get("claims") or [])],
                   default=0)

    types, countries = read_repo.story_facets("type"), read_repo.story_facets("country")
    assert types == sorted(set().union(*(facets(s, "type") for s in every))) and types
    assert countries == sorted(set().union(*(facets(s, "country") for s in every)))
    sizes = set()
    for kind, values in (("event_type", types), ("country", countries + ["zz"])):
        for value in values:
            want = [s["id"] for s in every if value.upper() in {v.upper() for v in facets(s, kind.replace("event_", ""))}]
            sizes.add(len(want))
            got = [s.id for s in read_repo.find_stories(limit=10_000, **{kind: value})]
            assert sorted(got) == sorted(want) and read_repo.count_stories(**{kind: value}) == len(want), (kind, value)
    assert 0 in sizes and len(sizes) > 1
    assert [s.id for s in read_repo.find_stories(limit=10_000, sort="size")] == [s["id"] for s in every]
    by_corroboration = sorted(every, key=lambda s: (-corroboration(s), -len(s["article_ids"]), s["id"]))
    assert [s.id for s in read_repo.find_stories(limit=10_000, sort="corroboration")] == [s["id"] for s in by_corroboration]
    assert len({corroboration(s) for s in every}) > 2
    recent = [s.to_json().get("end") or "" for s in read_repo.find_stories(limit=10_000, sort="recent")]
    assert recent == sorted(recent, reverse=True)
    with pytest.raises(ValueError):
        read_repo.find_stories(sort="id; DROP TABLE stories")


def test_entities_with_mentions_in_two_queries_match_one_by_one(read_repo):
    from reads_reference import list_entities_one_by_one

    every = read_repo.list_entities(limit=10_000)
    assert len(every) == 11 and any(e.mentions for e in every) and any(not e.mentions for e in every)
    assert every == list_entities_one_by_one(read_repo, limit=10_000)
    for type in (None, "place", "ORG"):
        for limit, offset in ((3, 0), (3, 4), (100, 9)):
            assert (read_repo.list_entities(type=type, limit=limit, offset=offset)
                    == list_entities_one_by_one(read_repo, type=type, limit=limit, offset=offset))


def test_entity_name_search_matches_a_scan_of_names_and_aliases(read_repo):
    every = read_repo.list_entities(limit=10_000)
    seen = set()
    for needle in ("a", "ERB", "strasse", "%", "_", "zzz-none", " mosul "):
        folded = needle.casefold().strip()
        want = [e for e in every if any(folded in n.casefold() for n in [e.name, *e.aliases])]
        seen.add(len(want))
        assert read_repo.list_entities(name=needle, limit=10_000) == want, needle
        assert read_repo.list_entities(name=needle, type="place", limit=10_000) == [
            e for e in want if e.type == "PLACE"], needle
    assert 0 in seen and len(seen) > 2


def test_entity_by_name_matches_the_scan(read_repo):
    from reads_reference import NAMES, find_entity_by_scan

    from sitrep.views.queries import find_entity

    keys = NAMES + [n.upper() for n in NAMES] + [n.casefold() for n in NAMES] + ["  erbil ", "strasse", "ERBİL", "",
                                                                                  " ", "Mosul", "E3", "e3"]
    found = 0
    for key in keys:
        want = find_entity_by_scan(read_repo, key)
        assert find_entity(read_repo, key) == want, key
        found += want is not None
    assert found > len(NAMES)  # aliases and case variants find entities too


def test_events_of_entity_in_sql_match_python_filtering(read_repo):
    from reads_reference import events_of_entity_by_scan

    from sitrep.views.queries import filter_events

    filters = [dict(), dict(type="attack"), dict(since="2020-01-20", until="2020-02-20"), dict(outlet="reuters"),
               dict(bbox=(30, 40, 33, 43)), dict(article_id="a03")]
    counts = []
    for entity in read_repo.list_entities(limit=100):
        for f in filters:
            want = events_of_entity_by_scan(read_repo, entity, **f)
            counts.append(len(want))
            assert read_repo.events_of_entity(entity.id, **f) == want, (entity.id, f)
            assert read_repo.events_of_entity(entity.id, limit=2, offset=1, **f) == want[1:3]
            assert filter_events(read_repo, entity=entity.name, limit=3, offset=2, **f) == \
                events_of_entity_by_scan(read_repo, read_repo.entity_by_name(entity.name), **f)[2:5]
    assert max(counts) > 5 and 0 in counts


def test_mention_inside_place_or_trigger_involves_the_entity_only_when_spans_overlap(repo):
    a = make_article(text="Rockets hit the base near Baghdad on Sunday.")
    a.mentions = [Mention("a1", 26, 33, "Baghdad", "PLACE", "E1"), Mention("a1", 0, 7, "Rockets", "ORG", "E2")]
    a.events = [Event(id="a1:e0", article_id="a1", type="attack", trigger=Cue("hit", 8, 11),
                      place=Place("the base", None, None, "site", start=12, end=26)),  # touches Baghdad, no overlap
                Event(id="a1:e1", article_id="a1", type="attack", trigger=Cue("Rockets hit", 0, 11))]
    with repo.transaction():
        repo.add_article(a)
        repo.save_derived(a)
        repo.save_entities([Entity("E1", "Bagdad", "PLACE", mentions=a.mentions[:1]),
                            Entity("E2", "Katyusha", "ORG", mentions=a.mentions[1:])])
    assert repo.events_of_entity("E1") == []
    assert [e.id for e in repo.events_of_entity("E2")] == ["a1:e1"]
    a.events[0].place.end = 27  # now it overlaps the mention of Baghdad
    with repo.transaction():
        repo.save_derived(a)  # re-derived: the lookup rows follow the new records
    assert [e.id for e in repo.events_of_entity("E1")] == ["a1:e0"]
    assert repo.count("events") == 2


def test_reprint_index_entries_come_with_publication_day_and_reprint_link(read_repo):
    entries = list(read_repo.iter_minhashes())
    assert len(entries) == 25
    for aid, sig, published, reprint_of in entries:
        rec = read_repo.get_article(aid)
        pub = rec.published if rec else None
        assert (published, reprint_of) == (pub.start.isoformat() if pub else None, rec.reprint_of if rec else None)
        assert isinstance(sig, bytes) and len(sig) == 64
    assert any(e[2] is None for e in entries) and any(e[3] for e in entries)


_LOOKUPS = {
    "entity_names": "SELECT entity_id, folded FROM entity_names ORDER BY 1, 2",
    "event_names": "SELECT event_id, folded FROM event_names ORDER BY 1, 2",
    "event_anchors": "SELECT event_id, article_id, span_start, span_end FROM event_anchors ORDER BY 1, 2, 3, 4",
    "story_outlets": "SELECT story_id, outlet, folded FROM story_outlets ORDER BY 1, 2",
    "stories": "SELECT id, title_folded, listing FROM stories ORDER BY id",
}


def _lookups(repo) -> dict:
    return {name: [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in repo.execute(sql).fetchall()]
            for name, sql in _LOOKUPS.items()}


def test_backfill_fills_the_lookups_as_the_writes_do(read_repo):
    from sitrep.store.lookups import backfill

    written = _lookups(read_repo)
    assert all(written.values())
    with read_repo.transaction():
        for table in ("entity_names", "event_names", "event_anchors", "story_outlets"):
            read_repo.execute(f"DELETE FROM {table}")
        read_repo.execute("UPDATE stories SET title_folded = '', listing = NULL")
        backfill(read_repo)
    assert _lookups(read_repo) == written


def test_a_store_from_before_the_lookups_is_migrated_and_reads_alike(tmp_path):
    import sqlite3

    from reads_reference import build_read_store

    from sitrep.store.migrations import SQLITE

    new = SQLiteRepository(tmp_path / "new.sqlite")
    build_read_store(new)

    class Before(SQLiteRepository):
        migrations = SQLITE[:3]

    Before(tmp_path / "old.sqlite").close()
    con = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    con.execute("ATTACH ? AS new", (str(tmp_path / "new.sqlite"),))
    for table in ("articles", "mentions", "entities", "claims", "events", "stories", "story_articles", "minhashes"):
        cols = ", ".join(r[1] for r in con.execute(f"PRAGMA main.table_info({table})"))
        con.execute(f"INSERT INTO main.{table}({cols}) SELECT {cols} FROM new.{table}")
    con.close()
    old = SQLiteRepository(tmp_path / "old.sqlite")
    assert old.schema_version() == new.schema_version() >= 5
    assert _lookups(old) == _lookups(new)
    assert old.find_stories(text="e", limit=100) == new.find_stories(text="e", limit=100) != []
    assert old.events_of_entity("E1") == new.events_of_entity("E1") != []


def test_story_facets_are_filled_for_stories_stored_before_them(tmp_path):
    """A store written before migration 7 gets its stories' facets and corroboration from
    migration 8, the same as a story saved afterwards."""
    from reads_reference import build_read_store

    path = tmp_path / "old.sqlite"
    repo = SQLiteRepository(path)
    build_read_store(repo)
    want = {kind: repo.story_facets(kind) for kind in ("type", "country")}
    order = [s.id for s in repo.find_stories(limit=100, sort="corroboration")]
    assert want["type"] and want["country"]
    with repo.transaction():  # as a store of version 6 left it
        repo.execute("DELETE FROM story_facets")
        repo.execute("UPDATE stories SET corroboration=0")
        repo.execute("DELETE FROM schema_version WHERE version IN (7, 8)")  # later ones are not about stories
        repo.execute("DROP TABLE story_facets")
        repo.execute("DROP INDEX stories_corroboration")
        repo.execute("DROP INDEX stories_recent")
        repo.execute("DROP INDEX stories_conflict")  # migration 13's, which sorts by corroboration too
        repo.execute("DROP TABLE dossier_rows")
        repo.execute("ALTER TABLE stories DROP COLUMN conflict")
        repo.execute("ALTER TABLE stories DROP COLUMN corroboration")
    repo.close()
    again = SQLiteRepository(path)
    assert {kind: again.story_facets(kind) for kind in ("type", "country")} == want
    assert [s.id for s in again.find_stories(limit=100, sort="corroboration")] == order
    again.close()
