"""``sitrep watch`` against a local HTTP server on 127.0.0.1 started here: feeds (RSS, Atom,
JSON Feed), sitemaps, OPML, robots.txt, pages, a 429 with Retry-After, a redirect loop, an oversized
page and malformed XML. NLP stages are left out (their own tests cover them) so this runs in seconds.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.engines import make_engine
from sitrep.pipeline import Pipeline
from sitrep.watch.fetch import PoliteClient, retry_after, user_agent
from sitrep.watch.run import Watcher
from sitrep.watch.sources import read_listing
from sitrep.watch.state import CrawlState
from sitrep.watch.urls import canonical

BODY = ("<p>Officials in the northern province said on Tuesday that the river crossing at {name} had "
        "reopened after three days of repairs, and that traffic was moving again in both directions.</p>"
        "<p>A spokesman for the transport ministry told reporters the bridge at {name} would be "
        "inspected again next week before heavy lorries were allowed to use it.</p>")


def page(name: str) -> bytes:
    return (f"<html><head><title>Crossing at {name} reopens</title></head><body><article>"
            f"<h1>Crossing at {name} reopens</h1>{BODY.format(name=name)}</article></body></html>").encode()


class Site:
    """Routes → (status, headers, body); every request is logged with its headers."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            with state.lock:
                state.log.append((self.path, dict(self.headers)))
            status, headers, body = state.routes.get(self.path, (404, {}, b"not found"))
            if callable(body):
                status, headers, body = body(self)
            if status == 200 and "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client that gave up (timeout, size cap) leaves a broken pipe: expected here

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    state.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    yield state
    server.shutdown()
    server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {p}</title><link>{base}{p}?utm_source=feed</link>"
                    f"<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Courier</title>{items}'
            "</channel></rss>").encode()


def serve_pages(site: Site, *names: str) -> None:
    for name in names:
        site.routes[f"/news/{name}"] = (200, HTML, page(name))


def light_pipeline(repo) -> Pipeline:
    return Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False)


def client(**kw) -> PoliteClient:
    kw.setdefault("delay", 0.0)
    kw.setdefault("timeout", 5.0)
    return PoliteClient(contact="ops@example.org", **kw)


@pytest.fixture
def repo(any_repo):
    return any_repo


def test_feed_pages_stored_once_and_feed_fetched_conditionally(site, repo):
    serve_pages(site, "alder", "birch")
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'},
                                rss(site.base, ["/news/alder", "/news/birch"]))
    watcher = Watcher(light_pipeline(repo), client())
    first = watcher.run_once([site.base + "/feed.xml"])
    assert first.ingest.stored == 2 and first.pages_fetched == 2, first.to_json()
    urls = sorted(a.url for a in repo.list_articles(limit=100))
    assert urls == [site.base + "/news/alder", site.base + "/news/birch"]  # tracking parameter dropped
    article = next(a for a in repo.list_articles(limit=100) if a.url.endswith("alder"))
    # what the feed says wins over the page (as in the feed reader); the text is the page's body
    assert article.outlet == "Valley Courier" and article.title == "Item /news/alder"
    assert "river crossing at alder had reopened" in article.text

    second = watcher.run_once([site.base + "/feed.xml"])
    assert second.not_modified == 1 and second.pages_fetched == 0
    assert site.hits("/news/alder") == 1
    feed_requests = [h for p, h in site.log if p == "/feed.xml"]
    assert feed_requests[-1].get("If-None-Match") == '"v1"'
    assert all("sitrep/" in h["User-Agent"] and "ops@example.org" in h["User-Agent"] for _, h in site.log)


def test_new_watcher_resumes_from_the_store(site, repo):
    """State lives in the store: a fresh process (a killed watch restarted) fetches no page twice."""
    serve_pages(site, "cedar")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/cedar"]))
    Watcher(light_pipeline(repo), client()).run_once([site.base + "/feed.xml"])
    serve_pages(site, "dogwood")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/cedar", "/news/dogwood"]))
    again = Watcher(light_pipeline(repo), client()).run_once([site.base + "/feed.xml"])
    assert again.ingest.stored == 1 and again.pages_known == 1
    assert site.hits("/news/cedar") == 1 and site.hits("/news/dogwood") == 1
    assert CrawlState(repo).source(site.base + "/feed.xml").last_success is not None


