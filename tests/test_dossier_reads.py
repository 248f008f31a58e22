"""The dossier read a page at a time (issue 19) and its claim table (issue 17): the paged
``/api/stories/{id}``, the map's places, the stored dossier rows and their migration, the claim
table's order and filters, and the story list's conflict rank."""
from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from bigstory import ATTRIBUTED, EVENTS, NARRATED, PLACES, add_bigstory, build_bigstory_db  # noqa: E402
from seedlike import IMG, SCRIPT  # noqa: E402

from sitrep.api import create_app  # noqa: E402
from sitrep.store.dossier import conflict_rank  # noqa: E402
from sitrep.store.sqlite import SQLiteRepository  # noqa: E402
from sitrep.views.queries import story_detail_json  # noqa: E402


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    db = tmp_path_factory.mktemp("dossier") / "store.sqlite"
    build_bigstory_db(db).close()
    with TestClient(create_app(str(db), cache_bytes=0)) as client:
        yield client, db


def get_json(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.json()


def test_default_story_json_is_the_whole_dossier_as_before(big):
    client, db = big
    whole = get_json(client, "/api/stories/story-big")
    repo = SQLiteRepository(str(db))
    assert whole == json.loads(story_detail_json(repo, "story-big") or "null")
    repo.close()
    assert "page" not in whole and len(whole["claims"]) == ATTRIBUTED + NARRATED and len(whole["events"]) == EVENTS


def test_paged_story_json_holds_one_page_and_the_totals(big):
    client, _ = big
    first = get_json(client, "/api/stories/story-big?claims_limit=20&events_limit=30&articles_limit=2")
    assert first["page"] == {"claims_limit": 20, "claims_offset": 0, "claims_total": ATTRIBUTED + NARRATED,
                             "events_limit": 30, "events_offset": 0, "events_total": EVENTS,
                             "articles_limit": 2, "articles_offset": 0, "articles_total": 3}
    assert len(first["claims"]) == 20 and len(first["events"]) == 30 and len(first["articles"]) == 2
    # the shape stays the dossier's: the head, the lists, the member claims of the page's groups
    assert {"id", "title", "article_ids", "outlets", "article_claims", "article_events"} <= set(first)
    members = {c for g in first["claims"] for c in g["claim_ids"]}
    assert {c["id"] for c in first["article_claims"]} == members
    # attributed groups first, the most independent origins on top
    assert all(g["id"].startswith("ga") for g in first["claims"])
    assert [g["independent_origins"] for g in first["claims"]][:ATTRIBUTED // 10] == [3] * (ATTRIBUTED // 10)
    # events by day; the next page follows on
    days = [e["time"]["start"] for e in first["events"]]
    assert days == sorted(days)
    rest = get_json(client, "/api/stories/story-big?claims_limit=0&events_offset=30&events_limit=500")
    assert rest["claims"] == [] and len(rest["events"]) == EVENTS - 30
    assert {e["id"] for e in rest["events"]}.isdisjoint({e["id"] for e in first["events"]})
    last = get_json(client, f"/api/stories/story-big?claims_offset={ATTRIBUTED}&claims_limit=500")
    assert [g["id"][:2] for g in last["claims"]] == ["gn"] * NARRATED  # the outlets' own voice last


def test_paged_story_json_filters_and_refuses_bad_parameters(big):
    client, _ = big
    named = get_json(client, "/api/stories/story-big?origin=official&claims_limit=500")
    assert named["page"]["claims_total"] == len(named["claims"]) == len(range(1, ATTRIBUTED, 4))
    corroborated = get_json(client, "/api/stories/story-big?min_origins=2&claims_limit=500")
    assert {g["independent_origins"] for g in corroborated["claims"]} == {3}
    own = get_json(client, "/api/stories/story-big?origin=outlet&claims_limit=500")
    assert len(own["claims"]) == NARRATED
    for bad in ("claims_limit=-1", "claims_limit=501", "events_offset=-3", "claims_sort=size", "min_origins=0"):
        assert client.get(f"/api/stories/story-big?{bad}").status_code == 422, bad
    assert client.get("/api/stories/nope?claims_limit=5").status_code == 404
    assert client.get("/api/stories/nope/places").status_code == 404


def test_places_are_aggregated_and_bounded(big):
    client, _ = big
    data = get_json(client, "/api/stories/story-big/places")
    assert data["places_total"] == len(PLACES) and len(data["places"]) == len(PLACES)
    assert sum(p["count"] for p in data["places"]) == EVENTS
    assert all(len(p["events"]) <= 3 and "event_ids" not in p["events"][0] for p in data["places"])
    counts = [p["count"] for p in data["places"]]
    assert counts == sorted(counts, reverse=True)
    two = get_json(client, "/api/stories/story-big/places?limit=2")
    assert len(two["places"]) == 2 and two["places_total"] == len(PLACES)


def test_dossier_page_reads_a_page_and_names_its_json(big):
    client, _ = big
    html = client.get("/stories/story-big").text
    urls = re.search(r'data-first-view="([^"]+)"', html).group(1).replace("&amp;", "&").split()
    assert [u.split("?")[0] for u in urls] == ["/api/stories/story-big", "/api/stories/story-big/places"]
    story = get_json(client, urls[0])
    assert story["claims"] == [] and len(story["events"]) == 100 and story["page"]["events_total"] == EVENTS
    assert html.count('class="claim-row"') == 100 and html.count('class="event-row"') == 100
    # hostile text arrives escaped, in rows, chains, outlets and place names
    assert SCRIPT not in html and IMG not in html and "&lt;script&gt;" in html


def test_claim_table_collapses_narration_per_article(big):
    client, _ = big
    html = client.get("/stories/story-big?claims_from=100").text
    assert html.count('class="claim-row"') == ATTRIBUTED - 100
    counts = re.findall(r'<tr class="narration-row" data-article="([^"]*)" data-count="(\d+)"', html)
    assert counts == [("big-a", "30"), ("big-b", "15")]
    own = client.get("/stories/story-big?origin=outlet").text
    assert own.count('class="narration-row"') == 2 and 'class="claim-row"' not in own
    assert client.get("/stories/story-big?origin=nobody").status_code == 422
    assert client.get("/stories/story-big?claims_sort=size").status_code == 422
    assert client.get("/stories/story-big?min_origins=").status_code == 200  # the form's "any"


def test_migration_13_fills_the_rows_of_stories_already_stored(tmp_path):
    db = tmp_path / "store.sqlite"
    build_bigstory_db(db).close()
    con = sqlite3.connect(db)
    before = con.execute("SELECT count(*) FROM dossier_rows").fetchone()[0]
    ranks = dict(con.execute("SELECT id, conflict FROM stories").fetchall())
    # back to the store before migration 13
    con.executescript("DROP TABLE dossier_rows; DROP INDEX stories_conflict; ALTER TABLE stories DROP COLUMN conflict;"
                      " DELETE FROM schema_version WHERE version=13;")
    con.close()
    SQLiteRepository(str(db)).close()
    con = sqlite3.connect(db)
    # story-1: 2 groups, 3 events; story-evil: its article's claim and event; 4 ranked: an event each
    others = 5 + 2 + 4
    assert con.execute("SELECT count(*) FROM dossier_rows").fetchone()[0] == before == ATTRIBUTED + NARRATED + EVENTS + others
    assert dict(con.execute("SELECT id, conflict FROM stories").fetchall()) == ranks
    assert ranks["story-battle"] == 2 and ranks["story-clash"] == 1 and ranks["story-quiet"] == 0
    con.close()


def test_dossier_reads_on_each_backend(any_repo):
    """The same pages from SQLite and PostgreSQL (window functions, the union, LIKE on kinds)."""
    repo = any_repo
    add_bigstory(repo)
    entries, total = repo.dossier_claim_table("story-big", limit=200)
    assert total == ATTRIBUTED + 2 and [e["narration"] for e in entries[-2:]] == [True, True]
    assert [e["count"] for e in entries[-2:]] == [30, 15] and len(entries[-2]["groups"]) == 30
    short, _ = repo.dossier_claim_table("story-big", origin="outlet", narration_shown=4)
    assert [len(e["groups"]) for e in short] == [4, 4]
    kinds, n = repo.dossier_claim_table("story-big", origin="anonymous", sort="kind", limit=500)
    assert n == len(kinds) == len(range(2, ATTRIBUTED, 4)) and {e["origin_kind"] for e in kinds} == {"anonymous"}
    groups, n = repo.dossier_claim_groups("story-big", min_origins=2, limit=500)
    assert n == len(groups) == ATTRIBUTED // 10
    events, n = repo.dossier_events("story-big", limit=10, offset=105)
    assert n == EVENTS and len(events) == EVENTS - 105
    places, n = repo.dossier_places("story-big", limit=4)
    assert n == len(PLACES) and len(places) == 4 and all(len(p["events"]) == 3 for p in places)
    assert repo.story_head("story-big")["title"].startswith("Big story") and repo.story_head("nope") is None
    assert "events" not in repo.story_head("story-big")
    order = [s.id for s in repo.find_stories(sort="conflict", limit=10)]
    assert order[:5] == ["story-battle", "story-big", "story-clash", "story-quiet", "story-unsure"]
    assert repo.claims_by_id(["cn001", "nope", "ca000"]) and len(repo.claims_by_id(["cn001", "nope", "ca000"])) == 2


def _event(acled, confidence, origins):
    return {"acled_event_type": acled, "confidence": confidence, "independent_origins": origins}


@pytest.mark.parametrize("events, rank", [
    ([], 0),
    ([_event("Battles", 0.9, 1)], 1),
    ([_event("Battles", 0.9, 2)], 2),
    ([_event("Violence against civilians", 0.5, 3)], 2),  # MIN_CONFIDENCE itself counts
    ([_event("Battles", 0.49, 5)], 0),  # below it, not
    ([_event("Battles", None, 5)], 0),  # never scored
    ([_event("Protests", 0.99, 9)], 0),  # not political violence
    ([_event("Riots", 0.7, 1), _event("Explosions/Remote violence", 0.8, 4)], 2),
])
def test_conflict_rank(events, rank):
    assert conflict_rank({"events": events}) == rank


def test_origin_kind_is_read_from_the_chain_not_from_a_name(tmp_path):
    """The row reads each member's origin kind from its stored chain: a source whose name spells
    a kind does not pass for one."""
    from seedlike import _article

    from sitrep.model import Claim, ClaimGroup, SourceHop, Story

    repo = SQLiteRepository(str(tmp_path / "s.sqlite"))
    art = _article("a", "Out", "T", "", "Somebody said a thing.", "", None, None, None)
    art.claims = [Claim("c", "a", "a thing", 15, 22, [SourceHop("Out", "outlet"),
                                                      SourceHop('the "kind": "person" office', "official")])]
    with repo.transaction():
        repo.add_article(art)
        repo.save_derived(art)
        repo.save_story(Story("s", "S", ["a"], claims=[ClaimGroup("g", ["c"], "a thing", 1, ["Out"], 1, [], False)]))
    entries, total = repo.dossier_claim_table("s")
    assert total == 1 and entries[0]["origin_kind"] == "official"
    assert repo.dossier_claim_table("s", origin="person")[1] == 0
    repo.close()
