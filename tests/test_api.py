"""The JSON API and the pages it serves, over a hand-built store shaped like the seed reports."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from seedlike import IMG, PTV_BODY, SCRIPT, build_seedlike_db  # noqa: E402

from sitrep.api import create_app  # noqa: E402
from sitrep.api.limits import CSP  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "store.sqlite"
    build_seedlike_db(db).close()
    with TestClient(create_app(str(db))) as c:
        yield c


def ok(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r


def assert_error(r, status, *words):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    for w in words:
        assert w in body["error"], body["error"]


# -- listings and details -----------------------------------------------------------------------

def test_articles_list_and_outlet_filter(client):
    ids = [a["id"] for a in ok(client, "/api/articles").json()]
    assert ids == ["ptv", "nf", "evil"]
    assert [a["id"] for a in ok(client, "/api/articles?outlet=press%20tv").json()] == ["ptv"]
    assert [a["id"] for a in ok(client, "/api/articles?limit=1&offset=1").json()] == ["nf"]


def test_article_detail_has_claims_events_mentions_story(client):
    a = ok(client, "/api/articles/ptv").json()
    assert a["outlet"] == "Press TV" and a["story_id"] == "story-1"
    assert [c["id"] for c in a["claims"]] == ["c-ptv-1"]
    assert [h["name"] for h in a["claims"][0]["chain"]] == ["Press TV", "Almaalomah", "a security source"]
    assert {e["id"] for e in a["events"]} == {"e-ptv-deploy", "e-ptv-strike"}
    m = a["mentions"][0]
    assert PTV_BODY[m["start"]:m["end"]] == m["text"] == "Ain al-Asad" and m["entity_id"] == "ent-asad"
    assert "original" not in a and "offsets" not in a


def test_story_list_and_detail(client):
    assert {s["id"] for s in ok(client, "/api/stories").json()} == {"story-1", "story-evil"}
    s = ok(client, "/api/stories/story-1").json()
    assert [a["id"] for a in s["articles"]] == ["ptv", "nf"]
    assert "text" not in s["articles"][0]
    assert {c["id"] for c in s["article_claims"]} == {"c-ptv-1", "c-nf-1"}
    assert {e["id"] for e in s["article_events"]} == {"e-ptv-deploy", "e-ptv-strike", "e-nf-harir"}
    assert s["claims"][1]["contradicted_by"] == ["g-planes"]


def test_events_filters(client):
    ids = lambda url: {e["id"] for e in ok(client, url).json()}  # noqa: E731
    assert ids("/api/events?type=deploy") == {"e-ptv-deploy", "e-nf-harir"}
    assert ids("/api/events?since=2020-03-01&until=2020-03-31") >= {"e-ptv-deploy"}
    assert "e-ptv-strike" not in ids("/api/events?since=2020-03-01&until=2020-03-31")
    # a month-precise strike reaches into a window that starts mid-January
    assert "e-ptv-strike" in ids("/api/events?since=2020-01-15&until=2020-01-20")
    # Harir (36.54, 44.35) lies in this box, Ain al-Asad (33.79, 42.44) does not
    assert ids("/api/events?bbox=35,43,38,46") == {"e-nf-harir"}
    assert ids("/api/events?entity=ent-asad") == {"e-ptv-deploy", "e-ptv-strike"}
    assert ids("/api/events?entity=Ain%20al-Assad") == {"e-ptv-deploy", "e-ptv-strike"}  # by alias
    assert ids("/api/events?outlet=News%20Front") == {"e-nf-harir"}
    assert ids("/api/events?outlet=News%20Front&type=attack") == set()
    assert len(ok(client, "/api/events?limit=2").json()) == 2
    assert_error(client.get("/api/events?entity=nobody-at-all"), 404, "entity")


def test_claims_filters(client):
    ids = lambda url: [c["id"] for c in ok(client, url).json()]  # noqa: E731
    assert ids("/api/claims?article=nf") == ["c-nf-1"]
    assert ids("/api/claims?source=almaalomah") == ["c-ptv-1"]
    assert set(ids("/api/claims?named=false")) == {"c-ptv-1", "c-nf-1", "c-evil"}
    assert ids("/api/claims?named=true") == []


def test_entities(client):
    assert {e["id"] for e in ok(client, "/api/entities?type=facility").json()} == {"ent-asad"}
    e = ok(client, "/api/entities/ent-asad").json()
    assert set(e["aliases"]) == {"Ain al-Asad", "Ain al-Assad"} and e["mention_count"] == 3


def test_search_and_errors(client):
    hits = ok(client, "/api/search?q=Almaalomah").json()
    assert [h["id"] for h in hits] == ["ptv"]
    assert ok(client, "/api/search?q=AND%20OR%20*").json() == []  # FTS syntax is quoted, not run
    assert ok(client, "/api/errors").json() == []
    assert ok(client, "/api/stats").json() == {"articles": 3, "claims": 3, "events": 4, "entities": 3,
                                                "stories": 2, "errors": 0}
    assert_error(client.get("/api/search"), 422, "'q'")


# -- exports ------------------------------------------------------------------------------------

def test_export_events_csv_in_acled_layout(client):
    r = ok(client, "/api/export/events.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    head = r.text.splitlines()[0].split(",")
    assert head[:4] == ["event_id_cnty", "event_date", "year", "time_precision"]
    for col in ("event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location", "latitude",
                "longitude", "geo_precision", "source", "notes"):
        assert col in head
    strike = next(row for row in rows if row["event_id_cnty"] == "e-ptv-strike")
    assert strike["event_date"] == "2020-01-01" and strike["year"] == "2020" and strike["time_precision"] == "3"
    assert strike["country"] == "Iraq" and strike["admin1"] == "Anbar" and strike["source"] == "Press TV"
    assert strike["latitude"] == "33.7900" and strike["geo_precision"] == "1"
    assert strike["actor1"] == "Iran" and strike["actor2"] == "United States"
    assert "2020-01-01..2020-01-31" in strike["notes"]
    assert strike["fatalities"] == ""
    filtered = list(csv.DictReader(io.StringIO(ok(client, "/api/export/events.csv?type=deploy").text)))
    assert {row["event_id_cnty"] for row in filtered} == {"e-ptv-deploy", "e-nf-harir"}


def test_export_geojson_claims_articles(client):
    gj = ok(client, "/api/export/events.geojson").json()
    assert gj["type"] == "FeatureCollection"
    harir = next(f for f in gj["features"] if f["id"] == "e-nf-harir")
    assert harir["geometry"]["coordinates"] == [44.35, 36.54]
    rows = list(csv.DictReader(io.StringIO(ok(client, "/api/export/claims.csv").text)))
    ptv = next(row for row in rows if row["id"] == "c-ptv-1")
    assert ptv["chain"] == "Press TV → Almaalomah → a security source"
    assert ptv["origin_named"] == "false" and ptv["outlet"] == "Press TV"
    arts = json.loads(ok(client, "/api/export/articles.json").text)
    assert [a["id"] for a in arts] == ["ptv", "nf", "evil"]


def test_openapi_documents_the_routes(client):
    spec = ok(client, "/api/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories/{story_id}", "/api/events",
                 "/api/claims", "/api/entities/{entity_id}", "/api/search", "/api/errors",
                 "/api/export/events.csv"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "since", "until", "bbox", "entity", "outlet", "limit", "offset"} <= params


def _resolve(spec, schema):
    """A schema with its ``$ref`` followed (one level is enough to see what it is)."""
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def _is_typed(spec, schema) -> bool:
    """True when a schema says something: an object with properties, a list of such, or a choice
    of them; False for ``{}`` (Any) and for an object of anything."""
    schema = _resolve(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        return all(_is_typed(spec, s) for s in schema.get("anyOf") or schema.get("oneOf"))
    if schema.get("type") == "array":
        return _is_typed(spec, schema.get("items") or {})
    if schema.get("type") == "object":
        extra = schema.get("additionalProperties")
        return bool(schema.get("properties")) or (isinstance(extra, dict) and extra.get("type") not in (None, "object"))
    return schema.get("type") in ("string", "integer", "number", "boolean")


def test_openapi_has_a_response_schema_for_every_json_route(client):
    spec = ok(client, "/api/openapi.json").json()
    json_routes = 0
    for path, ops in spec["paths"].items():
        get = ops.get("get")
        if get is None:
            continue
        content = get["responses"]["200"]["content"]
        assert content, path
        if "application/json" not in content:  # CSV and GeoJSON declare their own media type
            assert set(content) <= {"text/csv; charset=utf-8", "application/geo+json"}, (path, content)
            continue
        json_routes += 1
        schema = content["application/json"]["schema"]
        assert _is_typed(spec, schema), (path, schema)
    assert json_routes >= 11
    story = spec["components"]["schemas"]["StoryJSON"]["properties"]
    assert {"id", "title", "article_ids", "events", "claims"} <= set(story)
    event = spec["components"]["schemas"]["EventJSON"]["properties"]
    assert {"place", "time", "trigger", "claim_ids", "article_ids", "acled_event_type"} <= set(event)
    article = spec["components"]["schemas"]["ArticleJSON"]["properties"]
    assert "original" not in article and "offsets" not in article  # private fields stay out


def test_json_routes_send_the_shapes_they_declare(client):
    """Each JSON route's body validates against its declared response model."""
    from pydantic import TypeAdapter

    from sitrep.shapes import ArticleDetailJSON, ClaimJSON, EntityJSON, EventJSON, StoryDetailJSON, StoryJSON

    checks = [("/api/articles/ptv", ArticleDetailJSON), ("/api/stories", list[StoryJSON]),
              ("/api/stories/story-1", StoryDetailJSON), ("/api/events", list[EventJSON]),
              ("/api/claims", list[ClaimJSON]), ("/api/entities", list[EntityJSON])]
    for url, shape in checks:
        body = ok(client, url).json()
        assert body, url
        TypeAdapter(shape).validate_python(body, strict=True)


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url,words", [
    ("/api/articles?limit=0", ["'limit'", "greater than or equal to 1"]),
    ("/api/articles?limit=100000", ["'limit'", "less than or equal to 500"]),
    ("/api/events?offset=-1", ["'offset'"]),
    ("/api/claims?limit=abc", ["'limit'", "integer"]),
    ("/api/stories?limit=501", ["'limit'"]),
    ("/api/entities?offset=-5", ["'offset'"]),
    ("/api/errors?limit=0", ["'limit'"]),
    ("/api/search?q=x&limit=0", ["'limit'"]),
    ("/api/events?bbox=1,2,3", ["'bbox'", "four numbers"]),
    ("/api/events?bbox=a,b,c,d", ["'bbox'", "numbers"]),
    ("/api/events?bbox=40,0,30,10", ["'bbox'", "south"]),
    ("/api/events?bbox=0,0,95,10", ["'bbox'", "latitude"]),
    ("/api/events?since=yesterday", ["'since'", "YYYY-MM-DD"]),
    ("/api/events?until=2020-13-01", ["'until'"]),
    ("/api/export/events.csv?since=soon", ["'since'"]),
    ("/api/claims?named=perhaps", ["'named'"]),
])
def test_bad_parameters_give_clear_422(client, url, words):
    assert_error(client.get(url), 422, *words)