def test_a_pass_killed_midway_resumes_without_loss_or_duplicate(site, repo, monkeypatch):
    """Killed after the first page is stored (batch size 1): the next watcher fetches only the rest."""
    serve_pages(site, "rowan", "spruce", "teak")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml", "ETag": '"e"'},
                                rss(site.base, ["/news/rowan", "/news/spruce", "/news/teak"]))
    original = Watcher._page
    calls = {"n": 0}

    def dying(self, item, source, report):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("killed")
        yield from original(self, item, source, report)

    monkeypatch.setattr(Watcher, "_page", dying)
    pipeline = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False,
                        batch_size=1)
    with pytest.raises(SystemExit):
        Watcher(pipeline, client()).run_once([site.base + "/feed.xml"])
    monkeypatch.setattr(Watcher, "_page", original)
    stored_before = repo.count_articles()
    assert 1 <= stored_before <= 2
    # the killed pass never saved the feed's validators, so the next one reads the feed again
    assert CrawlState(repo).source(site.base + "/feed.xml").etag is None
    again = Watcher(light_pipeline(repo), client()).run_once([site.base + "/feed.xml"])
    assert repo.count_articles() == 3 and again.ingest.duplicates == 0
    assert site.hits("/news/rowan") == 1 and site.hits("/news/teak") == 1
    assert site.hits("/news/spruce") <= 2  # fetched, maybe not yet stored when the pass died


def test_atom_json_feed_sitemap_index_and_opml(site, repo, tmp_path):
    serve_pages(site, "elm", "fir", "gum", "hazel")
    site.routes["/atom"] = (200, {"Content-Type": "text/html"},  # a wrong content type: read by content
                            (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><entry><title>E</title>'
                             f'<link href="{site.base}/news/elm"/><id>e1</id><updated>2026-12-01T10:00:00Z</updated></entry></feed>').encode())
    site.routes["/feed.json"] = (200, {"Content-Type": "application/feed+json"}, json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Wire",
         "items": [{"id": "1", "url": f"{site.base}/news/fir", "title": "Fir"}]}).encode())
    site.routes["/sitemap-news.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f'<url><loc>{site.base}/news/gum</loc><news:news><news:publication><news:name>Gum Daily</news:name>'
        '</news:publication><news:publication_date>2026-12-01</news:publication_date><news:title>Gum</news:title>'
        f'</news:news></url><url><loc>{site.base}/private/secret</loc></url></urlset>').encode())
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<sitemap><loc>{site.base}/sitemap-news.xml</loc></sitemap></sitemapindex>').encode())
    site.routes["/private/secret"] = (200, HTML, page("secret"))
    site.routes["/feeds.opml"] = (200, {"Content-Type": "text/x-opml"}, (
        f'<opml version="2.0"><body><outline text="folder"><outline type="rss" xmlUrl="{site.base}/feed.json"/>'
        '</outline></body></opml>').encode())
    local_opml = tmp_path / "subs.opml"
    local_opml.write_text(f'<opml version="1.0"><body><outline xmlUrl="{site.base}/atom"/></body></opml>')
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "hazel.html").write_bytes(page("hazel"))

    report = Watcher(light_pipeline(repo), client()).run_once(
        [site.base + "/sitemap.xml", site.base + "/feeds.opml", str(local_opml), str(folder)])
    stored = {a.url or a.source_path for a in repo.list_articles(limit=100)}
    assert {site.base + "/news/elm", site.base + "/news/fir", site.base + "/news/gum"} <= stored
    assert any(s.endswith("hazel.html") for s in stored)
    assert report.ingest.stored == 4, report.to_json()
    assert site.hits("/private/secret") == 0  # robots.txt disallows it
    gum = next(a for a in repo.list_articles(limit=100) if a.url == site.base + "/news/gum")
    assert gum.outlet == "Gum Daily"
    assert CrawlState(repo).page_status(site.base + "/private/secret") == "robots"


def test_front_page_article_links_are_followed(site, repo):
    serve_pages(site, "poplar-bridge-reopens")
    site.routes["/"] = (200, HTML, (
        '<html><body><nav><a href="/about">About</a><a href="/tag/bridges">Bridges</a></nav>'
        '<a href="/news/poplar-bridge-reopens?utm_medium=home">Poplar</a>'
        '<a href="https://elsewhere.example/news/x-y">Elsewhere</a></body></html>').encode())
    report = Watcher(light_pipeline(repo), client()).run_once([site.base + "/"])
    assert report.ingest.stored == 1 and report.pages_fetched == 1, report.to_json()
    assert site.hits("/about") == 0 and site.hits("/tag/bridges") == 0
    assert [a.url for a in repo.list_articles()] == [site.base + "/news/poplar-bridge-reopens"]


