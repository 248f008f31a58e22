"""Revisions (issue 21): stored pages re-fetched on a schedule, a changed report stored as a new
revision of the same article with what changed, furniture that changes on every fetch ignored,
a 404/410 recorded as ``deleted``. Served by the local HTTP server of ``test_watch``.
"""
from __future__ import annotations

import itertools
import json

import pytest
from test_watch import HTML, client, light_pipeline, rss, site  # noqa: F401 (site is a fixture)

from sitrep.revisions import Snapshot, is_furniture, sentences, text_key, what_changed
from sitrep.views.queries import article_detail
from sitrep.watch.refetch import RefetchPolicy
from sitrep.watch.run import Watcher
from sitrep.watch.state import CrawlState, KnownPage

PARAGRAPHS = [
    "Officials in the northern province said on Tuesday that the river crossing at Alder had reopened "
    "after three days of repairs.",
    "A spokesman for the transport ministry told reporters that twelve lorries had been stranded on the "
    "eastern bank while engineers replaced the damaged span.",
    "The governor said the bridge would be inspected again next week before heavy vehicles were allowed "
    "to use it.",
]
_counter = itertools.count(1000)


def article_html(title: str, paragraphs: list[str], furniture: bool = False) -> bytes:
    """A news page; with ``furniture``, the bits that change on every request: an update stamp and
    a view counter inside the article, related links and an advert around it."""
    n = next(_counter)
    stamp = f"<p>Updated {n % 59 + 1} minutes ago</p><p>{n * 7:,} views</p>" if furniture else ""
    related = (f'<aside><h3>Related</h3><ul><li><a href="/news/x{n}">Story number {n} you may have '
               f'missed today</a></li></ul></aside><div class="ad">Sponsored: offer {n}</div>') if furniture else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body>{related}<article><h1>{title}</h1>{stamp}"
            f"{body}</article>{related}</body></html>").encode()


@pytest.fixture
def repo(any_repo):
    return any_repo


def watch_once(site, repo, **policy) -> dict:  # noqa: F811
    watcher = Watcher(light_pipeline(repo), client(), refetch=RefetchPolicy(**policy))
    return watcher.run_once([site.base + "/sitemap.xml"]).to_json()


def serve(site, routes: dict[str, object]) -> None:  # noqa: F811
    for path, body in routes.items():
        site.routes[path] = (200, HTML, body)
    locs = "".join(f"<url><loc>{site.base}{p}</loc></url>" for p in routes)
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"},
                                   f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode())


# -- the pure parts ----------------------------------------------------------------------------

def test_what_changed_lists_sentences_claims_events_and_title():
    old = Snapshot("Crossing reopens", "First sentence here. Twelve lorries were stranded.\n\nThe end came.",
                   claims=["ministry: twelve lorries were stranded"], events=["deploy army → ? at Alder"])
    new = Snapshot("Crossing reopens after attack", "First sentence here. Thirty lorries were stranded.\n\n"
                   "Police said two people died. The end came.",
                   claims=["ministry: thirty lorries were stranded", "Police: two people died"],
                   events=["deploy army → ? at Alder", "kill ? → ? at Alder"])
    changes = what_changed(old, new)
    assert changes["title"] == {"from": "Crossing reopens", "to": "Crossing reopens after attack"}
    assert changes["sentences_removed"] == ["Twelve lorries were stranded."]
    assert changes["sentences_added"] == ["Thirty lorries were stranded.", "Police said two people died."]
    assert changes["claims_vanished"] == ["ministry: twelve lorries were stranded"]
    assert changes["claims_appeared"] == ["ministry: thirty lorries were stranded", "Police: two people died"]
    assert changes["events_appeared"] == ["kill ? → ? at Alder"] and changes["events_vanished"] == []
    same = what_changed(old, old)
    assert same["title"] is None and not any(v for k, v in same.items() if k != "title")


