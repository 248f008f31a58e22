"""The dossier and article pages in a real browser (Debian's Chromium driven by Playwright).

Run: ``.venv/bin/pytest tests/browser -q`` after ``apt-get install -y chromium`` and
``pip install playwright`` (no ``playwright install``: the system Chromium is used). Skipped with
a visible reason when either is missing (failed under SITREP_REQUIRE_ALL=1, as in CI).
"""
from __future__ import annotations


import pytest

from browser_fixtures import base_url_fixture, browser_fixture, context_fixture, page_fixture  # noqa: F401

from seedlike import IMG, PTV_BODY, SCRIPT

CLAIM = "planes carrying American soldiers had landed at the base"


def open_dossier(page, base_url, story="story-1"):
    page.goto(f"{base_url}/stories/{story}")
    page.wait_for_selector("#timeline[data-ready]")
    page.wait_for_selector("#map[data-markers]")


def test_map_shows_one_marker_per_place_over_offline_borders(page, base_url):
    open_dossier(page, base_url)
    assert page.get_attribute("#map", "data-markers") == "2"  # Ain al-Asad (2 events) and Harir
    assert page.locator("path.event-marker").count() == 2
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 100")
    assert page.locator("img.leaflet-tile").count() == 0  # no tiles: nothing fetched from outside
    page.locator("path.event-marker").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "deploy" in popup.inner_text() or "attack" in popup.inner_text()
    assert page.dialogs == [] and page.console_errors == []


def test_timeline_draws_precision(page, base_url):
    open_dossier(page, base_url)
    entries = page.locator("#timeline > .tl-entry")
    assert entries.count() == 2  # the Harir deployment is undated in this fixture …
    assert page.locator("#timeline .tl-undated .tl-entry").count() == 1  # … and listed apart
    month = page.locator('.tl-entry[data-precision="month"]')
    day = page.locator('.tl-entry[data-precision="day"]')
    assert month.get_attribute("data-start") == "2020-01-01" and month.get_attribute("data-end") == "2020-01-31"
    assert day.get_attribute("data-start") == "2020-03-29"
    track = month.locator(".tl-track").bounding_box()
    month_bar = month.locator(".tl-bar").bounding_box()
    day_bar = day.locator(".tl-bar").bounding_box()
    total_days = 31 + 29 + 29  # 2020-01-01 .. 2020-03-29 inclusive
    assert abs(month_bar["width"] / track["width"] - 31 / total_days) < 0.02
    assert day_bar["width"] < month_bar["width"] / 10
    assert month_bar["x"] < day_bar["x"]  # January before late March
    assert "2020-01-01 – 2020-01-31 (month)" in month.inner_text()
    ticks = page.locator("#timeline .tl-tick").all_inner_texts()
    assert ticks == ["2020-01", "2020-02", "2020-03"]


def test_claim_chain_and_click_opens_highlighted_span(page, base_url):
    open_dossier(page, base_url)
    row = page.locator('tr.claim-row[data-claim="g-planes"]')
    assert "Press TV → Almaalomah → a security source" in row.locator(".chain").inner_text()
    assert "anonymous" in row.inner_text()
    assert "contradicted by" in page.locator('tr.claim-row[data-claim="g-patriot"]').inner_text()
    row.locator("a.claim-link").click()
    page.wait_for_url("**/articles/ptv?hl=*")
    mark = page.locator("mark#hl")
    assert mark.inner_text() == CLAIM
    start = PTV_BODY.index(CLAIM)
    assert f"hl={start}-{start + len(CLAIM)}" in page.url
    assert page.console_errors == []  # no CSP refusal, no failed fetch, no script error
    assert mark.is_visible() and mark.evaluate("m => { const r = m.getBoundingClientRect();"
                                               " return r.top >= 0 && r.bottom <= innerHeight; }")


def test_clicking_an_event_opens_its_trigger(page, base_url):
    open_dossier(page, base_url)
    page.locator('tr.event-row[data-event="e-ptv-strike"] a.event-link').click()
    page.wait_for_url("**/articles/ptv?hl=*")
    assert page.locator("mark#hl").inner_text() == "struck"


def test_boilerplate_toggle(page, base_url):
    page.goto(f"{base_url}/articles/ptv")
    footer = page.locator(".seg.removed", has_text="SHARE THIS ARTICLE")
    assert footer.is_visible()
    assert "line-through" in footer.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.click("#toggle-removed")
    assert not footer.is_visible()
    assert page.get_attribute("#toggle-removed", "aria-pressed") == "true"


@pytest.mark.parametrize("path", ["/articles/evil", "/stories/story-evil", "/entities/ent-evil", "/?q=officials"])
def test_hostile_text_renders_as_text(page, base_url, path):
    page.goto(base_url + path)
    if path.startswith("/stories/"):
        page.wait_for_selector("#timeline[data-ready]")
        page.wait_for_selector("#map[data-markers]")
    page.wait_for_timeout(200)
    assert page.dialogs == [] and page.console_errors == []
    body = page.inner_text("body")
    assert SCRIPT in body or IMG in body
    assert page.locator("main img").count() == 0  # the <img onerror> was never parsed as an element
    assert page.evaluate("document.querySelectorAll('main script').length") == 0


def test_hostile_article_shows_every_field_as_text(page, base_url):
    page.goto(base_url + "/articles/evil")
    assert page.inner_text("h1") == f"{SCRIPT} Evil {IMG}"
    assert f"Before {SCRIPT} middle {IMG} after." in page.inner_text("#text")
    assert page.locator(".source a").count() == 0  # javascript: URL shown as text, not linked
    assert page.dialogs == []
