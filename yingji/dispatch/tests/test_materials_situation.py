"""Materials issued to an incident, and the situation picture."""

from decimal import Decimal

import pytest

from yingji.dispatch import services, situation
from yingji.dispatch.models import IncidentSupply
from yingji.framework.roles import Role
from yingji.incidents.models import TimelineEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_officer(make_user, region):
    return make_user(Role.BUREAU_OFFICER, place=region["county0"])


def test_issue_links_the_document_and_writes_the_timeline(incident, stocked, county_officer):
    from yingji.materials.models import Stock
    from yingji.materials.services import LineIn

    supply = services.issue_materials(
        incident,
        actor=county_officer,
        warehouse=stocked["warehouse"],
        lines=[LineIn(item=stocked["item"], quantity=Decimal("4"))],
    )
    assert supply.movement.incident == incident.number
    assert supply.summary == "帐篷4顶"
    assert Stock.objects.get(warehouse=stocked["warehouse"]).quantity == Decimal("6")
    entry = TimelineEntry.objects.get(incident=incident, kind="material")
    assert supply.movement.number in entry.text and entry.link.endswith(f"/{supply.movement.pk}/")


def test_insufficient_stock_is_refused_and_nothing_is_written(incident, stocked, county_officer):
    from yingji.materials.models import Movement, Stock
    from yingji.materials.services import InsufficientStock, LineIn

    movements = Movement.objects.count()
    with pytest.raises(InsufficientStock) as caught:
        services.issue_materials(
            incident,
            actor=county_officer,
            warehouse=stocked["warehouse"],
            lines=[LineIn(item=stocked["item"], quantity=Decimal("11"))],
        )
    assert caught.value.domain_code == "insufficient_stock"
    assert "库存不足" in caught.value.text
    assert Movement.objects.count() == movements
    assert IncidentSupply.objects.count() == 0
    assert not TimelineEntry.objects.filter(incident=incident, kind="material").exists()
    assert Stock.objects.get(warehouse=stocked["warehouse"]).quantity == Decimal("10")


def test_issue_needs_the_incident_in_scope(make_incident, region, stocked, county_officer):
    from yingji.framework.access import AccessDenied
    from yingji.materials.services import LineIn

    far = make_incident(place=region["village100"])
    with pytest.raises(AccessDenied):
        services.issue_materials(
            far,
            actor=county_officer,
            warehouse=stocked["warehouse"],
            lines=[LineIn(item=stocked["item"], quantity=Decimal("1"))],
        )
    assert IncidentSupply.objects.count() == 0


def test_parse_radii():
    assert situation.parse_radii("") == situation.DEFAULT_RADII_KM
    assert situation.parse_radii("5,1，3") == (1.0, 3.0, 5.0)
    for bad in ("a", "0", "-1", "100", "1,2,3,4,5,6,7"):
        with pytest.raises(situation.SituationError):
            situation.parse_radii(bad)


def test_circle_points_lie_on_the_radius():
    from yingji.resources.nearest import haversine_m

    ring = situation.circle(120.05, 32.025, 3000)["coordinates"][0]
    assert ring[0] == ring[-1]
    assert all(abs(haversine_m(120.05, 32.025, lon, lat) - 3000) < 1 for lon, lat in ring)


def test_rings_count_villages_and_population_inside_the_radius(incident, admin_user_, region):
    """Villages of the fixture are 0.1° × 0.05° halves of towns; the incident is at village 000's
    centre (120.05, 32.025): village 001's centre is 5.56 km north, village 010's 9.43 km east,
    village 011's 10.9 km away."""
    region["village001"].population = None
    region["village001"].save()
    data = situation.build(incident, admin_user_, (1, 5, 6, 10))
    rings = {r["radius_km"]: r for r in data["summary"]["rings"]}
    assert rings[1] == {"radius_km": 1, "villages": 1, "population": 1000, "unknown": 0}
    assert rings[5]["villages"] == 1
    assert rings[6] == {"radius_km": 6, "villages": 2, "population": 1000, "unknown": 1}
    assert rings[10] == {"radius_km": 10, "villages": 3, "population": 2000, "unknown": 1}
    villages = {
        f["properties"]["code"]: f["properties"]
        for f in data["features"]
        if f["properties"]["role"] == "village"
    }
    assert set(villages) == {region[k].code for k in ("village000", "village001", "village010")}
    assert villages[region["village010"].code]["ring_km"] == 10
    assert [f["properties"]["radius_km"] for f in data["features"] if f["properties"]["role"] == "ring"] == [
        10,
        6,
        5,
        1,
    ]
    assert "估算" in data["summary"]["method"]


def test_situation_is_scoped_and_shows_resources_and_dispatched_teams(
    dispatch, incident, region, make_user, team
):
    from yingji.dispatch import workflow

    task = dispatch()
    workflow.acknowledge(task, actor=task.dispatched_by)
    village_officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    data = situation.build(incident, village_officer, (10,))
    roles = {}
    for f in data["features"]:
        roles.setdefault(f["properties"]["role"], []).append(f["properties"])
    # the town officer sees its town's villages only (not the neighbouring town's village 010)
    assert {v["code"] for v in roles["village"]} == {region["village000"].code, region["village001"].code}
    assert any(r["kind"] == "team" and r["name"] == team.name for r in roles["resource"])  # read up
    assert roles["dispatched_team"][0]["status"] == "acknowledged"
    assert roles["incident"][0]["name"] == str(incident)


def test_incident_without_location_uses_its_place(make_incident, admin_user_, region):
    incident = make_incident(longitude=None, latitude=None)
    data = situation.build(incident, admin_user_, (1,))
    lon, lat = data["summary"]["centre"]
    assert abs(lon - 120.05) < 1e-6 and abs(lat - 32.025) < 1e-6
    assert data["summary"]["located"] is False
