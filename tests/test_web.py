"""Units behind the pages and exports: text segmentation, safe links, dossier rows, exports,
parameter parsing, request limits. Fast and pure: no server, no browser."""
from __future__ import annotations

import asyncio
import csv
import io
import json

from datetime import date

import pytest

from sitrep.vocab import PlacePrecision
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.api.limits import RequestLimitMiddleware, SecurityHeadersMiddleware
from sitrep.api.params import BadParameter, parse_bbox, parse_day, parse_span
from sitrep.model import Claim, Cue, Event, Place, TimeSpan
from sitrep.views.exports import ACLED_COLUMNS, acled_row, chain_path, claims_csv, events_geojson, spreadsheet_safe
from sitrep.web.context import MAX_SIDE, sentence_around
from sitrep.store.dossier import dossier_rows
from sitrep.web.dossier import contradicting_ids, member_ids, page_event_rows, table_rows
from sitrep.web.safety import safe_url
from sitrep.web.text import segment_article

# -- segmentation -------------------------------------------------------------------------------

ORIGINAL = "Home / World\n\nTitle here\n\nBody “one” two three.\n\nShare this"
BODY = 'Body "one" two three.'  # normalised quotes: same length, so one shifted run


def _record():
    body_at = ORIGINAL.index("Body")
    return {
        "text": BODY,
        "original": ORIGINAL,
        "offsets": [[0, body_at, len(BODY)]],
        "removed": [
            {"start": 0, "end": 12, "text": "Home / World", "reason": "breadcrumb"},
            {"start": ORIGINAL.index("Share"), "end": len(ORIGINAL), "text": "Share this", "reason": "footer"},
        ],
        "caption_spans": [{"text": "Title here", "start": 14, "end": 24}],
        "captions": ["Title here"],
    }


def test_segments_cover_original_and_mark_kinds():
    view = segment_article(_record())
    assert "".join(s.text for s in view.segments) == ORIGINAL
    kinds = {s.text: s.kind for s in view.segments}
    assert kinds["Home / World"] == "removed" and kinds["Share this"] == "removed"
    assert kinds["Title here"] == "caption"
    assert view.captions == ["Title here"]
    assert next(s for s in view.segments if s.text == "Share this").reason == "footer"


def test_highlight_maps_clean_span_through_offsets():
    start = BODY.index("two")
    view = segment_article(_record(), highlight=(start, start + len("two three")))
    marked = "".join(s.text for s in view.segments if s.highlighted)
    assert marked == "two three"
    assert view.highlight == (ORIGINAL.index("two"), ORIGINAL.index("two") + 9)


def test_mentions_become_linked_segments_and_spans_become_edges():
    rec = _record()
    one = BODY.index("one")
    view = segment_article(rec, mentions=[{"start": one, "end": one + 3, "entity_id": "e1"}],
                           spans=[(BODY.index("three"), BODY.index("three") + 5)])
    linked = [s for s in view.segments if s.entity_id == "e1"]
    assert [s.text for s in linked] == ["one"] and linked[0].mention
    assert any(s.text == "three" for s in view.segments)


def test_out_of_range_and_empty_spans_are_harmless():
    view = segment_article(_record(), highlight=(5, 5))
    assert view.highlight is None
    view = segment_article({"text": "abc", "removed": [{"start": 2, "end": 99, "reason": "x"}]}, highlight=(1, 50))
    assert "".join(s.text for s in view.segments) == "abc"
    assert [s.text for s in view.segments if s.highlighted] == ["b", "c"]


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=0, max_size=60),
       cuts=st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=5),
       hl=st.tuples(st.integers(0, 70), st.integers(0, 70)))
def test_segments_never_lose_or_duplicate_text(text, cuts, hl):
    removed = [{"start": min(a, b), "end": max(a, b), "reason": "r"} for a, b in cuts]
    view = segment_article({"text": text, "removed": removed}, spans=cuts,
                           highlight=(min(hl), max(hl)))
    assert "".join(s.text for s in view.segments) == text
    for a, b in zip(view.segments, view.segments[1:]):
        assert a.end == b.start


# -- safe links ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://x.example/"])
def test_safe_url_keeps_http(url):
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "//evil",
                                 "ftp://x.example/", "https://", "http://a b", 'https://x"onmouseover=1', None, 3,
                                 "https://x.example/\n<script>", "vbscript:msgbox"])
def test_safe_url_refuses_everything_else(url):
    assert safe_url(url) is None


