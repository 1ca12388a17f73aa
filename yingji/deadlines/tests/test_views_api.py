import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from yingji.deadlines import services
from yingji.deadlines.choices import DeadlineStatus
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.roles import Role

from .conftest import at

NOW = at(2026, 11, 22, 10)  # "today" of the project: a Sunday in the last quarter


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(test_rules, region, make_enterprise, make_user):
    admin = make_user(Role.PLATFORM_ADMIN)
    near = make_enterprise(place=region["village001"], name="本镇企业")
    far = make_enterprise(place=region["village100"], name="外县企业")
    return {
        "admin": admin,
        "near": services.track(near, rule="test.rectify", start=None, actor=admin, title="本镇隐患整改"),
        "far": services.track(far, rule="test.rectify", start=None, actor=admin, title="外县隐患整改"),
        "town_officer": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
        "grid": make_user(Role.GRID_WORKER, place=region["village001"]),
    }


def test_api_lists_only_deadlines_in_the_users_place_subtree(setup, api):
    client = api(setup["town_officer"])
    response = client.get("/api/v1/deadlines/")
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["本镇隐患整改"]
    row = response.json()["results"][0]
    assert row["place"] == "320602001202" and row["rule_label"] == "测试整改（5个工作日）"
    assert row["due_at"] == "2026-11-27T23:59:59+08:00" and row["status"] == "open"
    missing = client.get(f"/api/v1/deadlines/{setup['far'].pk}/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert len(api(setup["admin"]).get("/api/v1/deadlines/").json()["results"]) == 2


def test_api_filters(setup, api):
    client = api(setup["admin"])
    assert client.get("/api/v1/deadlines/", {"place": "320612000000"}).json()["count"] == 1
    assert client.get("/api/v1/deadlines/", {"overdue": "true"}).json()["count"] == 0
    assert client.get("/api/v1/deadlines/", {"rule": "test.rectify"}).json()["count"] == 2
    assert (
        client.get(
            "/api/v1/deadlines/", {"item_type": "orgs.enterprise", "item_id": setup["near"].object_id}
        ).json()["count"]
        == 1
    )
    with time_machine.travel(at(2026, 11, 28, 0, 0, 1), tick=False):  # past due, before the periodic check
        assert client.get("/api/v1/deadlines/", {"overdue": "true"}).json()["count"] == 2


def test_ui_list_is_scoped_and_warns_about_next_year(setup, client):
    client.force_login(setup["town_officer"])
    response = client.get(reverse("deadlines:deadline_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本镇隐患整改" in html and "外县隐患整改" not in html
    assert "2027年法定节假日尚未录入，按周末推算" in html
    assert client.get(reverse("deadlines:deadline_detail", args=[setup["far"].pk])).status_code == 404
    detail = client.get(reverse("deadlines:deadline_detail", args=[setup["near"].pk]))
    assert detail.status_code == 200 and "挂牌督办" in detail.content.decode()
    filtered = client.get(reverse("deadlines:deadline_list"), {"status": "met"})
    assert "本镇隐患整改" not in filtered.content.decode()


def test_the_warning_disappears_once_next_year_is_entered(setup, client):
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
    client.force_login(setup["admin"])
    html = client.get(reverse("deadlines:deadline_list")).content.decode()
    assert "尚未录入" not in html


def test_meet_cancel_and_list_through_the_api(setup, api, notified):
    officer = api(setup["town_officer"])
    near = setup["near"]
    # a grid worker may see but not act
    denied = api(setup["grid"]).post(f"/api/v1/deadlines/{near.pk}/meet/")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    assert officer.post(f"/api/v1/deadlines/{setup['far'].pk}/meet/").status_code == 404
    listed = officer.post(
        f"/api/v1/deadlines/{near.pk}/list-for-supervision/",
        {"level_place": "320602001000", "due_at": "2026-12-10T17:00:00+08:00", "note": "从严"},
        format="json",
    )
    assert listed.status_code == 200, listed.json()
    assert (
        listed.json()["listed_by"] == "320602001000"
        and listed.json()["due_at"] == "2026-12-10T17:00:00+08:00"
    )
    refused = officer.post(
        f"/api/v1/deadlines/{near.pk}/list-for-supervision/", {"level_place": "320602000000"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "out_of_scope"
    met = officer.post(f"/api/v1/deadlines/{near.pk}/meet/")
    assert met.status_code == 200 and met.json()["status"] == "met"
    again = officer.post(f"/api/v1/deadlines/{near.pk}/cancel/", {"reason": "误报"}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"][0]["code"] == "invalid_transition"
    # read-only otherwise
    assert officer.patch(f"/api/v1/deadlines/{near.pk}/", {"title": "x"}, format="json").status_code in (
        403,
        405,
    )
    assert officer.delete(f"/api/v1/deadlines/{near.pk}/").status_code in (403, 405)


def test_ui_actions(setup, client, notified):
    client.force_login(setup["town_officer"])
    near = setup["near"]
    response = client.post(reverse("deadlines:deadline_cancel", args=[near.pk]), {"reason": "企业关闭"})
    assert response.status_code == 302
    row = Deadline.objects.get(pk=near.pk)
    assert row.status == DeadlineStatus.CANCELLED and row.cancel_reason == "企业关闭"
    assert client.post(reverse("deadlines:deadline_meet", args=[setup["far"].pk])).status_code == 404
    client.force_login(setup["grid"])
    assert client.post(reverse("deadlines:deadline_meet", args=[near.pk])).status_code == 403


def test_non_admins_cannot_create_calendar_days(setup, api, client):
    officer = setup["town_officer"]
    response = api(officer).post(
        "/api/v1/calendar-days/", {"date": "2027-01-01", "kind": "holiday"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    ranged = api(officer).post(
        "/api/v1/calendar-days/range/",
        {"start": "2027-01-01", "end": "2027-01-03", "kind": "holiday"},
        format="json",
    )
    assert ranged.status_code == 403
    assert api(officer).get("/api/v1/calendar-days/").status_code == 403
    assert not CalendarDay.objects.exists()
    client.force_login(officer)
    assert client.get(reverse("deadlines:calendarday_add")).status_code == 403
    assert (
        client.post(
            reverse("deadlines:calendarday_add"), {"date": "2027-01-01", "kind": "holiday"}
        ).status_code
        == 403
    )
    assert client.get(reverse("deadlines:calendarday_range")).status_code == 403
    assert not CalendarDay.objects.exists()
    # … but everyone signed in may read the year view
    assert client.get(reverse("deadlines:calendar_year", args=[2026])).status_code == 200


def test_admins_manage_calendar_days(setup, api, client):
    admin = api(setup["admin"])
    created = admin.post(
        "/api/v1/calendar-days/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, format="json"
    )
    assert created.status_code == 201, created.json()
    duplicate = admin.post("/api/v1/calendar-days/", {"date": "2027-01-01", "kind": "holiday"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["code"] == "validation_error"
    assert duplicate.json()["error"]["fields"]["date"][0]["code"] == "unique"
    ranged = admin.post(
        "/api/v1/calendar-days/range/",
        {"start": "2027-02-06", "end": "2027-02-08", "kind": "holiday", "name": "春节"},
        format="json",
    )
    assert ranged.status_code == 201 and len(ranged.json()) == 3
    bad = admin.post(
        "/api/v1/calendar-days/range/",
        {"start": "2027-02-08", "end": "2027-02-06", "kind": "holiday"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["end"][0]["code"] == "end_before_start"
    assert admin.delete(f"/api/v1/calendar-days/{created.json()['id']}/").status_code == 204
    assert CalendarDay.objects.count() == 3
    # the generic pages
    client.force_login(setup["admin"])
    page = client.post(
        reverse("deadlines:calendarday_add"), {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    )
    assert page.status_code == 302
    listing = client.get(reverse("deadlines:calendarday_list"), {"year": 2027})
    assert listing.status_code == 200 and "国庆节" in listing.content.decode()
    day = CalendarDay.objects.get(date=dt.date(2027, 10, 1))
    assert client.post(reverse("deadlines:calendarday_delete", args=[day.pk])).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    form = client.post(
        reverse("deadlines:calendarday_range"),
        {"start": "2027-10-01", "end": "2027-10-07", "kind": "holiday", "name": "国庆节"},
    )
    assert form.status_code == 302
    assert CalendarDay.objects.filter(date__month=10).count() == 7


def test_working_days_helper(setup, api):
    client = api(setup["grid"])
    response = client.get("/api/v1/calendar/working-days/", {"start": "2026-02-13", "n": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-02-24T23:59:59+08:00" and body["due_date"] == "2026-02-24"
    assert body["estimated"] is False and body["coverage"][0]["source"] == "package"
    crossing = client.get(
        "/api/v1/calendar/working-days/", {"start": "2026-12-28T09:00:00+08:00", "n": 5}
    ).json()
    assert crossing["due_date"] == "2027-01-04" and crossing["estimated"] is True
    assert crossing["coverage"][1] == {
        "year": 2027,
        "source": "fallback",
        "message": "2027年法定节假日尚未录入，按周末推算",
    }
    hours = client.get(
        "/api/v1/calendar/working-days/", {"start": "2026-10-01T09:00:00+08:00", "n": 3, "unit": "hours"}
    ).json()
    assert hours["due_at"] == "2026-10-01T12:00:00+08:00"
    bad = client.get("/api/v1/calendar/working-days/", {"start": "next week", "n": -1})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"start", "n"}
    assert api().get("/api/v1/calendar/working-days/", {"start": "2026-02-13", "n": 2}).status_code in (
        401,
        403,
    )


def test_year_view_and_api(setup, client, api):
    client.force_login(setup["grid"])
    html = client.get(reverse("deadlines:calendar_year", args=[2026])).content.decode()
    assert 'data-date="2026-02-14" data-kind="adjusted_workday"' in html
    assert 'data-date="2026-02-17" data-kind="holiday"' in html
    assert "春节" in html and 'data-source="package"' in html
    html_2027 = client.get(reverse("deadlines:calendar_year", args=[2027])).content.decode()
    assert "2027年法定节假日尚未录入，按周末推算" in html_2027 and 'data-source="fallback"' in html_2027
    assert client.get(reverse("deadlines:calendar_year")).status_code == 200
    year = api(setup["grid"]).get("/api/v1/calendar/years/2026/").json()
    assert year["source"] == "package" and len(year["days"]) == 365
    assert year["working_days"] == 248  # 365 − 104 weekend days − 19 weekday holidays + 6 调休 weekends
