"""Events known only as "before publication" on the dossier timeline (Chromium): drawn as a bar
that runs up to the publication date in a style of its own, not only listed as undated."""
from __future__ import annotations

from datetime import date

import pytest

from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import build_seedlike_db

from sitrep.model import TimeSpan

HARIR_PUBLISHED = date(2020, 4, 6)
EVIL_PUBLISHED = date(2021, 5, 1)


def _before(day: date) -> TimeSpan:
    return TimeSpan(None, day, "before_publication")


@pytest.fixture(scope="module", name="base_url")
def open_ended_url(tmp_path_factory):
    """The seed-like store with the Harir deployment and the hostile event dated only as
    "before publication", in their articles and in the story that groups Harir."""
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("timeline") / "store.sqlite"
    repo = build_seedlike_db(db)
    for aid, eid, day in (("nf", "e-nf-harir", HARIR_PUBLISHED), ("evil", "e-evil", EVIL_PUBLISHED)):
        article = repo.load_article(aid)
        for event in article.events:
            if event.id == eid:
                event.time = _before(day)
        repo.save_derived(article)
    story = repo.get_story("story-1")
    for se in story.events:
        if se.event.id == "e-nf-harir":
            se.event.time = _before(HARIR_PUBLISHED)
    repo.save_story(story)
    repo.close()
    with background_server(str(db)) as url:
        yield url


def open_timeline(page, base_url, story):
    page.goto(f"{base_url}/stories/{story}")
    page.wait_for_selector("#timeline[data-ready]")


def test_before_publication_event_is_drawn_up_to_the_publication_date(page, base_url):
    open_timeline(page, base_url, "story-1")
    assert page.locator("#timeline > .tl-entry").count() == 3
    assert page.locator("#timeline .tl-undated").count() == 0  # nothing left only in a list
    entry = page.locator('#timeline > .tl-entry[data-precision="before_publication"]')
    assert entry.get_attribute("data-end") == "2020-04-06" and entry.get_attribute("data-start") is None
    assert "before 2020-04-06 (publication)" in entry.inner_text()
    bar = entry.locator(".tl-bar")
    assert "tl-bar-open" in bar.get_attribute("class")
    track, box = entry.locator(".tl-track").bounding_box(), bar.bounding_box()
    # from the axis start (2020-01-01) to its end, the publication date, the latest day drawn
    assert abs(box["x"] - track["x"]) < 1 and abs(box["x"] + box["width"] - track["x"] - track["width"]) < 1
    assert page.locator("#timeline .tl-axis-end").inner_text() == "2020-04-06"
    # a style of its own: a gradient, unlike the solid bar of a dated event
    open_bg = bar.evaluate("b => getComputedStyle(b).backgroundImage")
    day_bg = page.locator('.tl-entry[data-precision="day"] .tl-bar').evaluate("b => getComputedStyle(b).backgroundImage")
    assert "gradient" in open_bg and day_bg == "none"
    assert page.console_errors == [] and page.dialogs == []


def test_story_with_only_open_ended_events_gets_an_axis_ending_at_publication(page, base_url):
    open_timeline(page, base_url, "story-evil")
    entry = page.locator('#timeline > .tl-entry[data-precision="before_publication"]')
    assert entry.count() == 1
    assert page.locator("#timeline .tl-axis-start").inner_text() == "2021-04-01"
    assert page.locator("#timeline .tl-axis-end").inner_text() == "2021-05-01"
    assert page.dialogs == [] and page.console_errors == []


def test_event_tables_say_before_publication_not_undated(page, base_url):
    page.goto(f"{base_url}/stories/story-1")
    assert "before 2020-04-06 (publication)" in page.locator("#events").inner_text()
    page.goto(f"{base_url}/events?outlet=News+Front")
    assert "before 2020-04-06 (publication)" in page.locator("#events").inner_text()
