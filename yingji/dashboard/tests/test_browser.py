"""The home charts and the map in a real browser (Debian's Chromium): scripts run under the CSP,
layers load, the side list follows the map, search and ``?enterprise=`` focus work, phones stack."""

import pytest

from yingji.conftest import sign_in
from yingji.framework.roles import Role

pytestmark = [pytest.mark.browser]


@pytest.fixture
def scene(region, make_enterprise, make_user):
    e = make_enterprise
    firms = [
        e(
            place=region["village000"],
            longitude=120.03,
            latitude=32.02,
            name="甲化工",
            risk_flags=["hazardous_chemicals"],
        ),
        e(
            place=region["village001"],
            longitude=120.07,
            latitude=32.08,
            name="乙纺织",
            risk_flags=["dust_explosion"],
        ),
        e(place=region["village010"], longitude=120.15, latitude=32.02, name="丙机械"),
        e(place=region["village100"], longitude=121.05, latitude=32.02, name="丁物流"),
    ]
    make_user(Role.PLATFORM_ADMIN, username="boss")
    make_user(Role.BUREAU_OFFICER, username="towner", place=region["town00"])
    return firms


def watch_errors(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_home_charts_render(browser_page, scene):
    page = browser_page()
    errors = watch_errors(page)
    sign_in(page, "boss")
    page.goto(page.base_url + "/")
    for chart in ("section", "risk", "area"):
        page.wait_for_selector(f"#chart-{chart} canvas")
    assert errors == []


def test_home_cards_stack_on_a_phone(browser_page, scene):
    page = browser_page(viewport={"width": 375, "height": 740})
    sign_in(page, "boss")
    page.goto(page.base_url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    first, second = page.locator("#home-cards > .col").nth(0), page.locator("#home-cards > .col").nth(2)
    assert second.bounding_box()["y"] > first.bounding_box()["y"]  # two cards per row: the third wraps


def test_map_lists_search_and_focus(browser_page, scene):
    page = browser_page()
    errors = watch_errors(page)
    sign_in(page, "boss")
    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#map-list [data-enterprise]")
    assert page.locator("#map-list [data-enterprise]").count() == 4
    assert (
        page.locator(".leaflet-control-layers-overlays label").count() >= 3 + 1 + 2
    )  # levels, all, two flags

    page.fill("#map-search-input", "乙纺")
    page.press("#map-search-input", "Enter")
    page.wait_for_selector(".leaflet-popup-content a:has-text('乙纺织')")
    assert page.locator("#map-list [data-enterprise]").count() == 1

    page.goto(page.base_url + f"/map/?enterprise={scene[2].pk}")
    page.wait_for_selector(".leaflet-popup-content a:has-text('丙机械')")
    href = page.locator(".leaflet-popup-content a").first.get_attribute("href")
    assert href == f"/orgs/enterprises/{scene[2].pk}/"
    assert errors == []


def test_town_officer_sees_only_their_town(browser_page, scene):
    page = browser_page()
    sign_in(page, "towner")
    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#map-list [data-enterprise]")
    names = set(page.locator("#map-list [data-enterprise] span:nth-child(2)").all_inner_texts())
    assert names == {"甲化工", "乙纺织"}


def test_map_list_folds_on_a_phone(browser_page, scene):
    page = browser_page(viewport={"width": 375, "height": 740})
    sign_in(page, "boss")
    page.goto(page.base_url + "/map/")
    page.wait_for_selector(".leaflet-container")
    assert not page.locator("#map-side").is_visible()
    page.click("[data-bs-target='#map-side']")
    page.wait_for_selector("#map-side.show")
    assert page.locator("#map-search-input").is_visible()
