"""The nearest-search API, the map layers and their error codes."""

import json

import pytest

from yingji.framework.roles import Role


@pytest.fixture
def officer(make_user, region):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({}, "coordinates_required", "longitude"),
        ({"longitude": "120.05"}, "coordinates_required", "latitude"),
        ({"longitude": "abc", "latitude": "32"}, "invalid_coordinates", "longitude"),
        ({"longitude": "200", "latitude": "32"}, "invalid_coordinates", "longitude"),
        ({"longitude": "120", "latitude": "-91"}, "invalid_coordinates", "latitude"),
        ({"longitude": "nan", "latitude": "32"}, "invalid_coordinates", "longitude"),
        ({"longitude": "120", "latitude": "32", "kinds": "team,boats"}, "invalid_kind", "kinds"),
        ({"longitude": "120", "latitude": "32", "limit": "0"}, "invalid_limit", "limit"),
        ({"longitude": "120", "latitude": "32", "limit": "51"}, "invalid_limit", "limit"),
        ({"longitude": "120", "latitude": "32", "quantity": "5"}, "item_required", "item"),
        (
            {"longitude": "120", "latitude": "32", "item": "1", "quantity": "-1"},
            "invalid_quantity",
            "quantity",
        ),
        ({"longitude": "120", "latitude": "32", "capacity": "x"}, "invalid_capacity", "capacity"),
        ({"longitude": "120", "latitude": "32", "capability": "flying"}, "invalid_capability", "capability"),
        ({"longitude": "120", "latitude": "32", "team_kind": "navy"}, "invalid_team_kind", "team_kind"),
        ({"longitude": "120", "latitude": "32", "readiness": "asleep"}, "invalid_readiness", "readiness"),
        (
            {"longitude": "120", "latitude": "32", "equipment_kind": "rocket"},
            "invalid_equipment_kind",
            "equipment_kind",
        ),
        ({"place": "999999999999"}, "invalid_place", "place"),
        ({"address": "不存在的地方"}, "invalid_address", "address"),
    ],
)
def test_bad_input_is_400_with_a_code(officer, api, params, code, field):
    response = api(officer).get("/api/v1/resources/nearest/", params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["fields"][field][0]["code"] == code
    assert error["message"]


def test_anonymous_is_refused(api, region):
    response = api().get("/api/v1/resources/nearest/", {"longitude": "120", "latitude": "32"})
    assert response.status_code in (401, 403)


def test_nearest_answer(officer, api, region, team_factory, shelter_factory):
    near = team_factory(longitude=120.051, latitude=32.021, name="近队")
    team_factory(longitude=120.09, latitude=32.09, name="远队")
    hidden = team_factory(place=region["village100"], longitude=120.0501, latitude=32.0201)  # other county
    shelter_factory(capacity=50, longitude=120.0502, latitude=32.0202)
    roomy = shelter_factory(capacity=500, longitude=120.07, latitude=32.03)
    response = api(officer).get(
        "/api/v1/resources/nearest/",
        {
            "longitude": "120.05",
            "latitude": "32.02",
            "kinds": "team,shelter",
            "limit": "1",
            "capacity": "100",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["origin"]["place"] == region["village000"].code
    assert [r["id"] for r in body["results"]["team"]] == [near.pk]
    assert hidden.pk not in [r["id"] for r in body["results"]["team"]]
    assert body["results"]["team"][0]["distance_m"] == pytest.approx(145.8, abs=0.5)
    assert body["results"]["team"][0]["url"] == near.get_absolute_url()
    assert [r["id"] for r in body["results"]["shelter"]] == [roomy.pk]
    assert set(body["results"]) == {"team", "shelter"}


def test_nearest_from_a_place_code(officer, api, region, team_factory):
    from yingji.places.models import Place

    Place.objects.filter(pk=region["village001"].pk).update(centroid_lon=120.05, centroid_lat=32.075)
    team = team_factory(longitude=120.05, latitude=32.075)
    response = api(officer).get(
        "/api/v1/resources/nearest/", {"place": region["village001"].code, "kinds": "team"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["origin"] == {"longitude": 120.05, "latitude": 32.075, "place": region["village001"].code}
    assert body["results"]["team"][0]["id"] == team.pk
    assert body["results"]["team"][0]["distance_m"] == 0


def test_map_layers(officer, api, region, team_factory, shelter_factory):
    own = team_factory(name="本镇队", readiness="deployed")
    county = team_factory(place=region["county0"], longitude=120.3, latitude=32.05, name="县队")
    team_factory(place=region["village100"], name="外县队")
    shelter = shelter_factory(capacity=300, occupancy=0)
    c = api(officer)
    data = json.loads(c.get("/api/v1/resources/map/teams/").content)
    assert data["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in data["features"]}
    assert names == {"本镇队", "县队"}
    props = next(f["properties"] for f in data["features"] if f["id"] == own.pk)
    assert props["url"] == own.get_absolute_url()
    assert props["kind"] == "team" and props["readiness"] == "deployed" and props["color"].startswith("#")
    box = json.loads(c.get("/api/v1/resources/map/teams/", {"bbox": "120.2,32.0,120.4,32.1"}).content)
    assert [f["id"] for f in box["features"]] == [county.pk]
    shelters = json.loads(c.get("/api/v1/resources/map/shelters/").content)
    sp = shelters["features"][0]["properties"]
    assert (sp["capacity"], sp["status"], sp["free_capacity"]) == (300, "closed", 300)
    assert sp["url"] == shelter.get_absolute_url()
    bad = c.get("/api/v1/resources/map/teams/", {"bbox": "1,2,3"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_bbox"
    limited = json.loads(c.get("/api/v1/resources/map/teams/", {"limit": "1"}).content)
    assert len(limited["features"]) == 1 and limited["truncated"] is True


@pytest.mark.parametrize(
    "layer, params, field",
    [
        ("teams", {"team_kind": "navy"}, "team_kind"),
        ("teams", {"readiness": "asleep"}, "readiness"),
        ("teams", {"capability": "flying"}, "capability"),
        ("experts", {"specialty": "astrology"}, "specialty"),
        ("equipment", {"equipment_kind": "rocket"}, "equipment_kind"),
        ("warehouses", {"level": "province"}, "level"),
        ("shelters", {"status": "burning"}, "status"),
        ("shelters", {"shelter_type": "bunker"}, "shelter_type"),
    ],
)
def test_map_layer_refuses_an_unknown_filter_value(officer, api, region, layer, params, field):
    response = api(officer).get(f"/api/v1/resources/map/{layer}/", params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == f"invalid_{field}"
    assert error["fields"][field][0]["code"] == f"invalid_{field}"
    assert params[field] in error["message"]


def test_map_layer_filters_by_a_known_value(officer, api, region, team_factory):
    team_factory(name="综合队", kind="comprehensive", readiness="standby")
    team_factory(name="社会队", kind="social", readiness="standby")
    c = api(officer)
    data = c.get("/api/v1/resources/map/teams/", {"team_kind": "social"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["社会队"]


def test_map_page_renders(officer, client, region):
    client.force_login(officer)
    page = client.get("/resources/map/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="res-map-config"' in html and "resources/map.js" in html
    assert "<script>" not in html.replace("<script src=", "")


def test_team_detail_shows_expiring_certificates(officer, client, team_factory):
    import datetime

    import time_machine

    from yingji.resources.models import TeamMember

    team = team_factory()
    TeamMember.objects.create(team=team, name="王五", certificate_expiry=datetime.date(2026, 3, 1))
    TeamMember.objects.create(team=team, name="赵六", certificate_expiry=datetime.date(2026, 12, 31))
    client.force_login(officer)
    with time_machine.travel(datetime.datetime(2026, 1, 1, 9, 0), tick=False):  # 59 days before the first
        html = client.get(team.get_absolute_url()).content.decode()
        assert 'id="expiring-certificates"' in html and "王五" in html.split('id="team-members"')[0]
        assert "赵六" not in html.split('id="team-members"')[0]
    with time_machine.travel(datetime.datetime(2025, 12, 31, 9, 0), tick=False):  # 60 days: still warned
        assert 'id="expiring-certificates"' in client.get(team.get_absolute_url()).content.decode()
    with time_machine.travel(datetime.datetime(2025, 12, 30, 9, 0), tick=False):  # 61 days before
        html = client.get(team.get_absolute_url()).content.decode()
        assert 'id="expiring-certificates"' not in html
