"""The GeoJSON layers of the map: valid FeatureCollections holding only what the user may see."""

import gzip
import json

import pytest
from django.urls import reverse

from yingji.dashboard import layers
from yingji.framework.roles import Role
from yingji.places.models import Place
from yingji.places.services import boundaries_changed

PLACES, ENTERPRISES = "/api/v1/map/places/", "/api/v1/map/enterprises/"


def assert_feature_collection(data, geometry_types):
    """RFC 7946 structure; every coordinate is (lon, lat) inside the fixture region."""
    assert data["type"] == "FeatureCollection"
    assert isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["id"] == feature["properties"]["id"]
        geometry = feature["geometry"]
        assert geometry["type"] in geometry_types
        points = (
            [geometry["coordinates"]]
            if geometry["type"] == "Point"
            else [pt for ring in geometry["coordinates"] for pt in ring]
        )
        for lon, lat in points:
            assert 120.0 <= lon <= 121.3 and 32.0 <= lat <= 32.1


@pytest.fixture
def firms(region, make_enterprise):
    e = make_enterprise
    return {
        "a": e(
            place=region["village000"], longitude=120.05, latitude=32.02, risk_flags=["hazardous_chemicals"]
        ),
        "b": e(place=region["village001"], longitude=120.05, latitude=32.08, risk_flags=["dust_explosion"]),
        "c": e(
            place=region["village010"], longitude=120.15, latitude=32.02, risk_flags=["hazardous_chemicals"]
        ),
        "d": e(place=region["village100"], longitude=121.05, latitude=32.02, name="通州化工有限公司"),
        "nowhere": e(place=region["village000"]),  # no location: not on the map
    }


def ids(response) -> set[int]:
    return {f["id"] for f in response.json()["features"]}


def names(response) -> set[str]:
    return {f["properties"]["name"] for f in response.json()["features"]}


# --- places ----------------------------------------------------------------------------------