# -- dossier rows -------------------------------------------------------------------------------

def _story(groups=True):
    claims = [
        {"id": "c1", "article_id": "a1", "text": "troops landed", "start": 5, "end": 18, "origin_named": False,
         "hedged": True, "chain": [{"name": "Press TV", "kind": "outlet"}, {"name": "Almaalomah", "kind": "publication"},
                                    {"name": "a security source", "kind": "anonymous"}]},
        {"id": "c2", "article_id": "a2", "text": "no troops landed", "start": 0, "end": 16, "origin_named": True,
         "chain": [{"name": "Other", "kind": "outlet"}, {"name": "A. Person", "kind": "person"}]},
    ]
    events = [{"id": "e1", "article_id": "a1", "type": "deploy", "trigger": {"text": "landed", "start": 12, "end": 18},
               "time": {"start": "2020-03-29", "end": "2020-03-29", "precision": "day"}},
              {"id": "e2", "article_id": "a2", "type": "attack", "trigger": {"text": "hit", "start": 1, "end": 4},
               "time": {"start": "2020-01-01", "end": "2020-01-31", "precision": "month"}}]
    story = {"articles": [{"id": "a1", "outlet": "Press TV"}, {"id": "a2", "outlet": "Other"}],
             "article_claims": claims, "article_events": events, "claims": [], "events": []}
    if groups:
        story["claims"] = [
            {"id": "g1", "claim_ids": ["c1"], "text": "troops landed", "reports": 1, "independent_origins": 1,
             "any_origin_named": False, "contradicted_by": ["g2"]},
            {"id": "g2", "claim_ids": ["c2"], "text": "no troops landed", "reports": 1, "independent_origins": 1,
             "any_origin_named": True, "contradicted_by": ["g1"]},
        ]
        story["events"] = [dict(events[0], event_ids=["e1"], reports=2, outlets=["Press TV"], independent_origins=2)]
    return story


def _page(story):
    """The claim table's page and event rows of a story JSON, through its stored rows' data."""
    claims = {c["id"]: c for c in story["article_claims"]}
    rows = list(dossier_rows(dict(story, id="s"), claims, story["article_events"]))
    groups = [json.loads(r[-1]) for r in rows if r[1] == "claim"]
    entries = [{"narration": False, "group": g, "origin_kind": r[5]} for g, r in zip(groups, rows)]
    texts = {g["id"]: g["text"] for g in groups}
    shown = [claims[i] for i in member_ids(entries)]
    assert set(contradicting_ids(entries)) <= set(texts)
    outlets = {a["id"]: a["outlet"] for a in story["articles"]}
    events = sorted((r for r in rows if r[1] == "event"), key=lambda r: (r[11], r[12], r[3]))
    return table_rows(entries, {c["id"]: c for c in shown}, outlets, texts), page_event_rows(
        [json.loads(r[-1]) for r in events])


def test_claim_rows_from_groups_carry_chain_and_contradiction():
    rows, _ = _page(_story())
    assert rows[0].chains[0].path == "Press TV → Almaalomah → a security source"
    assert rows[0].contradicted_by == ["no troops landed"] and not rows[0].named and rows[1].named
    assert (rows[0].link.article_id, rows[0].link.start, rows[0].link.end) == ("a1", 5, 18)
    assert rows[0].chains[0].hedged and rows[0].hedged and not rows[0].denied
    assert (rows[0].origin_kind, rows[1].origin_kind) == ("anonymous", "person")


def test_rows_fall_back_to_article_records_without_groups():
    rows, ev = _page(_story(groups=False))
    assert [r.id for r in rows] == ["c1", "c2"] and all(r.reports == 1 for r in rows)
    assert [r.event["id"] for r in ev] == ["e2", "e1"]  # by time: January first
    assert (ev[1].article_id, ev[1].start) == ("a1", 12)


def test_story_event_rows_point_at_member_trigger():
    _, ev = _page(_story())
    assert len(ev) == 1 and ev[0].reports == 2 and (ev[0].article_id, ev[0].start, ev[0].end) == ("a1", 12, 18)


def test_narration_rows_list_their_statements_and_count_the_rest():
    story = _story()
    entry = {"narration": True, "article_id": "a1", "count": 40,
             "groups": [{"id": "g1", "claim_ids": ["c1"], "text": "troops landed"}]}
    [row] = table_rows([entry], {"c1": story["article_claims"][0]}, {"a1": "Press TV"}, {})
    assert row.narration and row.outlet == "Press TV" and row.count == 40 and row.texts == ["troops landed"]
    assert (row.statements[0].article_id, row.statements[0].start) == ("a1", 5)
    assert member_ids([entry]) == ["c1"]


