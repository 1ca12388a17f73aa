"""Coverage figures on a small known dataset (the region fixture: 2 counties × 2 towns × 2 villages of
1,000 residents each)."""

from decimal import Decimal

import pytest

from yingji.framework.roles import Role
from yingji.resources.coverage import coverage


@pytest.fixture
def dataset(region, team_factory, shelter_factory):
    # town00: 3,000 m² for 2,000 residents = 1.50 m²/人 (below 2.5); town01: 5,000 m² = 2.50 (meets, boundary)
    shelter_factory(place=region["village000"], effective_area_m2=Decimal("1000"), capacity=500)
    shelter_factory(place=region["town00"], grade="town", effective_area_m2=Decimal("2000"), capacity=800)
    shelter_factory(place=region["village010"], effective_area_m2=Decimal("5000"), capacity=2000)
    shelter_factory(
        place=region["village100"], effective_area_m2=Decimal("99999"), capacity=9000
    )  # other county
    team_factory(place=region["town00"], headcount=20)
    team_factory(place=region["village001"], headcount=8)
    team_factory(place=region["town01"], kind="social", headcount=30)
    team_factory(place=region["county0"], kind="comprehensive", headcount=60)  # the county's own: no town
    return region


def _warehouses(region):
    from yingji.resources.nearest import warehouse_model

    Warehouse = warehouse_model()
    if Warehouse is None:
        return False
    Warehouse.objects.create(
        name="镇储备点", level="town", place=region["town00"], longitude=120.05, latitude=32.05
    )
    Warehouse.objects.create(
        name="村储备室", level="village", place=region["village000"], longitude=120.05, latitude=32.02
    )
    Warehouse.objects.create(
        name="县储备库", level="county", place=region["county0"], longitude=120.1, latitude=32.05
    )
    return True


def test_county_coverage_per_town(dataset, make_user):
    has_materials = _warehouses(dataset)
    officer = make_user(Role.BUREAU_OFFICER, place=dataset["county0"])
    data = coverage(officer, dataset["county0"])
    assert [r.place.name for r in data.rows] == ["崇川区0镇", "崇川区1镇"]
    t0, t1 = data.rows
    assert t0.population == 2000 and t1.population == 2000
    assert (t0.shelters, t0.shelter_area, t0.shelter_capacity) == (2, Decimal("3000"), 1300)
    assert t0.per_capita_area == Decimal("1.50") and t0.meets_target is False
    assert t1.per_capita_area == Decimal("2.50") and t1.meets_target is True
    assert (t0.teams, t0.team_headcount, t0.grassroots_teams) == (2, 28, 2)
    assert (t1.teams, t1.grassroots_teams) == (1, 0)
    assert data.total.shelter_area == Decimal("8000")
    assert data.total.per_capita_area == Decimal("2.00")
    assert data.total.teams == 3  # the county's own team belongs to no town
    if has_materials:
        # the warehouses are read as the platform administrator (the materials app grants its own rights)
        data = coverage(make_user(Role.PLATFORM_ADMIN), dataset["county0"])
        t0, t1 = data.rows
        assert data.materials_available
        by_level = {w.level: (w.covered, w.places) for w in t0.warehouses}
        assert by_level == {"town": (1, 1), "village": (1, 2)}
        assert {w.level: (w.covered, w.places) for w in t1.warehouses} == {"town": (0, 1), "village": (0, 2)}
        assert {w.level: (w.covered, w.places) for w in data.total.warehouses} == {
            "town": (1, 2),
            "village": (1, 4),
        }


def test_city_coverage_counts_only_what_the_user_sees(dataset, make_user):
    officer = make_user(Role.BUREAU_OFFICER, place=dataset["county0"])
    admin = make_user(Role.PLATFORM_ADMIN)
    # the county officer sees no place of the other county, so the city has one child for it
    assert [r.place.code for r in coverage(officer, dataset["city"]).rows] == [dataset["county0"].code]
    city = coverage(admin, dataset["city"])
    assert [r.shelters for r in city.rows] == [3, 1]
    assert city.rows[1].per_capita_area == Decimal("25.00")


def test_coverage_page_and_api(dataset, make_user, client, api):
    officer = make_user(Role.BUREAU_OFFICER, place=dataset["county0"])
    client.force_login(officer)
    page = client.get("/resources/coverage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "崇川区0镇" in html and "1.50" in html
    response = api(officer).get("/api/v1/resources/coverage/", {"place": dataset["town00"].code})
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body["rows"]] == [dataset["village000"].code, dataset["village001"].code]
    assert body["rows"][0]["per_capita_area_m2"] == 1.0
    assert body["target_per_capita_m2"] == 2.5
    refused = api(officer).get("/api/v1/resources/coverage/", {"place": dataset["county1"].code})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_place"