def test_admin_gets_every_boundary_of_a_level(api, region, make_user):
    response = api(make_user(Role.PLATFORM_ADMIN)).get(PLACES, {"level": "town"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert_feature_collection(data, {"Polygon", "MultiPolygon"})
    assert names(response) == {"崇川区0镇", "崇川区1镇", "通州区0镇", "通州区1镇"}
    props = data["features"][0]["properties"]
    assert set(props) == {"id", "code", "name", "level", "population"} and props["level"] == "town"
    # counties have no boundary in the fixture: left out, not sent with a null geometry
    assert api(make_user(Role.PLATFORM_ADMIN)).get(PLACES, {"level": "county"}).json()["features"] == []


def test_simplified_outlines_are_counterclockwise(api, region, make_user):
    feature = api(make_user(Role.PLATFORM_ADMIN)).get(PLACES, {"level": "town"}).json()["features"][0]
    ring = feature["geometry"]["coordinates"][0]
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    assert area2 > 0  # RFC 7946 right-hand rule


def test_town_officer_gets_only_their_villages(api, region, make_user):
    client = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    response = client.get(PLACES, {"level": "village"})
    assert names(response) == {"崇川区0镇0村", "崇川区0镇1村"}
    assert_feature_collection(response.json(), {"Polygon"})
    assert names(client.get(PLACES, {"level": "town"})) == {"崇川区0镇"}
    assert client.get(PLACES, {"level": "county"}).json()["features"] == []


def test_places_bbox_filter(api, region, make_user):
    client = api(make_user(Role.PLATFORM_ADMIN))
    # inside the lower half of 崇川区1镇 (lon 120.1–120.2, lat 32.0–32.05): only that village
    response = client.get(PLACES, {"level": "village", "bbox": "120.12,32.01,120.18,32.04"})
    assert names(response) == {"崇川区1镇0村"}
    response = client.get(PLACES, {"level": "village", "bbox": "121.5,32.0,121.6,32.1"})
    assert response.json()["features"] == []


@pytest.mark.parametrize(
    "params, field, code",
    [
        ({"level": "province"}, "level", "invalid_level"),
        ({"level": "town", "bbox": "120,32,121"}, "bbox", "invalid_bbox"),
        ({"level": "town", "bbox": "121,32,120,33"}, "bbox", "invalid_bbox"),
        ({"level": "town", "bbox": "a,b,c,d"}, "bbox", "invalid_bbox"),
    ],
)
def test_places_bad_parameters(api, region, make_user, params, field, code):
    response = api(make_user(Role.PLATFORM_ADMIN)).get(PLACES, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"][field][0]["code"] == code
    assert error["fields"][field][0]["message"]


def test_boundary_changes_reach_the_layer(api, region, make_user):
    client = api(make_user(Role.PLATFORM_ADMIN))
    assert len(client.get(PLACES, {"level": "village"}).json()["features"]) == 8
    village = region["village000"]
    village.boundary = {
        "type": "Polygon",
        "coordinates": [[[120.0, 32.0], [120.01, 32.0], [120.01, 32.01], [120.0, 32.0]]],
    }
    village.save()
    boundaries_changed()
    feature = next(
        f for f in client.get(PLACES, {"level": "village"}).json()["features"] if f["id"] == village.pk
    )
    assert feature["geometry"]["coordinates"][0][1] == [120.01, 32.0]
    # a place written without bumping the version is still picked up
    Place.objects.create(
        code="320602001203", name="新村", level="village", parent=region["town00"], boundary=village.boundary
    )
    assert "新村" in names(client.get(PLACES, {"level": "village"}))


# --- enterprises -----------------------------------------------------------------------------


def test_enterprises_are_scoped_points(api, firms, region, make_user):
    response = api(make_user(Role.PLATFORM_ADMIN)).get(ENTERPRISES)
    assert response.status_code == 200
    data = response.json()
    assert_feature_collection(data, {"Point"})
    assert ids(response) == {firms[k].pk for k in "abcd"}  # "nowhere" has no location
    a = next(f for f in data["features"] if f["id"] == firms["a"].pk)
    assert a["geometry"]["coordinates"] == [120.05, 32.02]  # lon, lat
    assert a["properties"] == {
        "id": firms["a"].pk,
        "name": firms["a"].name,
        "risk_flags": ["hazardous_chemicals"],
        "industry": "26",
        "operating_status": "operating",
        "place": "320602001201",
        "place_name": "崇川区0镇0村",
    }

    town_officer = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    assert ids(town_officer.get(ENTERPRISES)) == {firms["a"].pk, firms["b"].pk}
    # a filter cannot widen the scope
    assert ids(town_officer.get(ENTERPRISES, {"place": "320612001000"})) == set()


def test_enterprise_filters(api, firms, make_user):
    client = api(make_user(Role.PLATFORM_ADMIN))
    assert ids(client.get(ENTERPRISES, {"risk_flag": "hazardous_chemicals"})) == {
        firms["a"].pk,
        firms["c"].pk,
    }
    assert ids(client.get(ENTERPRISES, {"risk_flag": "dust_explosion"})) == {firms["b"].pk}
    assert ids(client.get(ENTERPRISES, {"bbox": "120.0,32.0,120.1,32.05"})) == {firms["a"].pk}
    assert ids(
        client.get(ENTERPRISES, {"bbox": "120.0,32.0,120.2,32.05", "risk_flag": "hazardous_chemicals"})
    ) == {firms["a"].pk, firms["c"].pk}
    assert ids(client.get(ENTERPRISES, {"place": "320602001000"})) == {firms["a"].pk, firms["b"].pk}
    assert ids(client.get(ENTERPRISES, {"q": "通州化工"})) == {firms["d"].pk}


def test_enterprise_bad_filter_is_a_clear_400(api, firms, make_user):
    client = api(make_user(Role.PLATFORM_ADMIN))
    response = client.get(ENTERPRISES, {"risk_flag": "volcano"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["fields"]["risk_flag"][0]["code"] == "invalid_choice"
    response = client.get(ENTERPRISES, {"bbox": "1,2,3"})
    assert response.json()["error"]["fields"]["bbox"][0]["code"] == "invalid_bbox"


@pytest.mark.parametrize("url", [PLACES, ENTERPRISES])
def test_anonymous_is_refused_with_the_error_shape(api, region, url):
    response = api(None).get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("url", [PLACES, ENTERPRISES])
def test_user_without_role_is_forbidden(api, region, make_user, url):
    response = api(make_user(role=None)).get(url)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_disaster_officer_may_see_places_but_not_enterprises(api, firms, region, make_user):
    client = api(make_user(Role.DISASTER_INFO_OFFICER, place=region["town00"]))
    assert client.get(PLACES, {"level": "village"}).status_code == 200
    assert client.get(ENTERPRISES).status_code == 403


def test_large_layers_are_gzipped_when_accepted(api, firms, region, make_user, monkeypatch):
    monkeypatch.setattr("yingji.dashboard.api.views.GZIP_MIN_BYTES", 100)
    client = api(make_user(Role.PLATFORM_ADMIN))
    plain = client.get(PLACES, {"level": "village"})
    zipped = client.get(PLACES, {"level": "village"}, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert "Accept-Encoding" in zipped["Vary"]


def test_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (PLACES, ENTERPRISES):
        operation = schema["paths"][path]["get"]
        assert "application/geo+json" in operation["responses"]["200"]["content"]
    params = {p["name"] for p in schema["paths"][ENTERPRISES]["get"]["parameters"]}
    assert {"risk_flag", "bbox", "place", "q"} <= params


def test_parse_bbox():
    assert layers.parse_bbox("120.1, 31.9,121,32") == (120.1, 31.9, 121.0, 32.0)
    assert layers.parse_bbox("") is None
    with pytest.raises(layers.BboxError):
        layers.parse_bbox("120,32,200,33")