def test_furniture_lines_do_not_count_but_real_short_lines_do():
    for line in ("Updated 5 minutes ago", "Last updated: 14:05 GMT", "12,345 views", "3 comments",
                 "Published 2026-12-01 10:00", "14:05", "Posted 2 hours ago by staff"):
        assert is_furniture(line), line
    for line in ("Twelve people were killed.", "Police said 3 hours ago that the road was closed to all traffic "
                 "after the attack on the convoy near the border crossing", "Views of the minister differ."):
        assert not is_furniture(line), line
    body = "The bridge reopened.\n\nTwelve lorries crossed."
    assert text_key(body) == text_key("Updated 3 minutes ago\n" + body + "\n\n4,012 views")
    assert text_key(body) != text_key(body.replace("Twelve", "Thirty"))
    assert sentences("Updated 1 minute ago\nA said so. B said no! “C?” he asked.") == ["A said so.", "B said no!",
                                                                                         "“C?” he asked."]


def test_refetch_schedule_and_override():
    page = KnownPage("u", "a", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", 0, None, None, None, {})
    t0 = 1_796_119_200.0  # 2026-12-01T10:00:00Z
    policy = RefetchPolicy()
    assert not policy.due(page, t0 + 3599) and policy.due(page, t0 + 3600)
    page.refetches = 1
    assert not policy.due(page, t0 + 5 * 3600) and policy.due(page, t0 + 6 * 3600)
    page.refetches = 4
    assert not policy.due(page, t0 + 365 * 86400)  # the window has closed
    assert RefetchPolicy(after=0).due(page, t0) and RefetchPolicy(after=600).due(page, t0 + 600)
    assert not RefetchPolicy(after=600).due(page, t0 + 599)


# -- against the local server -----------------------------------------------------------------

def test_an_edited_article_becomes_one_new_revision_with_its_diff(site, repo):  # noqa: F811
    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    first = watch_once(site, repo)
    assert first["ingest"]["stored"] == 1
    [article] = repo.list_articles()
    assert article.revisions == 1 and article.status == "live"
    edited = [PARAGRAPHS[0], PARAGRAPHS[1].replace("twelve lorries", "thirty lorries"),
              "Police said two drivers were injured when the span gave way."]
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens after collapse", edited))
    second = watch_once(site, repo, after=0)
    assert second["pages_refetched"] == 1 and second["revisions"] == 1, second
    assert repo.count_articles() == 1  # the same article, not a new one
    [revised] = repo.list_articles()
    assert revised.id == article.id and revised.revisions == 2
    assert "thirty lorries" in revised.text and "twelve lorries" not in revised.text
    assert revised.title == "Crossing at Alder reopens after collapse"
    detail = article_detail(repo, article.id)
    assert detail is not None and [r["number"] for r in detail["revision_history"]] == [1, 2]
    changes = detail["revision_history"][1]["changes"]
    assert changes is not None
    assert changes["title"] == {"from": "Crossing at Alder reopens", "to": "Crossing at Alder reopens after collapse"}
    assert changes["sentences_removed"] == [PARAGRAPHS[1], PARAGRAPHS[2]]
    assert changes["sentences_added"] == [edited[1], edited[2]]
    assert detail["revision_history"][0]["changes"] is None and detail["revised_at"]
    # idempotent: the same page again is no new revision
    third = watch_once(site, repo, after=0)
    assert third["revisions"] == 0 and repo.list_articles()[0].revisions == 2
    assert len(repo.revisions_of(article.id)) == 2


def test_changing_furniture_alone_makes_no_revision(site, repo):  # noqa: F811
    def dynamic(_handler):
        return 200, HTML, article_html("Crossing at Alder reopens", PARAGRAPHS, furniture=True)

    serve(site, {"/news/alder": dynamic})
    watch_once(site, repo)
    for _ in range(3):
        report = watch_once(site, repo, after=0)
        assert report["pages_refetched"] == 1 and report["revisions"] == 0, report
    [article] = repo.list_articles()
    assert article.revisions == 1 and len(repo.revisions_of(article.id)) == 1


def test_refetch_is_conditional_and_a_304_changes_nothing(site, repo):  # noqa: F811
    site.routes["/news/alder"] = (200, {**HTML, "ETag": '"v1"'}, article_html("Crossing", PARAGRAPHS))
    serve(site, {})
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/alder"]))
    watcher = Watcher(light_pipeline(repo), client(), refetch=RefetchPolicy(after=0))
    watcher.run_once([site.base + "/feed.xml"])
    report = watcher.run_once([site.base + "/feed.xml"]).to_json()
    assert report["pages_refetched"] == 1 and report["revisions"] == 0
    page_requests = [h for p, h in site.log if p == "/news/alder"]
    assert len(page_requests) == 2 and page_requests[-1].get("If-None-Match") == '"v1"'
    # the feed's title stays the article's title while the page's own title does not change
    assert repo.list_articles()[0].title == "Item /news/alder"


@pytest.mark.parametrize("status", [404, 410])
def test_a_deleted_page_is_recorded_and_the_article_kept(site, repo, status):  # noqa: F811
    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    watch_once(site, repo)
    site.routes["/news/alder"] = (status, {}, b"gone")
    report = watch_once(site, repo, after=0)
    assert report["deleted"] == 1
    [article] = repo.list_articles()
    assert article.status == "deleted" and "Alder" in article.text
    again = watch_once(site, repo, after=0)
    assert again["pages_refetched"] == 0  # no longer followed
    assert site.hits("/news/alder") == 2


def test_default_schedule_waits_an_hour(site, repo):  # noqa: F811
    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    watch_once(site, repo)
    report = watch_once(site, repo)
    assert report["pages_refetched"] == 0 and site.hits("/news/alder") == 1
    assert CrawlState(repo).known_pages()[0].refetches == 0


def test_warc_record_of_each_revision_is_shown(site, repo, tmp_path):  # noqa: F811
    from sitrep.watch.archive import WarcArchive

    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    archive = WarcArchive(tmp_path / "warc")
    Watcher(light_pipeline(repo), client(), archive=archive).run_once([site.base + "/sitemap.xml"])
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens", PARAGRAPHS[:2]))
    Watcher(light_pipeline(repo), client(), archive=archive, refetch=RefetchPolicy(after=0)).run_once(
        [site.base + "/sitemap.xml"])
    archive.close()
    [article] = repo.list_articles()
    detail = article_detail(repo, article.id)
    assert detail is not None
    warcs = [r["warc"] for r in detail["revision_history"]]
    assert all(w and w["file"].endswith(".warc.gz") and w["record"].startswith("<urn:uuid:") for w in warcs)
    assert warcs[0] != warcs[1] and detail["warc"] == warcs[1]
    assert detail["revision_history"][1]["changes"]["sentences_removed"] == [PARAGRAPHS[2]]  # type: ignore[index]


def test_cli_refetch_after_zero_articles_and_show_json(site, tmp_path, monkeypatch):  # noqa: F811
    from typer.testing import CliRunner

    from sitrep import cli

    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    monkeypatch.setattr(cli, "watch_pipeline", lambda repo, options, workers: light_pipeline(repo))
    db = str(tmp_path / "w.sqlite")
    args = ["watch", site.base + "/sitemap.xml", "--once", "--db", db, "--json", "--delay", "0"]
    assert CliRunner().invoke(cli.app, args).exit_code == 0
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens", PARAGRAPHS[:1]))
    result = CliRunner().invoke(cli.app, args + ["--refetch-after", "0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["revisions"] == 1
    listed = json.loads(CliRunner().invoke(cli.app, ["articles", "--db", db, "--json"]).stdout)
    assert [(a["revisions"], a["status"]) for a in listed] == [(2, "live")]
    shown = json.loads(CliRunner().invoke(cli.app, ["show", listed[0]["id"], "--db", db, "--json"]).stdout)[0]
    history = shown["revision_history"]
    assert [r["number"] for r in history] == [1, 2] and all(r["fetched_at"] for r in history)
    assert history[1]["changes"]["sentences_removed"] == PARAGRAPHS[1:]
    text = CliRunner().invoke(cli.app, ["show", listed[0]["id"], "--db", db])
    assert "revision 2" in text.stdout
    bad = CliRunner().invoke(cli.app, args + ["--refetch-after", "-1m"])
    assert bad.exit_code == 2


def test_web_shows_revisions_escaped_and_filters_stories_changed_since(site, tmp_path):  # noqa: F811
    from fastapi.testclient import TestClient

    from sitrep.api import create_app
    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    hostile = PARAGRAPHS[:2] + ["The mayor wrote &lt;script&gt;alert(1)&lt;/script&gt; on the notice board."]
    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS),
                 "/news/birch": article_html("Market at Birch closes", [p.replace("Alder", "Birch") for p in PARAGRAPHS])})
    repo = SQLiteRepository(tmp_path / "web.sqlite")
    pipeline = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False)
    Watcher(pipeline, client()).run_once([site.base + "/sitemap.xml"])
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens", hostile))
    Watcher(pipeline, client(), refetch=RefetchPolicy(after=0)).run_once([site.base + "/sitemap.xml"])
    alder = next(a for a in repo.list_articles() if a.url.endswith("alder"))
    assert alder.revisions == 2 and repo.story_of(alder.id) is not None
    repo.close()
    web = TestClient(create_app(str(tmp_path / "web.sqlite")))
    page = web.get(f"/articles/{alder.id}").text
    assert 'id="revisions"' in page and "Version 2" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page  # the diff is escaped
    assert 'class="diff-added"' in page and 'class="diff-removed"' in page
    all_stories = web.get("/").text
    changed = web.get("/", params={"changed": "24h"}).text
    later = web.get("/", params={"changed": "2999-01-01"}).text
    story_rows = all_stories.count('class="story-row"')
    assert story_rows >= 1 and changed.count('class="story-row"') == 1 and 'class="story-row"' not in later
    assert web.get("/", params={"changed": "soon"}).status_code == 422
    api = web.get(f"/api/articles/{alder.id}").json()
    assert api["revisions"] == 2 and api["status"] == "live" and api["revised_at"]
    assert [r["number"] for r in api["revision_history"]] == [1, 2]
    assert api["revision_history"][1]["changes"]["sentences_added"] == [
        "The mayor wrote <script>alert(1)</script> on the notice board."]
    listed = web.get("/api/articles").json()
    assert {a["status"] for a in listed} == {"live"} and sorted(a["revisions"] for a in listed) == [1, 2]


