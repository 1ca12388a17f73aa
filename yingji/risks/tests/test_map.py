"""The risk-grade layer of the map: scoped, coloured by the enterprise's overall grade, worst first."""

from yingji.framework.roles import Role


def test_layer_lists_graded_enterprises_in_scope_worst_first(
    region, make_enterprise, make_point, make_user, api
):
    red = make_enterprise(name="红色企业", longitude=120.05, latitude=32.02)
    blue = make_enterprise(name="蓝色企业", longitude=120.06, latitude=32.03)
    far = make_enterprise(name="外区企业", place=region["village100"], longitude=121.05, latitude=32.02)
    unplaced = make_enterprise(name="无坐标企业")
    make_point(enterprise=red, level="major")
    make_point(enterprise=blue, level="low")
    make_point(enterprise=far, level="major")
    make_point(enterprise=unplaced, level="large")

    client = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    body = client.get("/api/v1/map/risks/").json()
    names = [f["properties"]["name"] for f in body["features"]]
    assert names == ["红色企业", "蓝色企业"]
    first = body["features"][0]
    assert first["properties"]["color"] == "#dc3545" and first["properties"]["level"] == "major"
    assert first["geometry"] == {"type": "Point", "coordinates": [120.05, 32.02]}
    assert first["properties"]["url"] == f"/risks/enterprises/{red.pk}/"
    assert body["truncated"] is False

    only_low = client.get("/api/v1/map/risks/", {"level": "low"}).json()
    assert [f["properties"]["name"] for f in only_low["features"]] == ["蓝色企业"]
    boxed = client.get("/api/v1/map/risks/", {"bbox": "120.055,32.0,120.1,32.1"}).json()
    assert [f["properties"]["name"] for f in boxed["features"]] == ["蓝色企业"]


def test_bad_parameters_and_missing_rights_are_refused(region, make_user, api):
    client = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    bad = client.get("/api/v1/map/risks/", {"bbox": "1,2,3"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["bbox"][0]["code"] == "invalid_bbox"
    level = client.get("/api/v1/map/risks/", {"level": "purple"})
    assert (
        level.status_code == 400 and level.json()["error"]["fields"]["level"][0]["code"] == "invalid_choice"
    )
    info_officer = api(make_user(Role.DISASTER_INFO_OFFICER, place=region["village000"]))
    assert info_officer.get("/api/v1/map/risks/").status_code == 403
