"""The dossier map in Chromium: a note when no event has a place, nearby places merged into a
numbered cluster that opens on click, and the map kept in view while the claim table scrolls."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import build_seedlike_db

from sitrep.model import ClaimGroup, Story

# three places within ~15 km of Ain al-Asad: one cluster at the zoom that also shows Harir
NEARBY = [(33.80, 42.44, "Ain al-Asad"), (33.86, 42.50, "North gate"), (33.74, 42.36, "West range")]


@pytest.fixture(scope="module", name="base_url")
def map_url(tmp_path_factory):
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("map") / "store.sqlite"
    repo = build_seedlike_db(db)
    story = repo.get_story("story-1")
    harir = next(se for se in story.events if se.event.id == "e-nf-harir")
    unplaced = copy.deepcopy(harir)
    unplaced.event.place = None
    repo.save_story(Story("story-noplace", "Nothing placed", ["nf"], start=date(2020, 4, 1), end=date(2020, 4, 6),
                          outlets=["News Front"], events=[unplaced]))
    crowded = []
    for i, (lat, lon, name) in enumerate(NEARBY):
        se = copy.deepcopy(harir)
        se.event.id, se.event_ids = f"near-{i}", [f"near-{i}"]
        se.event.place.lat, se.event.place.lon, se.event.place.resolved_name = lat, lon, name
        crowded.append(se)
    groups = [ClaimGroup(f"g{i}", ["c-ptv-1"], f"claim number {i}", 1, ["Press TV"], 1, ["a source"], False)
              for i in range(80)]
    repo.save_story(Story("story-crowded", "Crowded", ["ptv", "nf"], start=date(2020, 1, 1), end=date(2020, 4, 6),
                          outlets=["Press TV", "News Front"], events=crowded + [harir], claims=groups))
    repo.close()
    with background_server(str(db)) as url:
        yield url


def open_dossier(page, base_url, story):
    page.goto(f"{base_url}/stories/{story}")
    page.wait_for_selector("#timeline[data-ready]")
    page.wait_for_selector("#map[data-markers]")


def test_story_without_placed_events_says_so(page, base_url):
    open_dossier(page, base_url, "story-noplace")
    assert page.get_attribute("#map", "data-markers") == "0"
    assert page.locator("#map-note").inner_text() == "None of this story's 1 event has a place on the map."
    open_dossier(page, base_url, "story-1")
    assert page.locator("#map-note").count() == 0
    assert page.console_errors == []


def test_nearby_places_cluster_and_open_on_click(page, base_url):
    open_dossier(page, base_url, "story-crowded")
    assert page.get_attribute("#map", "data-markers") == "4"
    assert page.get_attribute("#map", "data-clusters") == "1"
    cluster = page.locator("path.cluster-marker")
    assert cluster.count() == 1 and cluster.get_attribute("data-places") == "3"
    assert page.locator("path.event-marker").count() == 1  # Harir alone
    cluster.click(force=True)
    page.wait_for_selector('#map[data-clusters="0"]', state="attached")
    names = page.locator("path.event-marker").evaluate_all("ps => ps.map(p => p.dataset.name)")
    assert sorted(names) == sorted([n for _, _, n in NEARBY] + ["Harir Air Base"])  # the cluster split up
    assert page.console_errors == [] and page.dialogs == []


def test_map_stays_in_view_while_the_claims_scroll(page, base_url):
    open_dossier(page, base_url, "story-crowded")
    last_claim = page.locator("tr.claim-row").last
    last_claim.scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()  # relative to the viewport
    assert page.evaluate("window.scrollY") > 1000
    assert 0 <= box["y"] < 100 and box["height"] > 200