def test_pages_stored_before_revisions_get_their_first_revision(site, tmp_path):  # noqa: F811
    """A store that watch filled before migrations 9-10 gets each stored page's first revision."""
    from sitrep.store.migrations import SQLITE
    from sitrep.store.sqlite import SQLiteRepository

    class Before(SQLiteRepository):
        migrations = SQLITE[:8]

    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    old = Before(tmp_path / "old.sqlite")
    with old.transaction():  # what watch of migration 6 wrote: the article, its source mark, its page row
        pipeline_repo = SQLiteRepository(tmp_path / "scratch.sqlite")
        Watcher(light_pipeline(pipeline_repo), client()).run_once([site.base + "/sitemap.xml"])
        [article] = pipeline_repo.list_articles()
        old.add_article(article)
        old.mark_source(article.url, "", article.id, "stored")
        old.execute("INSERT INTO watch_pages(url, source, status, http_status, content_hash, fetched_at, warc_file,"
                    " warc_record) VALUES (?,?,?,?,?,?,?,?)", (article.url, "s", "fetched", 200, "h",
                                                             "2026-12-01T10:00:00Z", "a.warc.gz", "<urn:uuid:1>"))
    old.close()
    new = SQLiteRepository(tmp_path / "old.sqlite")
    assert new.schema_version() == SQLITE[-1][0]
    [first] = new.revisions_of(article.id)
    assert first["number"] == 1 and first["fetched_at"] == "2026-12-01T10:00:00Z"
    assert first["warc"] == {"file": "a.warc.gz", "record": "<urn:uuid:1>"} and first["data"]["text"] == article.text
    [page] = CrawlState(new).known_pages()
    assert page.article_id == article.id and page.first_fetched_at == "2026-12-01T10:00:00Z"


