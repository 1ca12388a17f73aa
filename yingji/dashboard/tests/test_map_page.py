"""The map page: offline (vendored Leaflet, no external URL, no inline code), centred on the user's area."""

import json
import re

from django.test import override_settings
from django.urls import reverse

from yingji.dashboard import layers
from yingji.framework.roles import Role


def config(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_map_page_is_offline_and_has_no_inline_code(client, region, make_user):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    response = client.get(reverse("dashboard:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in html
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html
    assert '<script src="/static/dashboard/map.js"></script>' in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    assert "http://" not in html and "https://" not in html
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        attrs, body = script
        assert "src=" in attrs or 'type="application/json"' in attrs, script
        assert "src=" not in attrs or not body.strip()
    cfg = config(response)
    assert cfg["placesUrl"] == "/api/v1/map/places/"
    assert cfg["enterprisesUrl"] == "/api/v1/map/enterprises/"
    assert cfg["enterpriseUrl"] == reverse("orgs:enterprise_detail", args=[7]).replace("7", "{id}")
    assert [lvl["code"] for lvl in cfg["levels"]] == ["county", "town", "village"]
    assert cfg["tileUrl"] == "" and cfg["focus"] is None
    assert cfg["text"]["allEnterprises"] == "全部企业"
    # the whole region: bounds of the four towns (the fixture's highest places with a boundary)
    assert cfg["bounds"] == [[32.0, 120.0], [32.1, 121.2]]


def test_map_centres_on_a_town_officers_town(client, region, make_user):
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["town10"]))
    cfg = config(client.get(reverse("dashboard:map")))
    assert cfg["bounds"] == [[32.0, 121.0], [32.1, 121.1]]
    assert [lvl["code"] for lvl in cfg["levels"]] == ["town", "village"]


@override_settings(MAP_TILE_URL="http://tiles.gov.internal/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="天地图")
def test_tile_layer_only_when_configured(client, region, make_user):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    cfg = config(client.get(reverse("dashboard:map")))
    assert cfg["tileUrl"] == "http://tiles.gov.internal/{z}/{x}/{y}.png"
    assert cfg["tileAttribution"] == "天地图"


def test_focus_on_one_enterprise(client, region, make_user, make_enterprise):
    mine = make_enterprise(place=region["village000"], longitude=120.05, latitude=32.02, name="港闸化工")
    other = make_enterprise(place=region["village100"], longitude=121.05, latitude=32.02)
    unlocated = make_enterprise(place=region["village000"], name="无坐标公司")
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    url = reverse("dashboard:map")

    cfg = config(client.get(url, {"enterprise": mine.pk}))
    assert cfg["focus"] == {"id": mine.pk, "name": "港闸化工", "lon": 120.05, "lat": 32.02}

    assert client.get(url, {"enterprise": other.pk}).status_code == 404  # out of scope reads as missing
    assert client.get(url, {"enterprise": 99999999}).status_code == 404

    response = client.get(url, {"enterprise": unlocated.pk})
    assert response.status_code == 200 and config(response)["focus"] is None
    assert "无坐标公司" in response.context["notice"]

    response = client.get(url, {"enterprise": "abc"})
    assert response.status_code == 200 and config(response)["focus"] is None and response.context["notice"]


def test_map_needs_sign_in(client, db):
    response = client.get(reverse("dashboard:map"))
    assert response.status_code == 302


def test_scope_place_is_the_common_ancestor(region, make_user):
    from yingji.accounts.models import RoleAssignment

    user = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    assert layers.scope_place(user) == region["town00"]
    RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, place=region["village010"])
    user = type(user).objects.get(pk=user.pk)  # assignments are cached per user object
    assert layers.scope_place(user) == region["county0"]
    RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, place=region["village100"])
    user = type(user).objects.get(pk=user.pk)
    assert layers.scope_place(user) == region["city"]
    assert layers.scope_place(make_user(Role.PLATFORM_ADMIN)) is None
    assert layers.child_level(None) == "county" and layers.child_level(region["village000"]) == "village"


def test_domain_overlays_follow_installed_endpoints_and_view_rights(client, region, make_user, monkeypatch):
    from yingji.dashboard import overlays

    monkeypatch.setattr(
        overlays,
        "OVERLAYS",
        (
            overlays.Overlay("firms", "企业点", "map-enterprises", "orgs.enterprise", "#123456"),
            overlays.Overlay("later", "未安装", "no-such-endpoint", "orgs.enterprise", "#000000"),
            overlays.Overlay("ghost", "无此模型", "map-places", "nosuch.model", "#000000"),
        ),
    )
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["county0"]))
    cfg = config(client.get(reverse("dashboard:map")))
    assert cfg["overlays"] == [
        {"code": "firms", "label": "企业点", "url": "/api/v1/map/enterprises/", "colour": "#123456"}
    ]
    # a disaster-information officer may not view enterprises: the layer is not offered
    client.force_login(make_user(Role.DISASTER_INFO_OFFICER, place=region["village000"]))
    assert config(client.get(reverse("dashboard:map")))["overlays"] == []