def test_archive_writes_rotating_warcs_that_ingest_reads_back(site, repo, tmp_path):
    from sitrep.ingest import iter_documents
    from sitrep.model import RawDocument
    from sitrep.watch.archive import WarcArchive

    serve_pages(site, "umbrella-pine", "vine-maple")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"},
                                rss(site.base, ["/news/umbrella-pine", "/news/vine-maple"]))
    archive = WarcArchive(tmp_path / "warc", max_file_bytes=1)  # rotate after every record
    Watcher(light_pipeline(repo), client(), archive=archive).run_once([site.base + "/feed.xml"])
    archive.close()
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(files) == 2
    state = CrawlState(repo)
    where = state.page_warc(site.base + "/news/umbrella-pine")
    assert where is not None and where[0] in {f.name for f in files} and where[1].startswith("<urn:uuid:")
    docs = [d for d in iter_documents([tmp_path / "warc"]) if isinstance(d, RawDocument)]
    assert {d.url for d in docs} == {site.base + "/news/umbrella-pine", site.base + "/news/vine-maple"}
    assert where[1] in {d.record_key for d in docs}  # the record id is the WARC reader's record key
    assert any("umbrella-pine had reopened" in d.text for d in docs)


def test_malformed_xml_oversized_page_redirect_loop_and_404(site, repo):
    site.routes["/broken.xml"] = (200, {"Content-Type": "application/xml"}, b"<rss><channel><item><title>x</ite")
    site.routes["/big"] = (200, HTML, b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>")
    site.routes["/loop-a"] = (302, {"Location": "/loop-b"}, b"")
    site.routes["/loop-b"] = (302, {"Location": "/loop-a"}, b"")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/big", "/loop-a", "/gone"]))
    watcher = Watcher(light_pipeline(repo), client(max_bytes=100_000, max_redirects=3))
    report = watcher.run_once([site.base + "/broken.xml", site.base + "/feed.xml"])
    kinds = {e.source_path.rsplit("/", 1)[-1]: (e.kind, e.message) for e in report.ingest.errors}
    assert kinds["broken.xml"][0] == "fetch"
    assert kinds["big"][0] == "too_large"
    assert "redirects" in kinds["loop-a"][1]
    assert "404" in kinds["gone"][1]
    assert site.hits("/loop-a") + site.hits("/loop-b") == 4  # the first request and 3 redirects
    state = CrawlState(repo)
    assert state.source(site.base + "/broken.xml").failures == 1
    assert state.page_status(site.base + "/big") == "too_large" and state.page_status(site.base + "/gone") == "gone"
    watcher.run_once([site.base + "/feed.xml"])
    assert site.hits("/big") == 1 and site.hits("/gone") == 1  # given up for good
    assert site.hits("/loop-a") == 4  # a redirect loop may be fixed: tried again next pass


def test_429_retry_after_is_obeyed(site):
    calls = {"n": 0}

    def busy(_handler):
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "7"}, b"slow down"
        return 200, HTML, page("ivy")

    site.routes["/news/ivy"] = (200, {}, busy)  # type: ignore[assignment]
    slept: list[float] = []
    got = client(sleep=slept.append).get(site.base + "/news/ivy")
    assert got.ok and b"ivy" in got.body
    assert 7.0 in slept


def test_503_without_retry_after_gives_up_after_retries(site):
    site.routes["/down"] = (503, {}, b"")
    slept: list[float] = []
    got = client(sleep=slept.append, max_retries=2).get(site.base + "/down")
    assert got.error == "http" and got.status == 503
    assert site.hits("/down") == 3 and len([s for s in slept if s >= 1.0]) == 2


def test_retry_after_longer_than_max_wait_is_not_slept(site):
    site.routes["/later"] = (429, {"Retry-After": "3600"}, b"")
    slept: list[float] = []
    got = client(sleep=slept.append, max_wait=60).get(site.base + "/later")
    assert got.error == "http" and site.hits("/later") == 1 and not [s for s in slept if s > 60]


def test_minimum_delay_between_requests_to_one_host(site):
    serve_pages(site, "juniper", "kapok")
    slept: list[float] = []
    polite = client(delay=5.0, sleep=slept.append)
    polite.get(site.base + "/news/juniper")
    polite.get(site.base + "/news/kapok")
    assert len(slept) == 2 and all(4.0 < s <= 5.0 for s in slept)  # after robots.txt, and between pages


def test_gzip_is_decoded_and_the_cap_counts_decoded_bytes(site):
    import gzip

    site.routes["/news/zipped"] = (200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(page("oak")))
    site.routes["/bomb"] = (200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(b"<p>" + b"a" * 2_000_000))
    got = client().get(site.base + "/news/zipped")
    assert got.ok and b"Crossing at oak" in got.body
    assert site.log[-1][1]["Accept-Encoding"].startswith("gzip")
    bomb = client(max_bytes=100_000).get(site.base + "/bomb")  # ~2 kB on the wire, 2 MB decoded
    assert bomb.error == "too_large"