def test_a_revision_replaces_claims_events_and_story_with_the_new_versions(site, tmp_path):  # noqa: F811
    """Through the full pipeline: the article's claims and its story follow the latest version,
    and the revision lists the claim that appeared."""
    from sitrep.engines import make_engine
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    repo = SQLiteRepository(tmp_path / "full.sqlite")
    pipeline = Pipeline(repo, engine=make_engine("local", workers=1))
    Watcher(pipeline, client()).run_once([site.base + "/sitemap.xml"])
    [article] = repo.list_articles()
    before = {c.text for c in repo.list_claims(article_id=article.id)}
    added = "The interior minister said on Wednesday that two engineers had been arrested over the collapse."
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens", PARAGRAPHS + [added]))
    Watcher(pipeline, client(), refetch=RefetchPolicy(after=0)).run_once([site.base + "/sitemap.xml"])
    after = repo.list_claims(article_id=article.id)
    new_claims = {c.text for c in after} - before
    assert new_claims and all(added.startswith(c[:20]) or c in added for c in new_claims), new_claims
    assert all(c.end <= len(repo.get_article(article.id).text) for c in after)  # spans index the new text
    changes = repo.revisions_of(article.id)[1]["data"]["changes"]
    assert changes["sentences_added"] == [added] and changes["claims_appeared"]
    story = repo.get_story(repo.story_of(article.id) or "")
    assert story is not None and article.id in story.article_ids
    hits = repo.search("engineers arrested")
    assert [h.id for h in hits] == [article.id]  # the full-text index follows the new version
    repo.close()


