"""The resources map in a real browser (Debian's Chromium): layers and the side list, a click on the
map finds the nearest teams, shelters and stocked warehouses, and "issue materials here" posts an
issue to that place through the materials issue page."""

from decimal import Decimal

import pytest

from yingji.conftest import sign_in
from yingji.framework.access import SYSTEM
from yingji.framework.roles import Role

pytestmark = [pytest.mark.browser]


@pytest.fixture
def scene(region, make_user, team_factory, shelter_factory):
    from yingji.materials import services
    from yingji.materials.models import Item, Warehouse

    make_user(Role.BUREAU_OFFICER, username="res-town", place=region["town00"])
    team_factory(name="镇综合应急救援队", place=region["town00"], longitude=120.055, latitude=32.03)
    team_factory(name="外县救援队", place=region["village100"], longitude=121.05, latitude=32.03)
    shelter_factory(name="镇中心广场避难场所", place=region["village000"], longitude=120.06, latitude=32.025)
    tent = Item.objects.create(
        category="shelter", name="帐篷", specification="12平方米", unit="顶", place=region["city"]
    )
    store = Warehouse.objects.create(
        name="镇储备点", level="town", place=region["town00"], longitude=120.065, latitude=32.035
    )
    services.receive_stock(
        warehouse=store,
        lines=[services.LineIn(item=tent, quantity=Decimal("100"))],
        actor=SYSTEM,
        accepted_by="验收员",
    )
    return {"tent": tent, "store": store}


def test_click_finds_nearest_and_issues_materials_there(scene, region, browser_page, live_server):
    from yingji.materials.services import available_by_warehouse

    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "res-town")
    page.goto(live_server.url + "/resources/map/")
    # layers load and the side list follows them; the other county's team is not there
    page.wait_for_selector('#res-list .yj-res-row[data-kind="teams"]')
    listed = page.locator("#res-list").inner_text()
    assert "镇综合应急救援队" in listed and "镇中心广场避难场所" in listed and "镇储备点" in listed
    assert "外县救援队" not in listed
    # a list row opens its marker's popup
    page.locator('#res-list .yj-res-row[data-kind="teams"]').first.click()
    page.wait_for_selector(".leaflet-popup-content")
    assert "镇综合应急救援队" in page.locator(".leaflet-popup-content").inner_text()
    page.keyboard.press("Escape")
    # ask for 10 tents, then click on an empty spot of the map (west part of the town)
    page.select_option("#res-item", str(scene["tent"].pk))
    page.fill("#res-quantity", "10")
    box = page.locator("#res-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.75)
    page.wait_for_selector('.res-nearest-row[data-kind="material"]')
    nearest = page.locator("#res-nearest-list")
    assert "镇综合应急救援队" in nearest.locator('.res-nearest-row[data-kind="team"]').first.inner_text()
    assert "镇中心广场避难场所" in nearest.locator('.res-nearest-row[data-kind="shelter"]').first.inner_text()
    material = nearest.locator('.res-nearest-row[data-kind="material"]').first
    assert "镇储备点" in material.inner_text() and "100" in material.inner_text()
    assert "外县救援队" not in nearest.inner_text()
    # "issue materials here" opens the materials issue form prefilled with the place and point
    material.locator("a.res-issue").click()
    page.wait_for_url("**/materials/issue/**")
    assert page.locator("#id_place").input_value().startswith(region["town00"].code[:9])
    assert page.locator("#id_longitude").input_value()
    assert page.locator("#id_item").input_value() == str(scene["tent"].pk)
    page.fill("#id_quantity", "10")
    page.click("#save")
    page.wait_for_url(lambda url: "/materials/issue/" not in url)
    assert available_by_warehouse(scene["tent"].pk)[scene["store"].pk] == Decimal("90")
    assert errors == []