# -- exports ------------------------------------------------------------------------------------

def test_spreadsheet_safe_defuses_formulas():
    assert spreadsheet_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert spreadsheet_safe("+1") == "'+1" and spreadsheet_safe("@x") == "'@x"
    assert spreadsheet_safe("plain") == "plain" and spreadsheet_safe(None) == ""


def test_acled_row_layout_and_precisions():
    e = Event("e1", "a1", "deploy", Cue("moved", 0, 5), actor="United States", target=None, status="planned",
              place=Place("Harir", 36.54, 44.35, "province", resolved_name="Harir Air Base", country="IQ",
                          admin1="Erbil"),
              time=TimeSpan(date(2020, 3, 1), date(2020, 3, 31), "month", text="in March"),
              acled_event_type="Strategic developments")
    row = acled_row(e, ["News Front", "Press TV", "News Front"])
    assert list(row) == ACLED_COLUMNS
    assert row["time_precision"] == "3" and row["geo_precision"] == "3" and row["iso"] == "368"
    assert row["country"] == "Iraq" and row["location"] == "Harir Air Base" and row["latitude"] == "36.5400"
    assert row["source"] == "News Front; Press TV" and row["tags"] == "status: planned"
    assert "in March" in row["notes"] and row["inter1"] == "" and row["fatalities"] == ""
    bare = acled_row(Event("e2", "a1", "attack", Cue("hit", 0, 3)), [])
    assert bare["event_date"] == "" and bare["latitude"] == "" and bare["time_precision"] == ""
    assert bare["geo_precision"] == ""


@pytest.mark.parametrize("precision,code", [("site", "1"), ("town", "1"), ("district", "2"),
                                            ("province", "3"), ("country", "3"), ("region", "3"),
                                            ("unknown", "3")])
def test_acled_geo_precision_of_every_place_precision(precision, code):
    """Every place precision has its ACLED code: a region or an unplaced name is 3, not blank."""
    e = Event("e1", "a1", "attack", Cue("hit", 0, 3), place=Place("X", None, None, PlacePrecision(precision)))
    assert acled_row(e, [])["geo_precision"] == code


def test_geojson_skips_unplaced_and_claims_csv_chain():
    placed = Event("a", "a1", "attack", Cue("hit", 0, 3), place=Place("X", 1.0, 2.0, "town"))
    unplaced = Event("b", "a1", "attack", Cue("hit", 0, 3), place=Place("Y", None, None, "unknown"))
    gj = events_geojson([placed, unplaced, Event("c", "a1", "attack", Cue("hit", 0, 3))])
    assert [f["id"] for f in gj["features"]] == ["a"] and gj["features"][0]["geometry"]["coordinates"] == [2.0, 1.0]
    assert gj["features"][0]["properties"] == placed.to_json()
    json.dumps(gj)
    claims = [Claim.from_json(c) for c in _story()["article_claims"]]
    text = claims_csv(claims, {"a1": "Press TV", "a2": "=cmd"})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["chain"] == chain_path(claims[0].chain) == "Press TV → Almaalomah → a security source"
    assert rows[1]["outlet"] == "'=cmd" and rows[1]["origin_kind"] == "person" and rows[0]["hedged"] == "true"


# -- parameters ---------------------------------------------------------------------------------

def test_parse_bbox():
    assert parse_bbox("33,42,37,45") == (33.0, 42.0, 37.0, 45.0)
    assert parse_bbox(None) is None and parse_bbox("") is None
    for bad in ("1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "-91,0,0,1", "0,0,1,181", "1,2,3,4,5"):
        with pytest.raises(BadParameter):
            parse_bbox(bad)


def test_parse_day_and_span():
    assert parse_day("since", "2020-01-05") == "2020-01-05"
    assert parse_day("since", "2020-01-05T10:00:00") == "2020-01-05"
    with pytest.raises(BadParameter, match="'since'"):
        parse_day("since", "5 Jan")
    assert parse_span("3-9") == (3, 9)
    assert parse_span("9-3") is None and parse_span("x") is None and parse_span("-1-4") is None


# -- middleware ---------------------------------------------------------------------------------

def _call(app, scope, body=b""):
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


async def _echo(scope, receive, send):
    message = await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message.get("body", b"")})


