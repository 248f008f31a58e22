"""The real seeds, through the whole pipeline, seen in the browser: the dossier's map markers at
Ain al-Asad and Harir, timeline entries for the January 2020 missile strike and the late-March
2020 deployment, the chain Press TV → Almaalomah → a security source, and the highlighted span
after a click."""
from __future__ import annotations

import math

import pytest

from chromium_setup import ARGS, CHROMIUM, require_browser

from conftest import shared_path


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    sync_api = require_browser()
    from sitrep.api.server import background_server
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    seeds = shared_path("corpus", "seeds")
    db = tmp_path_factory.mktemp("seeds-browser") / "seeds.sqlite"
    repo = SQLiteRepository(db)
    Pipeline(repo).ingest([seeds])
    stories = repo.list_stories()
    assert len(stories) == 1, "the two seeds form one story"
    repo.close()
    with background_server(str(db)) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/stories/{stories[0].id}")
        page.wait_for_selector("#timeline[data-ready]")
        page.wait_for_selector("#map[data-markers]")
        yield page
        browser.close()


def test_map_markers_at_ain_al_asad_and_harir(dossier):
    points = [(float(m.get_attribute("data-lat")), float(m.get_attribute("data-lon")))
              for m in dossier.locator("path.event-marker").all()]
    assert any(km(lat, lon, 33.80, 42.44) <= 25 for lat, lon in points), points
    assert any(km(lat, lon, 36.54, 44.35) <= 25 for lat, lon in points), points


def test_timeline_has_the_january_strike_and_the_late_march_deployment(dossier):
    entries = dossier.locator("#timeline .tl-entry[data-start]").all()
    seen = [(e.get_attribute("data-precision"), e.get_attribute("data-start"), e.get_attribute("data-end"),
             e.inner_text()) for e in entries]
    assert any(p == "month" and s == "2020-01-01" and e == "2020-01-31" and "attack" in t and "Ain al-As" in t
               for p, s, e, t in seen), seen
    assert any(t.startswith("deploy") and "2020-03-2" <= s <= "2020-04-06" for p, s, e, t in seen), seen


def test_chain_and_click_to_highlighted_span(dossier):
    rows = dossier.locator("tr.claim-row", has_text="planes carrying American soldiers")
    assert rows.count() >= 1
    row = rows.first
    assert "Press TV → Almaalomah → a security source" in row.locator(".chain").inner_text()
    row.locator("a.claim-link").click()
    dossier.wait_for_url("**/articles/*?hl=*")
    assert "planes carrying American soldiers" in dossier.locator("mark#hl").inner_text()
