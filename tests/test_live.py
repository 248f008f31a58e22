"""``sitrep serve`` live: /api/updates tells a page how many reports arrived since it was drawn
(while a watch in another connection stores them), and /sources with /api/sources show each
watched source's health from the crawl state, escaped."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from sitrep.api import create_app
from sitrep.api.live import SourceHealthJSON, UpdatesJSON
from sitrep.store.sqlite import SQLiteRepository
from sitrep.watch.health import items_per_day, source_health
from sitrep.watch.run import Watcher
from sitrep.watch.state import CrawlState

from test_watch import HTML, client, light_pipeline, rss, serve_pages, site  # noqa: F401 (the fixture)

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_items_per_day_counts_over_the_watched_time():
    now = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)
    stamp = lambda d: (now - d).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    assert items_per_day(30, stamp(timedelta(hours=1)), now) == 30.0  # an hour in: at least a day
    assert items_per_day(30, stamp(timedelta(days=3)), now) == 10.0
    assert items_per_day(70, stamp(timedelta(days=6, hours=23)), now) == 10.1
    assert items_per_day(0, None, now) == 0.0 and items_per_day(5, "junk", now) == 0.0


def test_updates_sources_and_the_sources_page(site, tmp_path):  # noqa: F811
    db = tmp_path / "live.sqlite"
    watch_repo = SQLiteRepository(db)
    serve_pages(site, "alder", "birch")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/alder", "/news/birch", "/gone"]))
    site.routes["/broken.xml"] = (200, {"Content-Type": "text/xml"}, b"<rss><channel><item>")
    watcher = Watcher(light_pipeline(watch_repo), client())
    watcher.run_once([site.base + "/feed.xml", site.base + "/broken.xml"])
    CrawlState(watch_repo).source_checked("javascript:alert(3)", error=HOSTILE)

    with TestClient(create_app(str(db))) as http:
        base = http.get("/api/updates").json()
        assert base == {"latest": 2, "new_articles": 0}
        assert http.get("/api/updates?after=2").json()["new_articles"] == 0
        unchanged = http.get("/api/updates?after=2")
        assert http.get("/api/updates?after=2", headers={"If-None-Match": unchanged.headers["etag"]}).status_code == 304

        # a watch pass in another connection stores a report: the next poll says so
        serve_pages(site, "cedar")
        site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"},
                                    rss(site.base, ["/news/alder", "/news/birch", "/news/cedar"]))
        watcher.run_once([site.base + "/feed.xml"])
        assert http.get("/api/updates?after=2").json() == {"latest": 3, "new_articles": 1}
        assert http.get("/api/updates?after=-1").status_code == 422

        listed = http.get("/api/sources").json()
        TypeAdapter(list[SourceHealthJSON]).validate_python(listed, strict=True)  # the shape it declares
        TypeAdapter(UpdatesJSON).validate_python(http.get("/api/updates").json(), strict=True)
        sources = {s["url"]: s for s in listed}
        feed, broken = sources[site.base + "/feed.xml"], sources[site.base + "/broken.xml"]
        assert feed["state"] == "ok" and feed["items"] == 3 and feed["failed_pages"] == 1 and feed["failures"] == 0
        assert feed["items_per_day"] == 3.0 and feed["last_success"]
        assert broken["state"] == "failing" and broken["failures"] == 1 and broken["last_success"] is None
        assert "parse" in broken["last_error"] or "feed" in broken["last_error"]
        assert list(sources)[0] in ("javascript:alert(3)", site.base + "/broken.xml")  # failing ones first

        page = http.get("/sources")
        assert page.status_code == 200
        html = page.text
        assert "<script>alert(2)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
        assert 'href="javascript:' not in html
        assert f'href="{site.base}/feed.xml"' in html and 'class="source-row state-failing"' in html
        assert "/static/live.js" in http.get("/").text and 'id="live-updates"' in html
        js = http.get("/static/live.js").text
        assert "/api/updates" in js and "innerHTML" not in js
    watch_repo.close()


def test_sources_page_without_a_watch(tmp_path):
    db = tmp_path / "empty.sqlite"
    SQLiteRepository(db).close()
    with TestClient(create_app(str(db))) as http:
        assert http.get("/api/sources").json() == []
        assert "No watched sources" in http.get("/sources").text
        assert http.get("/api/updates").json() == {"latest": 0, "new_articles": 0}


def test_source_health_orders_failing_first(tmp_path):
    repo = SQLiteRepository(tmp_path / "h.sqlite")
    state = CrawlState(repo)
    state.source_checked("https://b.example/feed")
    state.source_checked("https://a.example/feed")
    state.source_checked("https://c.example/feed", error="timeout: no answer within 20 s")
    state.source_checked("https://c.example/feed", error="timeout: no answer within 20 s")
    state.page_fetched("https://a.example/1", "https://a.example/feed", "fetched", 200, b"x")
    health = source_health(repo)
    assert [(h.url, h.state, h.failures, h.items) for h in health] == [
        ("https://c.example/feed", "failing", 2, 0), ("https://a.example/feed", "ok", 0, 1),
        ("https://b.example/feed", "ok", 0, 0)]
    repo.close()