def _scope(query=b"", headers=()):
    return {"type": "http", "method": "POST", "path": "/api/x", "query_string": query, "headers": list(headers)}


def test_limits_refuse_long_queries_and_big_bodies():
    app = RequestLimitMiddleware(_echo, max_body=10, max_query=5)
    assert _call(app, _scope(b"a=12345"))[0]["status"] == 414
    assert _call(app, _scope(headers=[(b"content-length", b"11")]), b"x" * 11)[0]["status"] == 413
    streamed = _call(app, _scope(), b"x" * 11)  # no Content-Length: counted while reading
    assert streamed[0]["status"] == 413 and json.loads(streamed[1]["body"])["error"]
    assert _call(app, _scope(b"a=1"), b"ok")[0]["status"] == 200


def test_security_headers_are_added():
    sent = _call(SecurityHeadersMiddleware(_echo), _scope())
    headers = dict(sent[0]["headers"])
    assert b"script-src 'self'" in headers[b"content-security-policy"]
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"referrer-policy"] == b"no-referrer"


def test_outlet_profiles_shown_beside_reports(tmp_path):
    """Each report carries its outlet's registry profile (state affiliation, ownership, source)."""
    from fastapi.testclient import TestClient

    from sitrep.api import create_app
    from sitrep.model import Article, OffsetMap
    from sitrep.store.sqlite import SQLiteRepository
    from sitrep.web.profiles import outlet_profile

    assert outlet_profile("Press TV")["state_affiliated"] is True
    assert outlet_profile("No Such Outlet") is None
    repo = SQLiteRepository(tmp_path / "p.sqlite")
    text = "Iraqi security sources say new US troops have been deployed."
    m = OffsetMap()
    m.add(0, 0, len(text))
    with repo.transaction():
        repo.add_article(Article(id="p1", source_path="p.txt", text=text, original=text, offsets=m,
                                 title="Deployment", outlet="Press TV", content_hash="p1"))
    page = TestClient(create_app(str(tmp_path / "p.sqlite"))).get("/articles/p1").text
    assert "state-affiliated" in page and "Islamic Republic of Iran Broadcasting" in page


# -- a mention in its sentence -------------------------------------------------------------------

def test_sentence_around_cuts_at_sentence_ends():
    text = "First one. Troops reached Ain al-Asad on Sunday! Third?\nFourth"
    start = text.index("Ain")
    got = sentence_around(text, start, start + len("Ain al-Asad"))
    assert (got.before, got.mention, got.after) == ("Troops reached ", "Ain al-Asad", " on Sunday!")
    last = sentence_around(text, text.index("Fourth"), len(text))
    assert (last.before, last.mention, last.after) == ("", "Fourth", "")


def test_sentence_around_caps_a_run_on_and_clamps_bad_spans():
    text = "x" * 1000 + "NAME" + "y" * 1000
    got = sentence_around(text, 1000, 1004)
    assert got.mention == "NAME" and got.before == "…" + "x" * MAX_SIDE and got.after == "y" * MAX_SIDE + "…"
    assert sentence_around("short", 3, 99).mention == "rt"
    assert sentence_around("short", 50, 60).mention == ""


# -- browsing every event and claim ---------------------------------------------------------------

def test_radius_bbox_holds_the_circle_and_gives_up_at_poles_and_antimeridian():
    from sitrep.geodesy import haversine_km
    from sitrep.views.browse import radius_bbox

    south, west, north, east = radius_bbox(33.8, 42.4, 100)
    # the circle's extreme points lie inside the box
    assert haversine_km(33.8, 42.4, north, 42.4) == pytest.approx(100, rel=1e-3)
    assert haversine_km(33.8, 42.4, 33.8, east) > 100 and west < 42.4 < east and south < 33.8 < north
    assert radius_bbox(89.5, 0, 100) is None and radius_bbox(0, 179.5, 100) is None


def test_scan_stops_at_the_limit_and_says_so(monkeypatch):
    from sitrep.views import browse

    monkeypatch.setattr(browse, "SCAN_LIMIT", 1200)
    def fetch(limit, offset):
        return list(range(offset, min(offset + limit, 5000)))

    rows, cut = browse._scan(fetch)
    assert list(rows) == list(range(1200)) and cut[0]
    rows, cut = browse._scan(lambda limit, offset: list(range(offset, min(offset + limit, 700))))
    assert list(rows) == list(range(700)) and not cut[0]
