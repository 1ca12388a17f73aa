"""Scope of the resources, with reading up: a town sees its county's and city's resources read-only,
never a sibling county's; a department officer manages its own department's teams."""

import pytest

from yingji.framework.roles import Role
from yingji.resources.models import Equipment, Team


@pytest.fixture
def town_officer(make_user, region):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def test_town_officer_views_county_team_but_cannot_change_it(region, town_officer, team_factory, api, client):
    county_team = team_factory(place=region["county0"], name="县综合救援队")
    city_team = team_factory(place=region["city"], name="市消防支队")
    own = team_factory(place=region["village000"])
    c = api(town_officer)
    listed = {row["id"] for row in c.get("/api/v1/resources/teams/", {"page_size": 500}).json()["results"]}
    assert {county_team.pk, city_team.pk, own.pk} <= listed
    assert c.get(f"/api/v1/resources/teams/{county_team.pk}/").status_code == 200
    refused = c.patch(f"/api/v1/resources/teams/{county_team.pk}/", {"headcount": 99}, format="json")
    assert refused.status_code in (403, 404)
    county_team.refresh_from_db()
    assert county_team.headcount == 10
    assert c.delete(f"/api/v1/resources/teams/{county_team.pk}/").status_code in (403, 404)
    assert Team.objects.filter(pk=county_team.pk).exists()
    # own team: may change
    assert c.patch(f"/api/v1/resources/teams/{own.pk}/", {"headcount": 11}, format="json").status_code == 200
    # pages: the detail shows without an edit button; the edit page is refused
    client.force_login(town_officer)
    page = client.get(county_team.get_absolute_url())
    assert page.status_code == 200
    assert 'id="edit-object"' not in page.content.decode()
    assert client.get(f"/resources/teams/{county_team.pk}/edit/").status_code == 404


def test_town_officer_cannot_create_at_the_county(region, town_officer, api):
    response = api(town_officer).post(
        "/api/v1/resources/teams/",
        {"name": "越权队伍", "kind": "social", "place": region["county0"].code},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "out_of_scope"


def test_sibling_county_and_its_towns_stay_hidden(region, town_officer, team_factory, shelter_factory, api):
    other_county = team_factory(place=region["county1"])
    other_town = team_factory(place=region["town10"])
    sibling_town = team_factory(place=region["town01"])  # same county, other town: not an ancestor
    shelter = shelter_factory(place=region["county1"], grade="county")
    c = api(town_officer)
    for pk in (other_county.pk, other_town.pk, sibling_town.pk):
        response = c.get(f"/api/v1/resources/teams/{pk}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert c.get(f"/api/v1/resources/shelters/{shelter.pk}/").status_code == 404


def test_department_officer_manages_only_its_department(
    region, make_user, make_department, team_factory, api
):
    mine, other = make_department(region["county0"]), make_department(region["county0"])
    officer = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=mine)
    own_team = team_factory(
        place=region["county0"], kind="professional", specialty="gas", owner_department=mine
    )
    foreign = team_factory(place=region["county0"], owner_department=other)
    c = api(officer)
    assert (
        c.patch(f"/api/v1/resources/teams/{own_team.pk}/", {"headcount": 40}, format="json").status_code
        == 200
    )
    assert c.get(f"/api/v1/resources/teams/{foreign.pk}/").status_code == 404
    created = c.post(
        "/api/v1/resources/equipment/",
        {
            "name": "抢险发电车",
            "kind": "generator",
            "place": region["county0"].code,
            "owner_department": mine.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    refused = c.post(
        "/api/v1/resources/equipment/",
        {
            "name": "他人的泵车",
            "kind": "pump_truck",
            "place": region["county0"].code,
            "owner_department": other.pk,
        },
        format="json",
    )
    assert refused.status_code == 403
    assert Equipment.objects.filter(name="他人的泵车").count() == 0


def test_enterprise_users_see_no_resources(region, make_user, make_enterprise, team_factory, api):
    user = make_user(Role.ENTERPRISE_USER, enterprise=make_enterprise())
    team_factory()
    assert api(user).get("/api/v1/resources/teams/").status_code == 403


def test_duty_officer_reads_but_does_not_write(region, make_user, team_factory, api):
    duty = make_user(Role.DUTY_OFFICER, place=region["city"])
    team = team_factory()
    c = api(duty)
    assert c.get(f"/api/v1/resources/teams/{team.pk}/").status_code == 200
    assert c.patch(f"/api/v1/resources/teams/{team.pk}/", {"headcount": 1}, format="json").status_code == 403
