"""The home page: every figure is the scoped count, computed with a fixed number of queries."""

import json
import re

import pytest
from django.urls import reverse

from yingji.audit.models import ObjectChange
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise
from yingji.places.models import Place


@pytest.fixture
def city(region, make_enterprise, make_department):
    """Enterprises in three towns of two counties, with statuses and risk flags."""
    e = make_enterprise
    e(place=region["village000"], risk_flags=["hazardous_chemicals", "major_hazard_source"])
    e(place=region["village000"], risk_flags=["crowded_place"], operating_status="suspended")
    e(place=region["village001"], industry="47")  # E 建筑业
    e(place=region["village010"], risk_flags=["dust_explosion"], operating_status="closed")
    e(place=region["village100"], risk_flags=["hazardous_chemicals"], industry="51")  # F
    e(place=region["village110"])
    make_department(place=region["town00"])
    make_department(place=region["county1"])
    return region


def counts(response) -> dict[str, int]:
    """The figures of the rendered cards, by their data-count key."""
    html = response.content.decode()
    return {k: int(v.replace(",", "")) for k, v in re.findall(r'data-count="([\w-]+)">([\d,]+)<', html)}


def charts(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script id="home-charts" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_admin_sees_every_figure(client, city, make_user):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    figures = counts(response)
    assert figures["enterprises"] == Enterprise.objects.count() == 6
    assert figures["major"] == 3  # hazardous_chemicals ×2, dust_explosion; crowded_place is not major
    assert (figures["status-operating"], figures["status-suspended"], figures["status-closed"]) == (4, 1, 1)
    assert figures["place-county"] == 2 and figures["place-town"] == 4 and figures["place-village"] == 8
    assert figures["department"] == 2
    assert figures["user"] == 1
    assert figures["unread"] == 0

    data = charts(response)
    assert {i["name"]: i["value"] for i in data["area"]} == {"崇川区": 4, "通州区": 2}
    assert data["area"][0]["url"] == reverse("orgs:enterprise_list") + "?place=320602000000"
    risk = {i["url"].rsplit("=", 1)[1]: i["value"] for i in data["risk"]}
    assert risk == {
        "hazardous_chemicals": 2,
        "major_hazard_source": 1,
        "dust_explosion": 1,
        "crowded_place": 1,
    }
    sections = {i["name"][0]: i["value"] for i in data["section"]}
    assert sections == {"C": 4, "E": 1, "F": 1}
    assert data["section"][0]["url"].endswith("?section=C")
    assert "recent-changes" in response.content.decode()


def test_town_officer_counts_only_their_town(client, city, make_user):
    client.force_login(make_user(Role.BUREAU_OFFICER, place=city["town00"]))
    response = client.get(reverse("dashboard:home"))
    figures = counts(response)
    assert figures["enterprises"] == 3  # village000 ×2 and village001; other towns are out of scope
    assert figures["major"] == 1
    assert figures["status-suspended"] == 1 and figures["status-closed"] == 0
    assert figures["place-town"] == 1 and figures["place-village"] == 2 and "place-county" not in figures
    assert figures["department"] == 1
    context = response.context
    assert context["enterprises"]["total"] == Enterprise.objects.filter(place__parent=city["town00"]).count()
    # below county level the distribution is drawn by the places one level down
    assert {i["name"]: i["value"] for i in charts(response)["area"]} == {"崇川区0镇0村": 2, "崇川区0镇1村": 1}


def test_county_officer_sees_distribution_by_town(client, city, make_user):
    client.force_login(make_user(Role.BUREAU_OFFICER, place=city["county0"]))
    response = client.get(reverse("dashboard:home"))
    assert counts(response)["enterprises"] == 4
    assert {i["name"]: i["value"] for i in charts(response)["area"]} == {"崇川区0镇": 3, "崇川区1镇": 1}


def test_recent_changes_are_scoped_and_need_the_audit_right(client, city, make_user, make_enterprise):
    for _ in range(12):
        make_enterprise(place=city["village101"])
    make_enterprise(place=city["village000"])  # newest change, but out of the officer's scope
    officer = make_user(Role.BUREAU_OFFICER, place=city["town10"])
    client.force_login(officer)
    response = client.get(reverse("dashboard:home"))
    changes = response.context["recent_changes"]
    assert len(changes) == 10
    town_path = city["town10"].path
    assert all(c.place is not None and c.place.path.startswith(town_path) for c in changes)
    assert list(changes) == list(ObjectChange.objects.filter(place__path__startswith=town_path)[:10])

    client.force_login(make_user(Role.GRID_WORKER, place=city["town10"]))
    response = client.get(reverse("dashboard:home"))
    assert response.context["recent_changes"] is None
    assert "recent-changes" not in response.content.decode()
    figures = counts(response)
    assert figures["enterprises"] == 13
    assert "department" not in figures and "user" not in figures  # no view right: no card, not a zero


def test_query_count_does_not_grow_with_rows(
    client, city, make_user, make_enterprise, django_assert_max_num_queries
):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    client.get(reverse("dashboard:home"))  # warm up sessions and content types
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("dashboard:home"))
    for i in range(40):
        make_enterprise(place=city[f"village{i % 2}{i % 2}{i % 2}"], risk_flags=["gas"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dashboard:home"))
    assert counts(response)["enterprises"] == 46


def test_home_needs_sign_in(client, db):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unsplit_enterprises_are_labelled(client, city, make_user, make_enterprise):
    """An enterprise whose 属地 is a county (not a village) still counts, in its own bar."""
    make_enterprise(place=Place.objects.get(code="320602000000"))
    client.force_login(make_user(Role.BUREAU_OFFICER, place=city["county0"]))
    area = charts(client.get(reverse("dashboard:home")))["area"]
    assert area[-1]["url"] is None and area[-1]["value"] == 1


def test_open_incidents_card_counts_the_incidents_in_scope_not_yet_ended(client, region, make_user):
    from django.utils import timezone

    from yingji.incidents.models import Incident

    def incident(place, status):
        now = timezone.now()
        Incident.objects.create(
            title="事件",
            category="accident",
            event_type="fire",
            place=place,
            status=status,
            occurred_at=now,
            received_at=now,
        )

    incident(region["village000"], "responding")
    incident(region["village001"], "reported")
    incident(region["village000"], "closed")
    incident(region["village100"], "responding")  # another county
    client.force_login(make_user(Role.DUTY_OFFICER, place=region["county0"]))
    response = client.get(reverse("dashboard:home"))
    assert counts(response)["open-incidents"] == 2
    listing = client.get(reverse("incidents:incident_list") + "?open=true")
    assert listing.status_code == 200 and len(listing.context["table"].rows) == 2
    # roles without incidents (an enterprise user) have no card
    client.force_login(make_user(Role.ENTERPRISE_USER, place=region["village000"]))
    assert "open-incidents" not in counts(client.get(reverse("dashboard:home")))
