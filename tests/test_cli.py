"""The CLI: every listing prints exactly one JSON array with --json, in the spec's shapes."""
from __future__ import annotations

import json
import pytest
from typer.testing import CliRunner

from conftest import shared_path
from sitrep.cli import app

ARTICLE_KEYS = {"id", "outlet", "title", "published", "text", "captions", "removed", "source_path", "source_id",
                "url", "reprint_of"}
CLAIM_KEYS = {"id", "article_id", "text", "start", "end", "chain", "cue", "origin_named", "hedged", "denied"}
EVENT_KEYS = {"id", "type", "actor", "target", "status", "place", "time", "acled_event_type",
              "acled_sub_event_type", "trigger", "claim_ids", "article_ids"}
ENTITY_KEYS = {"id", "name", "type", "aliases", "mention_count", "mentions", "geo"}
STORY_KEYS = {"id", "title", "article_ids", "events", "claims"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    seeds = shared_path("corpus", "seeds")
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(seeds), "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return str(path)


def run_json(*args) -> list:
    result = CliRunner().invoke(app, list(args) + ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_articles_json_shape(db):
    items = run_json("articles", "--db", db)
    assert len(items) == 2
    for a in items:
        assert ARTICLE_KEYS <= set(a)
    assert {a["outlet"] for a in items} == {"News Front", "Press TV"}


def test_show_and_search(db):
    aid = run_json("articles", "--db", db)[0]["id"]
    shown = run_json("show", aid, "--db", db)
    assert shown[0]["id"] == aid and "claims" in shown[0]
    hits = run_json("search", "Patriot", "--db", db)
    assert hits and all("snippet" in h for h in hits)
    missing = CliRunner().invoke(app, ["show", "nope", "--db", db])
    assert missing.exit_code == 1 and "no article" in missing.output


def test_claims_entities_events_stories_shapes(db):
    claims = run_json("claims", "--db", db)
    assert claims and all(CLAIM_KEYS <= set(c) for c in claims)
    for c in claims:
        assert c["chain"][0]["kind"] == "outlet"
    assert run_json("claims", "--db", db, "--source", "Almaalomah")
    entities = run_json("entities", "--db", db)
    assert entities and all(ENTITY_KEYS <= set(e) for e in entities)
    events = run_json("events", "--db", db)
    assert events and all(EVENT_KEYS <= set(e) for e in events)
    near = run_json("events", "--db", db, "--near", "33.79,42.44,30")
    assert near and all(e["place"] for e in near)
    stories = run_json("stories", "--db", db)
    assert stories and all(STORY_KEYS <= set(s) for s in stories)
    one = run_json("story", stories[0]["id"], "--db", db)
    assert one[0]["id"] == stories[0]["id"]


def test_bad_parameters_exit_2_with_a_clear_message(db):
    r = CliRunner().invoke(app, ["events", "--db", db, "--since", "last tuesday"])
    assert r.exit_code == 2 and "ISO date" in r.output
    r = CliRunner().invoke(app, ["events", "--db", db, "--near", "somewhere"])
    assert r.exit_code == 2 and "LAT,LON,KM" in r.output
    r = CliRunner().invoke(app, ["ingest", "x", "--db", db, "--field", "body"])
    assert r.exit_code == 2


def test_ingest_twice_adds_nothing(db):
    seeds = shared_path("corpus", "seeds")
    report = run_json("ingest", str(seeds), "--db", db)[0]
    assert report["stored"] == 0 and report["skipped"] == 2
    assert len(run_json("articles", "--db", db)) == 2


def test_nothing_ingestible_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    r = CliRunner().invoke(app, ["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "x.sqlite")])
    assert r.exit_code == 1 and "empty" in r.output
    r = CliRunner().invoke(app, ["errors", "--db", str(tmp_path / "x.sqlite"), "--json"])
    assert json.loads(r.stdout)[0]["kind"] == "empty"


def _entity_of(entities: list[dict], name: str) -> set[str]:
    """Ids of the entities with a surface form that is ``name`` or holds it as whole words
    ("Ain al-Assad base" for "Ain al-Assad", "White" for "General White"); quotes folded."""
    import re

    fold = lambda s: s.replace("’", "'").casefold()  # noqa: E731

    def holds(a: str, b: str) -> bool:
        return re.search(r"(?<!\w)" + re.escape(fold(b)) + r"(?!\w)", fold(a)) is not None

    return {e["id"] for e in entities if any(holds(a, name) or holds(name, a) for a in e["aliases"])}


def test_seed_entities_resolve_as_the_analyst_reads_them(db, seeds_expected):
    """Through the whole pipeline and the store: each same_entity group is one entity, each
    different_entity pair stays apart ("the paper" included: the claims stage links it to the
    outlet named before it)."""
    entities = run_json("entities", "--db", db)
    for group in seeds_expected["same_entity"]:
        names = list(group)
        ids = [_entity_of(entities, n) for n in names]
        assert all(ids), f"not found as entities: {[n for n, i in zip(names, ids) if not i]}"
        assert set.intersection(*ids), f"split: {group} -> {ids}"
    for a, b in seeds_expected["different_entity"]:
        ea, eb = _entity_of(entities, a), _entity_of(entities, b)
        assert not (ea & eb), f"{a!r} and {b!r} merged"


def test_seed_sourcing_chains_are_stored(db, seeds_expected):
    claims = run_json("claims", "--db", db)
    articles = {a["id"]: a["source_path"] for a in run_json("articles", "--db", db)}
    fold = lambda s: s.replace("’", "'").casefold()  # noqa: E731
    for want in seeds_expected["sourcing_chains"]:
        found = [c for c in claims if articles[c["article_id"]].endswith(want["article"])
                 and fold(want["claim_contains"]) in fold(c["text"])
                 and [fold(h["name"]) for h in c["chain"]] == [fold(n) for n in want["chain"]]]
        assert found, f"chain {want['chain']} for {want['claim_contains']!r} not stored"
        assert found[0]["origin_named"] == want["origin_named"]


def test_exports_write_only_into_the_chosen_folder(db, tmp_path):
    for what, name in (("acled-csv", "events-acled.csv"), ("geojson", "events.geojson"),
                       ("claims-csv", "claims.csv"), ("articles-json", "articles.json")):
        r = CliRunner().invoke(app, ["export", what, "--db", db, "--out-dir", str(tmp_path / "out")])
        assert r.exit_code == 0, r.output
        assert (tmp_path / "out" / name).stat().st_size > 0
    header = (tmp_path / "out" / "events-acled.csv").read_text().splitlines()[0]
    assert header.startswith("event_id_cnty") and "sub_event_type" in header and "geo_precision" in header
    geo = json.loads((tmp_path / "out" / "events.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    r = CliRunner().invoke(app, ["export", "../../etc/passwd", "--db", db, "--out-dir", str(tmp_path)])
    assert r.exit_code == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_max_text_chars_refuses_only_the_long_record(tmp_path):
    short = {"id": "short", "outlet": "Tigris Wire", "title": "Drill near Basra",
             "text": "Iraqi forces held a drill near Basra on Monday, officials said."}
    long = {"id": "long", "outlet": "Tigris Wire", "title": "A dump", "text": "word " * 400}
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(short) + "\n" + json.dumps(long) + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--max-text-chars", "1000", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert report["stored"] == 1
    assert [e["kind"] for e in report["errors"]] == ["too_large"]
    assert "1000" in report["errors"][0]["message"] or "1,000" in report["errors"][0]["message"]
