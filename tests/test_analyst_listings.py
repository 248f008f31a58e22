"""Issue 19's data defects and CLI listings: exports that load, listings that never drop rows, read
commands that never create a database, date filters that mean what they say, --type checked."""
from __future__ import annotations

import csv
import io
import json
import os
from datetime import date

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.model import Article, Claim, Cue, DateRange, Entity, Event, OffsetMap, Place, SourceHop, Story, TimeSpan
from sitrep.store import open_repository
from sitrep.views.exports import ACLED_COLUMNS, ACLED_NUMERIC_COLUMNS, CLAIM_COLUMNS, SITREP_COLUMNS

# More than every old silent cap (1,000 articles, entities and stories; 10,000 claims and events).
ARTICLES = 1_010
PER_ARTICLE = 10  # claims and events per article: 10,100 of each
HOSTILE = "=HYPERLINK(\"http://x\")"


def _article(n: int) -> Article:
    aid = f"a{n:05d}"
    text = f"{HOSTILE} rockets hit the base, officials said. Report {n}."
    offsets = OffsetMap()
    offsets.add(0, 0, len(text))
    art = Article(id=aid, source_path="bulk.txt", text=text, original=text, offsets=offsets, title=f"-Report {n}",
                  outlet="@Outlet", content_hash=aid, published=DateRange(date(2024, 5, 1), date(2024, 5, 1)))
    art.claims = [Claim(id=f"{aid}:c{i}", article_id=aid, text=f"+claim {i} of {n}", start=0, end=5,
                        chain=[SourceHop("@Outlet", "outlet"), SourceHop("-a source", "anonymous", 0, 5)],
                        cue=Cue("said", 0, 4), origin_named=False) for i in range(PER_ARTICLE)]
    art.events = [
        Event(id=f"{aid}:e{i}", article_id=aid, type="attack", trigger=Cue("hit", 8, 11), actor="=cmd()",
              # western and southern coordinates: the negative numbers the formula guard used to quote
              place=Place("Wichita", 37.6872 - n / 1000, -97.3301, "town", country="US"),
              time=(TimeSpan(date(2024, 5, 1), date(2024, 5, 1), "day") if i % 2 else None),
              acled_event_type="Battles", acled_sub_event_type="Armed clash", confidence=0.9)
        for i in range(PER_ARTICLE)
    ]
    return art


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> str:
    """A store bigger than every old cap, written straight through the repository (no NLP)."""
    path = str(tmp_path_factory.mktemp("big") / "big.sqlite")
    repo = open_repository(path)
    with repo.transaction():
        for n in range(ARTICLES):
            art = _article(n)
            repo.add_article(art)
            repo.save_derived(art)
        repo.save_entities([Entity(f"E{n:05d}", f"Name {n}", "PERSON", aliases=[f"Name {n}"]) for n in range(ARTICLES)])
        for n in range(ARTICLES):
            repo.save_story(Story(f"S{n:05d}", f"Story {n}", [f"a{n:05d}"]))
    repo.close()
    return path


def _invoke(*args: str, width: int | None = None):
    env = {"COLUMNS": str(width)} if width else None
    return CliRunner().invoke(app, list(args), env=env)


