"""Live updates in Chromium: a report stored while the story list is open shows "1 new report —
refresh" at the next poll (the page's clock is driven by the test), and refresh reloads the list;
the sources page lists a watched source with hostile text shown as text."""
from __future__ import annotations

import pytest

from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import build_seedlike_db

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module", name="served")
def served_store(tmp_path_factory):
    from sitrep.api.server import background_server
    from sitrep.watch.state import CrawlState

    db = tmp_path_factory.mktemp("live") / "store.sqlite"
    repo = build_seedlike_db(db)
    CrawlState(repo).source_checked("https://wire.example/feed.xml", error=HOSTILE)
    repo.close()
    with background_server(str(db)) as url:
        yield url, db


def store_one_report(db) -> None:
    from sitrep.engines import make_engine
    from sitrep.model import RawDocument
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    repo = SQLiteRepository(db)
    text = ("Engineers reopened the ferry landing at Harbour Point on Monday after storm repairs, the port "
            "authority said, and the first crossing carried forty passengers.")
    report = Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False).ingest_records(
        iter([RawDocument(source_path="late.txt", record_key="", text=text, format="txt", title="Ferry returns")]))
    assert report.stored == 1
    repo.close()


def test_new_report_banner_then_refresh(page, served):
    base_url, db = served
    page.clock.install()
    with page.expect_response(lambda r: "/api/updates" in r.url):
        page.goto(f"{base_url}/")  # the first poll takes the baseline
    banner = page.locator("#live-updates")
    assert banner.is_hidden()
    store_one_report(db)
    with page.expect_response(lambda r: "/api/updates?after=" in r.url):
        page.clock.run_for(21_000)  # one poll interval (20 s) later
    banner.wait_for(state="visible")
    assert banner.inner_text().strip() == "1 new report \u2014 refresh"
    assert page.title().startswith("(1) ")
    with page.expect_navigation():
        page.locator("#live-updates a.live-refresh").click()
    assert page.locator("#live-updates").is_hidden()
    assert page.dialogs == [] and page.console_errors == []


def test_sources_page_shows_health_and_escapes(page, served):
    base_url, _ = served
    page.goto(f"{base_url}/sources")
    row = page.locator("tr.source-row").first
    assert "https://wire.example/feed.xml" in row.inner_text()
    assert row.locator("td.state").inner_text() == "failing" and row.locator("td.failures").inner_text() == "1"
    assert row.locator("td.error").inner_text() == HOSTILE  # shown as text, never as an element
    assert page.locator("tr.source-row img").count() == 0
    assert page.dialogs == [] and page.console_errors == []