def test_slow_host_times_out_and_a_pdf_is_not_read_as_html(site, repo):
    import time as clock

    def slow(_handler):
        clock.sleep(1.5)
        return 200, HTML, page("walnut")

    site.routes["/news/slow"] = (200, {}, slow)  # type: ignore[assignment]
    site.routes["/news/report.pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 ...")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/slow", "/news/report.pdf"]))
    report = Watcher(light_pipeline(repo), client(timeout=0.3)).run_once([site.base + "/feed.xml"])
    errors = {e.source_path.rsplit("/", 1)[-1]: e for e in report.ingest.errors}
    assert "timeout" in errors["slow"].message and errors["report.pdf"].kind == "unsupported"
    state = CrawlState(repo)
    assert state.page_status(site.base + "/news/slow") == "failed"  # tried again next pass
    assert state.page_done(site.base + "/news/report.pdf")


def test_robots_5xx_disallows_and_4xx_allows(site):
    serve_pages(site, "larch")
    site.routes["/robots.txt"] = (500, {}, b"")
    assert client().get(site.base + "/news/larch").error == "robots"
    site.routes["/robots.txt"] = (404, {}, b"")
    assert client().get(site.base + "/news/larch").ok


def test_robots_is_read_again_after_its_ttl(site):
    serve_pages(site, "xanthe")
    now = [1000.0]
    polite = client(clock=lambda: now[0], robots_ttl=3600)
    site.routes["/robots.txt"] = (200, {}, b"User-agent: *\nDisallow: /news/\n")
    assert polite.get(site.base + "/news/xanthe").error == "robots"
    site.routes["/robots.txt"] = (200, {}, b"User-agent: *\nDisallow:\n")
    now[0] += 60
    assert polite.get(site.base + "/news/xanthe").error == "robots"  # still cached
    now[0] += 3600
    assert polite.get(site.base + "/news/xanthe").ok
    assert site.hits("/robots.txt") == 2


def test_retry_after_parses_seconds_and_dates():
    assert retry_after("120", 0.0) == 120.0
    assert retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after("soon", 0.0) is None and retry_after(None, 0.0) is None
    assert user_agent(None).startswith("sitrep/") and "me@x.org" in user_agent("me@x.org")


def test_canonical_urls_and_listings():
    assert canonical("HTTPS://Example.COM:443/a?utm_campaign=x&id=2#top") == "https://example.com/a?id=2"
    assert canonical("mailto:a@b.c") is None and canonical("javascript:void(0)") is None
    plain = "https://news.example.com/world/bridge-reopens"
    for variant in ("https://news.example.com/world/bridge-reopens/amp", "https://m.news.example.com/world/bridge-reopens",
                    "https://amp.news.example.com/world/bridge-reopens?outputType=amp",
                    "https://news.example.com/world/bridge-reopens?amp=1&utm_source=tw"):
        assert canonical(variant) == plain, variant
    assert canonical("https://news.example.com/world/story.amp.html") == "https://news.example.com/world/story.html"
    assert canonical("https://m.example/a") == "https://m.example/a"  # a two-label host is left alone
    assert canonical("https://example.com/search?q=amp&page=2") == "https://example.com/search?page=2&q=amp"
    assert canonical("https://example.com/story?article=5") != canonical("https://example.com/story?article=6")
    listing = read_listing(b'{"items": [{"url": "https://e.org/a?fbclid=1"}, {"url": "https://e.org/a"}]}')
    assert [i.url for i in listing.items] == ["https://e.org/a"]
    assert read_listing(b"<rss><channel><item>").error
    assert read_listing(b'{"feed": 1}').error
    bomb = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<urlset><url><loc>https://e.org/&b;</loc></url></urlset>')
    assert all(len(i.url) < 100 for i in read_listing(bomb).items)


def test_watch_command_once(site, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sitrep import cli

    serve_pages(site, "maple")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/maple"]))
    monkeypatch.setattr(cli, "watch_pipeline", lambda repo, options, workers: light_pipeline(repo))
    db = tmp_path / "w.sqlite"
    result = CliRunner().invoke(cli.app, ["watch", site.base + "/feed.xml", "--once", "--db", str(db), "--json",
                                          "--delay", "0", "--contact", "ops@example.org"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)[0]
    assert report["pages_fetched"] == 1 and report["ingest"]["stored"] == 1
    # without --once it repeats every --every until interrupted
    passes = []

    def interrupt(seconds):
        passes.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", interrupt)
    looped = CliRunner().invoke(cli.app, ["watch", site.base + "/feed.xml", "--every", "2m", "--db", str(db),
                                          "--delay", "0"])
    assert looped.exit_code == 0, looped.output
    assert passes == [120.0] and site.hits("/news/maple") == 1
    bad = CliRunner().invoke(cli.app, ["watch", site.base + "/feed.xml", "--once", "--every", "soon", "--db", str(db)])
    assert bad.exit_code == 2