@pytest.mark.parametrize("command,expected", [
    ("articles", ARTICLES), ("entities", ARTICLES), ("stories", ARTICLES),
    ("claims", ARTICLES * PER_ARTICLE), ("events", ARTICLES * PER_ARTICLE),
])
def test_json_listings_return_every_row(big_db, command, expected):
    result = _invoke(command, "--db", big_db, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == expected
    assert len({r["id"] for r in rows}) == expected  # paging neither repeats nor skips a row


def test_json_limit_and_offset_still_page(big_db):
    rows = json.loads(_invoke("articles", "--db", big_db, "--json", "--limit", "600", "--offset", "700").stdout)
    assert [r["id"] for r in rows] == [f"a{n:05d}" for n in range(700, 1010)]
    assert json.loads(_invoke("articles", "--db", big_db, "--json", "--limit", "3").stdout)[-1]["id"] == "a00002"


def test_a_table_says_when_it_is_cut(big_db):
    result = _invoke("articles", "--db", big_db, width=200)
    assert result.exit_code == 0
    assert "showing the first 1000 rows" in result.stderr and "--json for every row" in result.stderr
    assert "a01009" not in result.stdout and "a00999" in result.stdout


def _acled_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ACLED_COLUMNS + SITREP_COLUMNS
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _assert_acled_round_trip(text: str) -> None:
    rows = _acled_rows(text)
    assert rows
    for row in rows:
        for col in list(ACLED_NUMERIC_COLUMNS) + SITREP_COLUMNS:
            if row[col]:
                float(row[col])  # a number, never "'-97.3301"
        assert float(row["longitude"]) == pytest.approx(-97.3301)
        for col, cell in row.items():
            if col not in ACLED_NUMERIC_COLUMNS and col not in SITREP_COLUMNS and cell:
                assert cell[0] not in "=+-@", (col, cell)
        assert row["actor1"] == "'=cmd()" and row["source"] == "'@Outlet"


def _assert_claims_round_trip(text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CLAIM_COLUMNS
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert body
    for row in body:
        int(row["start"]), int(row["end"])  # offsets stay numbers
        for col in ("id", "article_id", "outlet", "text", "chain", "origin", "origin_kind", "cue"):
            assert not row[col] or row[col][0] not in "=+-@", (col, row[col])
        assert row["text"].startswith("'+claim") and row["outlet"] == "'@Outlet"


def test_cli_csv_exports_load_with_numbers_as_numbers(big_db, tmp_path):
    for what in ("acled-csv", "claims-csv"):
        assert _invoke("export", what, "--db", big_db, "--out-dir", str(tmp_path)).exit_code == 0
    _assert_acled_round_trip((tmp_path / "events-acled.csv").read_text(encoding="utf-8"))
    _assert_claims_round_trip((tmp_path / "claims.csv").read_text(encoding="utf-8"))


def test_api_csv_exports_load_with_numbers_as_numbers(big_db):
    from fastapi.testclient import TestClient

    from sitrep.api import create_app

    with TestClient(create_app(big_db, cache_bytes=0)) as client:
        events = client.get("/api/export/events.csv", params={"since": "2024-05-01"})
        claims = client.get("/api/export/claims.csv")
        assert events.status_code == claims.status_code == 200
        _assert_acled_round_trip(events.text)
        _assert_claims_round_trip(claims.text)
        dated = client.get("/api/events", params={"since": "2024-05-01", "limit": 100}).json()
        undated = client.get("/api/events", params={"since": "2024-05-01", "include_undated": "true",
                                                    "limit": 100}).json()
    assert dated and all(e["time"] and e["time"]["start"] for e in dated)
    assert any(e["time"] is None for e in undated)


def test_date_filters_leave_out_undated_events_unless_asked(big_db):
    dated = json.loads(_invoke("events", "--db", big_db, "--json", "--since", "2024-05-01",
                               "--until", "2024-05-01").stdout)
    assert len(dated) == ARTICLES * PER_ARTICLE // 2
    assert all(e["time"] and e["time"]["start"] == "2024-05-01" for e in dated)
    everything = json.loads(_invoke("events", "--db", big_db, "--json", "--since", "2024-05-01",
                                    "--include-undated").stdout)
    assert len(everything) == ARTICLES * PER_ARTICLE
    assert len(json.loads(_invoke("events", "--db", big_db, "--json", "--limit", "7").stdout)) == 7


def test_read_commands_refuse_a_missing_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo.sqlite"
    for command in (["claims"], ["articles"], ["events"], ["entities"], ["stories"], ["errors"],
                    ["search", "x"], ["show", "x"], ["story", "x"], ["export", "claims-csv"]):
        result = _invoke(*command, "--db", str(missing))
        assert result.exit_code == 1, command
        assert "does not exist; run `sitrep ingest` or `sitrep demo` first" in result.output
        assert not missing.exists()
    # a bare command falls back to ./sitrep.sqlite (or $SITREP_DB) and must not create it either
    if "SITREP_DB" not in os.environ:
        assert _invoke("claims").exit_code == 1
        assert not (tmp_path / "sitrep.sqlite").exists()


def test_type_accepts_plover_and_acled_names_and_lists_them_on_error(big_db):
    plover = json.loads(_invoke("events", "--db", big_db, "--json", "--type", "attack", "--limit", "5").stdout)
    acled = json.loads(_invoke("events", "--db", big_db, "--json", "--type", "battles", "--limit", "5").stdout)
    sub = json.loads(_invoke("events", "--db", big_db, "--json", "--type", "Armed clash", "--limit", "5").stdout)
    assert len(plover) == len(acled) == len(sub) == 5
    assert json.loads(_invoke("events", "--db", big_db, "--json", "--type", "Protests").stdout) == []
    bad = _invoke("events", "--db", big_db, "--type", "atack")
    assert bad.exit_code == 2
    for name in ("deploy", "attack", "Battles", "Air/drone strike"):
        assert name in bad.stderr
    assert _invoke("export", "acled-csv", "--db", big_db, "--type", "atack").exit_code == 2


def test_listings_show_next_ids_without_python_reprs_at_80_columns(big_db):
    for command, key in (("claims", "a00000"), ("events", "a00000"), ("articles", "a00000"),
                         ("stories", "S00000"), ("entities", "E00000")):
        result = _invoke(command, "--db", big_db, "--limit", "3", width=80)
        assert result.exit_code == 0, result.output
        assert key in result.stdout, command  # the id the next command takes, whole
        assert "None" not in result.stdout and "{'" not in result.stdout
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "undated" in _invoke("events", "--db", big_db, "--limit", "2", width=80).stdout
    assert "2024-05-01 (day)" in _invoke("events", "--db", big_db, "--since", "2024-05-01", "--limit", "2",
                                         width=80).stdout
    story = _invoke("story", "S00000", "--db", big_db, width=80)
    assert story.exit_code == 0 and "None" not in story.stdout


def test_top_level_help_speaks_to_users():
    result = _invoke("--help", width=100)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout and "``" not in result.stdout and "thin wrappers" not in result.stdout
    assert "demo" in result.stdout


def test_readme_usage_lists_every_command():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    usage = readme[readme.index("## Using it"):]
    usage = usage[:usage.index("\n```\n", usage.index("```") + 3)]
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"sitrep {name}" in usage or f"| {name}" in usage, name
