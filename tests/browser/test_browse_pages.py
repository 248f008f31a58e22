"""The /events and /claims pages in Chromium: each filter narrows the table, the headers sort
it, confidence shows with its reasons, and the map shows the page's places. The seed-like store
is scored here (its events carry no confidence of their own)."""
from __future__ import annotations

import pytest

from browser_fixtures import browser_fixture, context_fixture, page_fixture  # noqa: F401
from seedlike import SCRIPT, build_seedlike_db

SCORES = {"e-ptv-deploy": (0.9, ["named actor", "day-precise time"]), "e-ptv-strike": (0.6, ["month-precise time"]),
          "e-nf-harir": (0.3, ["anonymous sourcing"])}


@pytest.fixture(scope="module", name="base_url")
def scored_url(tmp_path_factory):
    from sitrep.api.server import background_server

    db = tmp_path_factory.mktemp("browse") / "store.sqlite"
    repo = build_seedlike_db(db)
    for aid in ("ptv", "nf"):
        article = repo.load_article(aid)
        for event in article.events:
            event.confidence, event.confidence_reasons = SCORES[event.id]
        repo.save_derived(article)
    repo.close()
    with background_server(str(db)) as url:
        yield url


def column(page, table, cls):
    return page.locator(f"#{table} tbody td.{cls}").all_inner_texts()


def event_types(page):
    return page.locator("#events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.type)")


def test_events_filter_by_type_confidence_outlet_and_radius(page, base_url):
    page.goto(f"{base_url}/events")
    assert page.locator("#events tbody tr").count() == 4
    page.select_option("select[name=type]", "deploy")
    page.click("#event-filters button")
    page.wait_for_url("**type=deploy**")
    assert event_types(page) == ["deploy", "deploy"]
    page.goto(f"{base_url}/events")
    page.fill("input[name=min_confidence]", "0.5")
    page.click("#event-filters button")
    page.wait_for_url("**min_confidence=0.5**")
    assert sorted(column(page, "events", "confidence")) == ["0.60", "0.90"]
    page.goto(f"{base_url}/events?outlet=News+Front")
    assert page.locator("#events tbody tr").count() == 1 and column(page, "events", "outlet") == ["News Front"]
    # 60 km around the base: the two Ain al-Asad events, not Harir (~400 km) nor the hostile one
    page.goto(f"{base_url}/events")
    page.fill("input[name=km]", "60")
    page.fill("input[name=lat]", "33.8")
    page.fill("input[name=lon]", "42.4")
    page.click("#event-filters button")
    page.wait_for_url("**km=60**")
    assert sorted(event_types(page)) == ["attack", "deploy"]
    page.wait_for_selector("#events-map[data-markers]")
    assert page.get_attribute("#events-map", "data-markers") == "1"
    assert page.console_errors == [] and page.dialogs == []


def test_events_sort_by_header_and_show_confidence_reasons(page, base_url):
    page.goto(f"{base_url}/events")
    starts = page.locator("#events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.start)")
    assert starts[:2] == ["2020-01-01", "2020-03-29"]  # by time first, undated last
    page.click("th[data-sort=confidence] a")
    page.wait_for_url("**sort=confidence**")
    assert column(page, "events", "confidence")[:3] == ["0.90", "0.60", "0.30"]
    page.click("th[data-sort=confidence] a")  # the same header again: the other way round
    page.wait_for_url("**desc=true**")
    assert column(page, "events", "confidence")[1:] == ["0.30", "0.60", "0.90"]
    page.click("th[data-sort=type] a")
    page.wait_for_url("**sort=type**")
    assert event_types(page) == sorted(event_types(page))
    page.goto(f"{base_url}/events?sort=confidence")
    summary = page.locator("#events details.conf summary").first
    assert summary.get_attribute("title") == "named actor; day-precise time"
    summary.click()
    assert page.locator("#events details.conf[open] .reasons li").all_inner_texts() == ["named actor", "day-precise time"]
    assert page.console_errors == []


def test_events_keep_filters_across_sort_and_pages(page, base_url):
    page.goto(f"{base_url}/events?type=attack&limit=1")
    assert page.locator("#events tbody tr").count() == 1
    page.click(".pager a.next")
    page.wait_for_url("**offset=1**")
    assert event_types(page) == ["attack"] and "type=attack" in page.url
    page.click("th[data-sort=place] a")
    page.wait_for_url("**sort=place**")
    assert "type=attack" in page.url


def test_claims_filter_by_origin_kind_named_hedged_and_outlet(page, base_url):
    page.goto(f"{base_url}/claims")
    every = page.locator("#claims tbody tr").count()
    assert every == 3
    page.select_option("select[name=origin_kind]", "anonymous")
    page.click("#claim-filters button")
    page.wait_for_url("**origin_kind=anonymous**")
    assert set(column(page, "claims", "kind")) == {"anonymous"}
    assert page.locator("#claims tbody tr").count() == 2
    page.goto(f"{base_url}/claims?outlet=Press+TV")
    assert column(page, "claims", "outlet") == ["Press TV"]
    page.goto(f"{base_url}/claims?named=yes")
    assert page.locator("#claims tbody tr").count() == 0 and page.locator("p.empty").count() == 1
    page.goto(f"{base_url}/claims?hedged=no&denied=no")
    assert page.locator("#claims tbody tr").count() == every
    page.goto(f"{base_url}/claims?sort=origin")
    origins = column(page, "claims", "origin")
    assert origins == sorted(origins, key=str.casefold)
    assert f"officials {SCRIPT}" in origins  # hostile text shown as text, never run
    assert page.dialogs == [] and page.console_errors == []


def test_bad_filter_value_is_a_clear_page_not_a_crash(page, base_url):
    response = page.goto(f"{base_url}/claims?hedged=maybe")
    assert response.status == 422 and "yes or no" in page.content()
    response = page.goto(f"{base_url}/events?lat=33")
    assert response.status == 422 and "lat, lon and km together" in page.content()
