"""The story list in Chromium: sorted by size, recency or corroboration, filtered by event type
and by country, the choice kept across pages."""
from __future__ import annotations

from datetime import date

import pytest

from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import build_seedlike_db

from sitrep.model import Story


@pytest.fixture(scope="module", name="base_url")
def stories_url(tmp_path_factory):
    """The seed-like store plus a later, smaller, better corroborated story in Syria."""
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("stories") / "store.sqlite"
    repo = build_seedlike_db(db)
    story = repo.get_story("story-1")
    late = story.events[0]
    late.event.place.country = "SY"
    late.event.type = "protest"
    late.independent_origins = 3
    repo.save_story(Story("story-late", "Protest in Syria", ["evil"], start=date(2021, 5, 1), end=date(2021, 5, 2),
                          outlets=["Bad"], events=[late]))
    repo.close()
    with background_server(str(db)) as url:
        yield url


def order(page):
    return page.locator("tr.story-row").evaluate_all("rows => rows.map(r => r.dataset.story)")


def test_sort_by_size_recency_and_corroboration(page, base_url):
    page.goto(f"{base_url}/?sort=size")
    assert order(page)[0] == "story-1"  # most reports first
    page.select_option("select[name=sort]", "recent")
    page.click("form.filters button")
    page.wait_for_url("**sort=recent**")
    assert order(page)[0] == "story-late"
    page.select_option("select[name=sort]", "corroboration")
    page.click("form.filters button")
    page.wait_for_url("**sort=corroboration**")
    assert order(page)[:2] == ["story-late", "story-1"]
    assert page.console_errors == [] and page.dialogs == []


def test_filter_by_event_type_and_country(page, base_url):
    page.goto(f"{base_url}/")
    page.select_option("select[name=country]", "SY")
    assert page.locator("select[name=country] option:checked").inner_text() == "Syria"
    page.click("form.filters button")
    page.wait_for_url("**country=SY**")
    assert order(page) == ["story-late"]
    page.goto(f"{base_url}/?type=attack")
    assert order(page) == ["story-1"]
    page.goto(f"{base_url}/?type=protest&country=IQ")
    assert order(page) == [] and page.locator("p.empty").count() == 1


def test_pages_keep_the_sort_and_filters(page, base_url):
    page.goto(f"{base_url}/?sort=recent&limit=1")
    assert order(page) == ["story-late"]
    page.click(".pager a.next")
    page.wait_for_url("**offset=1**")
    assert "sort=recent" in page.url and order(page) == ["story-1"]
