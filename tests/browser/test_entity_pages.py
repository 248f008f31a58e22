"""The entity index and entity pages in Chromium: type filter and search, each mention in its
sentence, the entity's events, claims it is a source of, its map, and the dossier's key-entity
links that lead there."""
from __future__ import annotations

from browser_fixtures import base_url_fixture, browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import SCRIPT


def names(page):
    return page.locator("#entities .entity-row td:first-child a").all_inner_texts()


def test_index_filters_by_type_and_searches_aliases(page, base_url):
    page.goto(f"{base_url}/entities")
    assert {"Ain al-Asad", "Almaalomah", SCRIPT} <= set(names(page))
    page.select_option("select[name=type]", "ORG")
    page.click("form.filters button")
    page.wait_for_url("**type=ORG**")
    assert names(page) == ["Almaalomah"]
    page.fill("input[name=q]", "ASSAD")  # an alias, other case: still the entity
    page.select_option("select[name=type]", "")
    page.click("form.filters button")
    page.wait_for_url("**q=ASSAD**")
    assert names(page) == ["Ain al-Asad"]
    page.click("#entities a")
    page.wait_for_selector("#entity")
    assert page.locator("h1").inner_text().startswith("Ain al-Asad")
    assert page.console_errors == [] and page.dialogs == []


def test_entity_page_shows_mentions_in_sentences_events_and_map(page, base_url):
    page.goto(f"{base_url}/entities/ent-asad")
    page.wait_for_selector("#entity-map[data-markers]")
    sentences = page.locator("#mentions .sentence").all_inner_texts()
    assert "Sources say Patriot systems were placed at the Ain al-Assad base." in sentences
    assert any(s.startswith("Ain al-Asad base was struck by Iranian missiles") for s in sentences)
    events = page.locator("#entity-events li").all_inner_texts()
    assert any(e.startswith("attack") for e in events) and any(e.startswith("deploy") for e in events)
    # both events stand at the base: one marker, drawn over the offline borders
    assert page.get_attribute("#entity-map", "data-markers") == "1"
    assert page.locator("path.place-marker").count() == 1
    assert page.locator("img.leaflet-tile").count() == 0
    page.locator("#mentions a.mention-link").first.click()
    page.wait_for_selector("mark.hl#hl")
    assert "Ain al-Ass" in page.locator("mark.hl#hl").inner_text()
    assert page.console_errors == [] and page.dialogs == []


def test_entity_page_lists_claims_it_is_a_source_of(page, base_url):
    page.goto(f"{base_url}/entities/ent-alma")
    claims = page.locator("#entity-claims .claim-item")
    assert claims.count() == 1
    assert "planes carrying American soldiers" in claims.first.inner_text()
    assert "Almaalomah" in claims.first.locator(".chain").inner_text()
    assert page.locator("#no-places").count() == 1  # no coordinates: said, not an empty map
    assert page.console_errors == []


def test_dossier_key_entities_link_to_entity_pages(page, base_url):
    page.goto(f"{base_url}/stories/story-1")
    links = page.locator(".key-entities a.entity-link")
    assert links.count() >= 1
    first = links.first.inner_text()
    links.first.click()
    page.wait_for_selector("#entity")
    assert first in page.locator("h1").inner_text() or first in page.locator(".aliases").inner_text()
    assert page.console_errors == []


def test_hostile_entity_name_is_text_everywhere(page, base_url):
    page.goto(f"{base_url}/entities?q=script")
    assert SCRIPT in names(page)
    page.goto(f"{base_url}/entities/ent-evil")
    assert SCRIPT in page.locator("h1").inner_text()
    assert page.dialogs == [] and page.locator("#entity script").count() == 0
