"""Issue 19/17 in Chromium: the dossier a page at a time, its claim table (attributed first,
narration collapsed, sorted and filtered on the server), place labels that never overlap, and the
story list's conflict-first default."""
from __future__ import annotations

import re

import pytest

from bigstory import ATTRIBUTED, EVENTS, build_bigstory_db
from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import SCRIPT


@pytest.fixture(scope="module", name="base_url")
def bigstory_url(tmp_path_factory):
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("bigstory") / "store.sqlite"
    build_bigstory_db(db).close()
    with background_server(str(db)) as url:
        yield url


def open_big(page, base_url, query=""):
    page.goto(f"{base_url}/stories/story-big{query}")
    page.wait_for_selector("#timeline[data-ready]")
    page.wait_for_selector("#map[data-markers]")


def rows(page):
    """(kind, key) of each row of the claim table, in order."""
    return page.locator("#claims tbody tr").evaluate_all(
        "trs => trs.map(r => r.classList.contains('narration-row') ? ['narration', r.dataset.article]"
        " : [r.dataset.originKind, r.dataset.claim])")


def test_first_page_then_next_page_of_the_dossier(page, base_url):
    open_big(page, base_url)
    assert page.locator("#claims tr.claim-row").count() == 100  # the first hundred rows only
    assert page.locator("#events tr.event-row").count() == 100
    assert f"of {ATTRIBUTED + 2}." in page.inner_text("#claims-pager")  # 130 groups + 2 narrating reports
    # the timeline draws the event table's page, and says so
    assert page.locator("#timeline > .tl-entry").count() == 100
    assert f"of {EVENTS}" in page.inner_text("#timeline .tl-note")
    page.click("#claims-pager a.next")
    page.wait_for_url("**claims_from=100**")
    page.wait_for_selector("#timeline[data-ready]")
    got = rows(page)
    assert len(got) == ATTRIBUTED - 100 + 2 and [k for k, _ in got[-2:]] == ["narration", "narration"]
    page.click("#events-pager a.next")
    page.wait_for_url("**events_from=100**")
    page.wait_for_selector("#timeline[data-ready]")
    assert page.locator("#events tr.event-row").count() == EVENTS - 100
    assert "claims_from=100" in page.url  # the claims keep their page
    assert page.locator("#timeline > .tl-entry").count() == EVENTS - 100
    assert SCRIPT in page.inner_text("#claims") and page.locator("#dossier script").count() == 0  # text, not code
    assert page.console_errors == [] and page.dialogs == []


def test_claim_table_order_narration_filter_and_sort(page, base_url):
    open_big(page, base_url)
    got = rows(page)
    # attributed first, the most independent origins on top; narration never before them
    origins = page.locator("#claims tr.claim-row").evaluate_all("trs => trs.map(r => Number(r.dataset.origins))")
    assert origins == sorted(origins, reverse=True) and origins[0] == 3
    assert all(k != "narration" for k, _ in got)
    # the last page holds each article's own voice as one expandable row
    page.goto(f"{base_url}/stories/story-big?claims_from=100")
    narr = page.locator("tr.narration-row")
    assert narr.count() == 2 and narr.first.get_attribute("data-count") == "30"
    first = narr.first.locator("details")
    assert not first.evaluate("d => d.open")
    first.locator("summary").click()
    assert first.evaluate("d => d.open") and first.locator("li").count() == 30
    assert "narrated statement 000" in first.inner_text()
    # filter by origin kind on the server: only officials, in every row
    page.goto(f"{base_url}/stories/story-big")
    page.select_option("#claims-origin", "official")
    page.click("form.claim-filters button")
    page.wait_for_url("**origin=official**")
    kinds = {k for k, _ in rows(page)}
    assert kinds == {"official"} and len(rows(page)) == ATTRIBUTED // 4 + (1 if ATTRIBUTED % 4 > 1 else 0)
    # own voice only: the two collapsed rows
    page.goto(f"{base_url}/stories/story-big?origin=outlet")
    assert [k for k, _ in rows(page)] == ["narration", "narration"]
    # independent origins: corroborated groups only
    page.goto(f"{base_url}/stories/story-big?min_origins=2")
    assert len(rows(page)) == ATTRIBUTED // 10 and all(
        int(v) >= 2 for v in page.locator("#claims tr.claim-row").evaluate_all("t => t.map(r => r.dataset.origins)"))
    # sort by origin kind via the column header, keeping the filter
    page.goto(f"{base_url}/stories/story-big?min_origins=2")
    page.click("#claims thead a[data-sort=kind]")
    page.wait_for_url("**claims_sort=kind**")
    assert "min_origins=2" in page.url
    order = [k for k, _ in rows(page)]
    rank = ["person", "official", "organization", "publication", "anonymous", "outlet"]
    assert order == sorted(order, key=rank.index) and len(set(order)) > 1
    assert page.console_errors == [] and page.dialogs == []


def _overlaps(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


def test_place_labels_never_overlap(page, base_url):
    open_big(page, base_url)
    box = page.locator("#map")
    page.wait_for_function("document.querySelector('#map').hasAttribute('data-labels')")
    visible = page.locator(".leaflet-tooltip.map-label:not(.label-hidden):not(.label-stale)")
    boxes = [visible.nth(i).bounding_box() for i in range(visible.count())]
    assert len(boxes) >= 2 and _overlaps(boxes) == []
    assert int(box.get_attribute("data-labels-hidden")) >= 1  # the close places did collide
    # and after zooming in, more room: the pass runs again, still without overlap
    page.evaluate("document.querySelector('.leaflet-control-zoom-in').click()")
    page.wait_for_timeout(600)
    visible = page.locator(".leaflet-tooltip.map-label:not(.label-hidden):not(.label-stale)")
    boxes = [visible.nth(i).bounding_box() for i in range(visible.count())]
    assert boxes and _overlaps(boxes) == []
    # the names reach the page as text: the hostile image tag is not an element
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.console_errors == [] and page.dialogs == []


def test_story_list_opens_on_conflict_first(page, base_url):
    page.goto(f"{base_url}/")
    order = page.locator("tr.story-row").evaluate_all("rows => rows.map(r => r.dataset.story)")
    # corroborated high-confidence violence, then the latest single-origin violence, then the rest by recency
    # (a doubtful battle, confidence 0.3, counts as no violence)
    assert order[:6] == ["story-battle", "story-big", "story-clash", "story-quiet", "story-unsure", "story-1"]
    assert page.locator("select[name=sort] option:checked").inner_text() == "conflict first"
    page.select_option("select[name=sort]", "recent")
    page.click("form.filters button")
    page.wait_for_url("**sort=recent**")
    assert page.locator("tr.story-row").first.get_attribute("data-story") == "story-quiet"
    assert re.search(r"sort=recent", page.url)
    assert page.console_errors == [] and page.dialogs == []