def test_a_detected_revision_fires_an_article_revised_alert_once(site, repo):  # noqa: F811
    """The re-fetch that finds a new version hands the alerter an ``ArticleRevised``: a rule with
    ``revised = true`` writes one JSON line for it, and an unchanged re-fetch fires nothing."""
    import io

    from sitrep.alerts import Alerter, parse_rules

    serve(site, {"/news/alder": article_html("Crossing at Alder reopens", PARAGRAPHS)})
    out = io.StringIO()
    alerter = Alerter(repo, parse_rules({"rule": [{"name": "edits", "revised": True}]}), out)

    def watch(**policy) -> dict:
        watcher = Watcher(light_pipeline(repo), client(), refetch=RefetchPolicy(**policy),
                          after_pass=lambda r: alerter.check(r.revised))
        return watcher.run_once([site.base + "/sitemap.xml"]).to_json()

    watch()
    [article] = repo.list_articles()
    assert out.getvalue() == ""  # a new article is no revision
    edited = [PARAGRAPHS[0], PARAGRAPHS[1].replace("twelve lorries", "thirty lorries"), PARAGRAPHS[2]]
    site.routes["/news/alder"] = (200, HTML, article_html("Crossing at Alder reopens", edited))
    assert watch(after=0)["revisions"] == 1
    [line] = out.getvalue().splitlines()
    alert = json.loads(line)
    assert alert["rule"] == "edits" and json.dumps(alert).count(article.id) >= 1
    assert "text changed" in line
    watch(after=0)  # the same page again: no new version, no new alert
    assert len(out.getvalue().splitlines()) == 1