@pytest.mark.parametrize("url", ["/api/articles/nope", "/api/stories/nope", "/api/entities/nope", "/api/nope"])
def test_unknown_ids_give_404(client, url):
    assert_error(client.get(url), 404, "nope")


def test_size_limits(client):
    assert_error(client.get("/api/articles?outlet=" + "x" * 5000), 414, "query string")
    assert_error(client.post("/api/articles", content=b"x" * (1024 * 1024 + 1)), 413, "body")
    assert_error(client.post("/api/articles", content=b"{}"), 405, "POST")


def test_unknown_page_is_html_404(client):
    r = client.get("/stories/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "nope" in r.text


# -- headers and hostile text -------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/api/articles", "/stories/story-1", "/articles/ptv", "/entities/ent-asad",
                                 "/api/nope", "/static/sitrep.css"])
def test_security_headers_everywhere(client, url):
    h = client.get(url).headers
    assert h["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"


HOSTILE_PAGES = ["/", "/?q=alert", "/?q=officials", "/stories/story-evil", "/articles/evil",
                 "/articles/evil?hl=0-10", "/entities/ent-evil", "/stories/" + "%3Cscript%3Ex"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_hostile_text_is_escaped_on_every_page(client, url):
    html = client.get(url).text
    assert SCRIPT not in html and IMG not in html
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "<b>Bad" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "%3Cscript%3E" in html or "&lt;script&gt;x" in html
    # no inline script or style: every <script> has a src, no style attributes
    assert "<script>" not in html and "style=" not in html


def test_hostile_url_is_text_not_link(client):
    html = ok(client, "/articles/evil").text
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)//&lt;script&gt;" in html  # shown as text
    assert 'href="https://www.presstv.example/Detail/2020/03/29/1"' in ok(client, "/articles/ptv").text


# -- pages --------------------------------------------------------------------------------------

def test_index_lists_stories_and_filters(client):
    html = ok(client, "/").text
    assert "US reinforces Ain al-Asad" in html and 'href="/stories/story-1"' in html
    assert "US reinforces" not in ok(client, "/?outlet=Nobody").text
    assert "US reinforces" in ok(client, "/?q=Almaalomah").text  # via full-text hit on its article
    assert "US reinforces" not in ok(client, "/?until=2019-12-31").text
    assert_error_html = client.get("/?since=tomorrow")
    assert assert_error_html.status_code == 422 and "since" in assert_error_html.text


def test_dossier_page_has_claim_table_with_chain_and_links(client):
    html = ok(client, "/stories/story-1").text
    assert 'id="map"' in html and 'id="timeline"' in html and 'data-story-id="story-1"' in html
    text = " ".join(html.split())
    assert ('<span class="hop hop-outlet">Press TV</span><span class="arrow"> → </span>'
            '<span class="hop hop-publication">Almaalomah</span><span class="arrow"> → </span>'
            '<span class="hop hop-anonymous">a security source</span>') in text
    start = PTV_BODY.index("planes carrying")
    end = start + len("planes carrying American soldiers had landed at the base")
    assert f'href="/articles/ptv?hl={start}-{end}#hl"' in html
    assert "contradicted by:" in html and "anonymous" in html
    assert "/static/vendor/leaflet.js" in html and "/static/dossier.js" in html


def test_article_page_highlights_span_and_strikes_boilerplate(client):
    start = PTV_BODY.index("planes carrying")
    end = start + len("planes carrying American soldiers had landed at the base")
    html = ok(client, f"/articles/ptv?hl={start}-{end}").text
    marked = re.search(r'<mark class="hl" id="hl">(.*?)</mark>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", marked) == "planes carrying American soldiers had landed at the base"
    assert html.count('id="hl"') == 1
    assert '<span class="seg removed" ' in html and "SHARE THIS ARTICLE" in html
    assert 'title="removed: footer"' in html and 'title="removed: breadcrumb"' in html
    assert 'class="caption-apart"' in html and "(Photo by AFP)" in html
    assert '<a href="/entities/ent-asad" class="seg body mention"' in html
    # a malformed highlight is ignored, not an error
    assert 'id="hl"' not in ok(client, "/articles/ptv?hl=20-10").text
    assert 'id="hl"' not in ok(client, "/articles/ptv?hl=abc").text


def test_entity_page_lists_aliases_mentions_events(client):
    html = ok(client, "/entities/ent-asad").text
    assert "Ain al-Assad" in html and html.count('class="span-link') >= 3 + 2
    assert "attack: Iran → United States" in html


# -- the response cache -------------------------------------------------------------------------

@pytest.fixture
def fresh(tmp_path):
    """A client over its own store (cache on), and the path so a second writer can change it."""
    db = tmp_path / "cached.sqlite"
    build_seedlike_db(db).close()
    with TestClient(create_app(str(db), cache_bytes=8 * 1024 * 1024)) as c:
        yield c, db


def test_second_get_is_served_from_cache_with_etag_and_security_headers(fresh):
    client, _ = fresh
    for url in ("/api/stories", "/stories/story-1", "/api/export/events.csv", "/?q=Almaalomah"):
        first, second = ok(client, url), ok(client, url)
        assert first.headers["x-sitrep-cache"] == "miss" and second.headers["x-sitrep-cache"] == "hit", url
        assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
        assert second.headers["content-type"] == first.headers["content-type"]
        assert second.headers["content-security-policy"] == CSP
        assert second.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in client.get("/api/export/events.csv").headers["content-disposition"]
    # a different query string is a different entry
    assert ok(client, "/api/stories?limit=1").headers["x-sitrep-cache"] == "miss"


def test_if_none_match_gets_304_without_body(fresh):
    client, _ = fresh
    etag = ok(client, "/api/stories/story-1").headers["etag"]
    r = client.get("/api/stories/story-1", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    assert r.headers["content-security-policy"] == CSP
    assert client.get("/api/stories/story-1", headers={"If-None-Match": f'W/{etag}, "x"'}).status_code == 304
    assert client.get("/api/stories/story-1", headers={"If-None-Match": '"other"'}).status_code == 200


def test_errors_are_not_cached(fresh):
    client, _ = fresh
    for _ in range(2):
        r = client.get("/api/stories/nope")
        assert r.status_code == 404 and "x-sitrep-cache" not in r.headers
    assert client.get("/api/events?bbox=1,2,3").status_code == 422


def test_cache_is_dropped_when_new_data_is_ingested(fresh):
    from sitrep.model import Story
    from sitrep.store.sqlite import SQLiteRepository

    client, db = fresh
    before = ok(client, "/api/stories").json()
    assert ok(client, "/api/stories").headers["x-sitrep-cache"] == "hit"
    assert ok(client, "/api/stats").json()["stories"] == 2
    assert "story-new" not in ok(client, "/").text
    # another process's ingest: its own connection, one committed batch
    writer = SQLiteRepository(db)
    with writer.transaction():
        writer.save_story(Story("story-new", "Fresh convoy report", ["nf"], outlets=["News Front"]))
    writer.close()
    r = ok(client, "/api/stories")
    assert r.headers["x-sitrep-cache"] == "miss"
    assert {s["id"] for s in r.json()} == {s["id"] for s in before} | {"story-new"}
    assert ok(client, "/api/stats").json()["stories"] == 3
    assert 'href="/stories/story-new"' in ok(client, "/").text
    assert ok(client, "/api/stories").headers["x-sitrep-cache"] == "hit"


def test_cache_off_serves_every_request_fresh(tmp_path):
    db = tmp_path / "nocache.sqlite"
    build_seedlike_db(db).close()
    with TestClient(create_app(str(db), cache_bytes=0)) as c:
        r = ok(c, "/api/stories")
        assert "x-sitrep-cache" not in r.headers and "etag" not in r.headers
        assert r.json() == ok(c, "/api/stories").json()


def test_response_cache_evicts_least_recently_used_by_bytes():
    from sitrep.api.cache import CachedResponse, ResponseCache

    def entry(n: int) -> CachedResponse:
        return CachedResponse(200, [(b"content-type", b"text/plain")], b"x" * n, b'"e"')

    cache = ResponseCache(max_bytes=1000, max_entry=600)
    cache.sync("r1")
    size = entry(300).size
    assert cache.put("a", entry(300), "r1") and cache.put("b", entry(300), "r1")
    assert cache.get("a") is not None  # a is now the most recently used
    assert cache.put("c", entry(300), "r1")  # 3 entries no longer fit: b goes
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.bytes == 2 * size <= cache.max_bytes
    assert not cache.put("big", entry(700), "r1")  # over the per-entry bound
    assert not cache.put("stale", entry(10), "r0")  # built at an older revision
    cache.sync("r2")
    assert len(cache) == 0 and cache.bytes == 0


def test_concurrent_misses_build_once():
    import asyncio

    from sitrep.api.cache import ResponseCache, ResponseCacheMiddleware

    calls = []

    async def slow_app(scope, receive, send):
        calls.append(scope["path"])
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"hello"})

    mw = ResponseCacheMiddleware(slow_app, ResponseCache(1 << 20), revision=lambda: "r")

    async def get() -> list[dict]:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/api/stories", "query_string": b"", "headers": []}
        await mw(scope, None, send)
        return sent

    async def burst():
        return await asyncio.gather(*(get() for _ in range(8)))

    results = asyncio.run(burst())
    assert calls == ["/api/stories"]
    assert all(r[1]["body"] == b"hello" and r[0]["status"] == 200 for r in results)


# -- batched store reads (both backends) --------------------------------------------------------

def _tiny_article(aid: str, outlet: str, n_claims: int):
    from sitrep.model import Article, Claim, Cue, Event, OffsetMap, SourceHop

    text = " ".join(f"word{i} said" for i in range(20))
    art = Article(id=aid, source_path=f"t/{aid}", text=text, original=text, offsets=OffsetMap([(0, 0, len(text))]),
                  title=f"title {aid}", outlet=outlet, content_hash=aid)
    art.claims = [Claim(f"{aid}-c{i}", aid, "x", 10 * (n_claims - i), 10 * (n_claims - i) + 3,
                        chain=[SourceHop(outlet, "outlet")]) for i in range(n_claims)]
    art.events = [Event(f"{aid}-e{i}", aid, "attack", Cue("said", 5, 9)) for i in range(2)]
    return art


def test_batched_reads_match_one_by_one(any_repo):
    repo = any_repo
    arts = [_tiny_article("b2", "Beta", 3), _tiny_article("a1", "Alpha", 2), _tiny_article("c3", "alpha", 1)]
    with repo.transaction():
        for a in arts:
            repo.add_article(a)
            repo.save_derived(a)
    order = ["c3", "b2", "missing", "a1"]
    assert [a.id for a in repo.get_articles(order)] == ["c3", "b2", "a1"]
    assert repo.get_articles(["a1"]) == [repo.get_article("a1")]
    one_by_one = [c for a in order for c in repo.list_claims(article_id=a, limit=500)]
    assert repo.claims_of_articles(order) == one_by_one and len(one_by_one) == 6
    assert repo.events_of_articles(order) == [e for a in order for e in repo.list_events(article_id=a, limit=500)]
    assert repo.outlets_of(order) == {"c3": "alpha", "b2": "Beta", "a1": "Alpha"}
    assert {e.article_id for e in repo.list_events(outlet="ALPHA", limit=500)} == {"a1", "c3"}
    assert repo.get_articles([]) == [] and repo.claims_of_articles([]) == []


def test_revision_moves_on_commit_and_holds_while_reading(any_repo):
    repo = any_repo
    before = repo.revision()
    repo.list_articles()
    repo.count("stories")
    assert repo.revision() == before
    with repo.transaction():
        repo.add_article(_tiny_article("r1", "Alpha", 1))
    assert repo.revision() != before


def test_spliced_dossier_json_equals_the_parsed_one(client):
    from sitrep.views.queries import story_detail, story_detail_from_records, story_detail_json

    repo = client.app.state.repo
    for sid in ("story-1", "story-evil"):
        assert json.loads(story_detail_json(repo, sid)) == story_detail_from_records(repo, sid)
        assert story_detail(repo, sid) == story_detail_from_records(repo, sid)
    assert story_detail_json(repo, "nope") is None and story_detail(repo, "nope") is None


def test_cached_text_is_sent_gzipped_to_clients_that_accept_it(fresh):
    client, _ = fresh
    plain = client.get("/api/export/events.csv", headers={"Accept-Encoding": "identity"})
    packed = client.get("/api/export/events.csv", headers={"Accept-Encoding": "gzip"})
    refused = client.get("/api/export/events.csv", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["vary"] == "accept-encoding"
    assert packed.content == plain.content  # httpx undoes the gzip
    assert int(packed.headers["content-length"]) < len(plain.content) == int(plain.headers["content-length"])
    assert packed.headers["etag"] != plain.headers["etag"]
    assert packed.headers["content-security-policy"] == CSP
    # either representation's tag revalidates
    assert client.get("/api/export/events.csv", headers={"If-None-Match": plain.headers["etag"],
                                                         "Accept-Encoding": "gzip"}).status_code == 304


def test_story_list_summary_view_drops_groups_but_keeps_counts(client):
    full = {s["id"]: s for s in ok(client, "/api/stories").json()}
    summary = ok(client, "/api/stories?view=summary").json()
    assert [s["id"] for s in summary] == list(full)
    one = next(s for s in summary if s["id"] == "story-1")
    assert "events" not in one and "claims" not in one
    assert one["event_count"] == 3 and one["claim_count"] == 2
    assert one["article_ids"] == full["story-1"]["article_ids"] and one["title"] == full["story-1"]["title"]
    assert_error(client.get("/api/stories?view=tiny"), 422, "'view'")


def test_worker_factory_opens_the_store_named_in_the_environment(tmp_path, monkeypatch):
    from sitrep.api import SERVE_DB_ENV, app_from_env

    db = tmp_path / "worker.sqlite"
    build_seedlike_db(db).close()
    monkeypatch.setenv(SERVE_DB_ENV, str(db))
    with TestClient(app_from_env()) as c:
        assert ok(c, "/api/stats").json()["stories"] == 2


# -- reads answered by the store agree with the Python filtering they replaced -------------------

@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """A client (cache off) over a store with stories, entities and events drawn to tell filters apart."""
    from reads_reference import build_read_store

    from sitrep.store.sqlite import SQLiteRepository

    db = tmp_path_factory.mktemp("reads") / "store.sqlite"
    repo = SQLiteRepository(db)
    build_read_store(repo)
    with TestClient(create_app(str(db), cache_bytes=0)) as c:
        yield c, repo
    repo.close()


@pytest.mark.parametrize("query", [
    "", "outlet=press+tv", "outlet=Stra%C3%9Fe+Zeitung", "outlet=nobody", "since=2020-01-20", "until=2020-01-20",
    "q=baghdad", "q=STRASSE", "q=strike", "q=e&limit=2&offset=1", "q=zzz", "limit=3&offset=3", "offset=50",
])
def test_home_page_lists_what_the_python_filter_listed(varied, query):
    from urllib.parse import parse_qs

    from markupsafe import escape
    from reads_reference import story_matches

    client, repo = varied
    p = {k: v[0] for k, v in parse_qs(query).items()}
    limit, offset = int(p.get("limit", 50)), int(p.get("offset", 0))
    hits = {h.id for h in repo.search(p["q"], limit=100)} if p.get("q") else set()
    want = [s for s in (s.to_json() for s in repo.list_stories(limit=10_000))
            if story_matches(s, p.get("outlet"), p.get("since"), p.get("until"), hits, p.get("q"))]
    html = ok(client, "/?" + query + "&sort=size").text  # the order list_stories gives (not the default)
    assert re.findall(r'href="/stories/([^"]+)"', html) == [s["id"] for s in want[offset: offset + limit]]
    if want[offset: offset + limit]:
        assert f"{len(want)} stor" in html
    every = {str(o) for s in repo.list_stories(limit=10_000) for o in s.outlets}
    outlet_select = re.search(r'<select name="outlet">.*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]+)"', outlet_select) == [str(escape(o)) for o in sorted(every)]


def test_entity_reads_answer_what_the_scans_answered(varied):
    from urllib.parse import quote

    from reads_reference import events_of_entity_by_scan, find_entity_by_scan, list_entities_one_by_one

    client, repo = varied
    def as_json(records):
        return [r.to_json() for r in records]

    assert ok(client, "/api/entities?limit=500").json() == as_json(list_entities_one_by_one(repo, limit=500))
    assert ok(client, "/api/entities?type=org&limit=2&offset=1").json() == \
        as_json(list_entities_one_by_one(repo, type="org", limit=2, offset=1))
    for key in ("E1", "straße", "STRASSE", " erbil ", "al-mawsil", "Mosul"):
        entity = find_entity_by_scan(repo, key)
        got = ok(client, "/api/events?limit=500&entity=" + quote(key)).json()
        assert got == as_json(events_of_entity_by_scan(repo, entity)), key
        html = ok(client, f"/entities/{entity.id}").text
        listed = html.split('class="entity-events"')[1].split("</ul>")[0].count("<li>") if got else 0
        assert listed == len(got) and (got or "No events name this entity." in html)
    assert_error(client.get("/api/events?entity=nobody+at+all"), 404, "entity")


# -- the dossier a page at a time ---------------------------------------------------------------

def test_dossier_pages_claim_groups_and_event_rows(tmp_path):
    from sitrep.model import ClaimGroup, Story
    from sitrep.web.pages import DOSSIER_PAGE

    db = tmp_path / "big.sqlite"
    repo = build_seedlike_db(db)
    story = repo.get_story("story-1")
    n_claims, n_events = DOSSIER_PAGE * 2 + 50, DOSSIER_PAGE + 7
    groups = [ClaimGroup(f"g{i:03d}", ["c-ptv-1"], f"claim number {i:03d}", 1, ["Press TV"], 1, ["x"], False)
              for i in range(n_claims)]
    events = [story.events[0]] * n_events
    repo.save_story(Story("big", "Big", ["ptv"], claims=groups, events=events))
    repo.close()
    with TestClient(create_app(str(db), cache_bytes=0)) as client:
        first = ok(client, "/stories/big").text
        assert first.count('class="claim-row"') == DOSSIER_PAGE and first.count('class="event-row"') == DOSSIER_PAGE
        assert f"Claims 1–{DOSSIER_PAGE} of {n_claims}." in first and f"of {n_events}." in first
        assert "claim number 000" in first and f"claim number {DOSSIER_PAGE:03d}" not in first
        # each pager moves its own rows and keeps the other's place
        nexts = re.findall(r'<a class="next" href="\?([^"]+)#(claims|events)"', first)
        assert [kind for _, kind in nexts] == ["claims", "events"]
        last = ok(client, f"/stories/big?claims_from={DOSSIER_PAGE * 2}&events_from={DOSSIER_PAGE}").text
        assert last.count('class="claim-row"') == 50 and last.count('class="event-row"') == n_events - DOSSIER_PAGE
        assert f"claim number {n_claims - 1:03d}" in last and '<a class="next"' not in last
        assert "pager" not in ok(client, "/stories/story-1").text  # a small dossier shows no pager
        assert client.get("/stories/big?claims_from=-1").status_code == 422
