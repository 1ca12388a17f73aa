import pytest
from django.utils import timezone

from yingji.framework.roles import Role
from yingji.incidents import services
from yingji.incidents.models import Reminder, TimelineEntry


def test_list_filters_and_command_page(client, officer, make_incident, make_plan):
    make_plan(level="4", event_type="fire", duties=[("officer", None, "核实信息", 30)])
    fire = make_incident(event_type="fire", title="仓库火灾")
    make_incident(event_type="flood", title="村组受淹")
    client.force_login(officer)
    listing = client.get("/incidents/incidents/", {"event_type": "fire"}).content.decode()
    assert "仓库火灾" in listing and "村组受淹" not in listing
    assert (
        client.get("/incidents/incidents/", {"occurred_from": "2000-01-01", "grade": "ordinary"}).status_code
        == 200
    )
    services.set_response_level(fire, "4", actor=officer)
    html = client.get(fire.get_absolute_url()).content.decode()
    for fragment in (
        'id="incident-summary"',
        'id="incident-checklist"',
        'id="incident-timeline"',
        "yj-flow-step",
    ):
        assert fragment in html
    assert 'hx-trigger="every 5s"' in html
    assert "核实信息" in html


def test_actions_from_the_page(client, officer, make_incident):
    incident = make_incident(deaths=2)
    client.force_login(officer)
    url = f"/incidents/incidents/{incident.pk}/act/"
    client.post(url + "casualties/", {"deaths": "3"})
    incident.refresh_from_db()
    assert incident.grade == "larger"
    response = client.post(url + "status/", {"status": "closed"}, follow=True)
    assert response.status_code == 200
    response = client.post(url + "status/", {"status": "responding"}, follow=True)
    assert "不能从“已结束”变为“应急处置中”" in response.content.decode()
    response = client.post(
        url + "review/", {"summary": "复盘概述", "reviewed_at": "2025-01-02T10:00"}, follow=True
    )
    assert "复盘概述" in response.content.decode()
    response = client.post(url + "remind/", follow=True)
    assert "没有找到需要提醒的责任部门" in response.content.decode()


def test_live_fragments(client, officer, make_incident, make_user, region):
    incident = make_incident()
    client.force_login(officer)
    for part in ("summary", "checklist", "reminders", "timeline"):
        response = client.get(f"/incidents/incidents/{incident.pk}/live/{part}/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
    services.add_note(incident, "新的决策", actor=officer, decision=True)
    assert "新的决策" in client.get(f"/incidents/incidents/{incident.pk}/live/timeline/").content.decode()
    assert client.get(f"/incidents/incidents/{incident.pk}/live/nothing/").status_code == 404
    other = make_user(Role.BUREAU_OFFICER, place=region["town10"])
    client.force_login(other)
    assert client.get(f"/incidents/incidents/{incident.pk}/live/timeline/").status_code == 404


def test_search_and_duties_panels(client, officer, make_incident, region):
    from yingji.resources.models import Team

    Team.objects.create(
        name="最近的队伍", kind="grassroots", place=region["village000"], longitude=120.05, latitude=32.02
    )
    incident = make_incident()
    client.force_login(officer)
    html = client.get(f"/incidents/incidents/{incident.pk}/search/").content.decode()
    assert "最近的队伍" in html and "km" in html
    assert client.get(f"/incidents/incidents/{incident.pk}/duties/").status_code == 200


def test_leader_reads_but_cannot_act(client, make_user, region, make_incident):
    incident = make_incident()
    leader = make_user(Role.LEADER, place=region["city"])
    client.force_login(leader)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert 'id="level-form"' not in html
    assert client.post(f"/incidents/incidents/{incident.pk}/act/level/", {"level": "4"}).status_code == 403


def test_api_actions_and_timeline(api, officer, make_incident, make_plan):
    make_plan(level="3", duties=[("officer", None, "续报", 60)])
    incident = make_incident()
    client = api(officer)
    base = f"/api/v1/incidents/{incident.pk}/"
    response = client.post(base + "level/", {"level": "3"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "responding"
    bad = client.post(base + "status/", {"status": "closed"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["non_field_errors"][0]["code"] == "invalid_transition"
    assert (
        client.post(base + "casualties/", {"serious_injuries": 10}, format="json").json()["grade"] == "larger"
    )
    items = client.get(base + "checklist/").json()
    tick = client.post(base + f"checklist/{items[0]['id']}/tick/", {}, format="json")
    assert tick.status_code == 200 and tick.json()["done_at"]
    assert (
        client.post(base + "note/", {"text": "决定疏散", "decision": True}, format="json").status_code == 201
    )
    timeline = client.get(base + "timeline/").json()
    kinds = [e["kind"] for e in timeline]
    assert kinds[0] == "created" and {"level", "grade", "checklist", "decision"} <= set(kinds)
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    assert client.get(base + "search/").status_code == 200
    assert client.get(base + "duties/").status_code == 200
    assert client.post(base + "level/", {"level": "9"}, format="json").status_code == 400


def test_api_create_grades_and_patch_regrades(api, officer, region):
    client = api(officer)
    created = client.post(
        "/api/v1/incidents/",
        {
            "title": "爆炸事故",
            "event_type": "hazmat",
            "place": region["village000"].code,
            "occurred_at": "2025-03-01T08:00:00+08:00",
            "received_at": "2025-03-01T08:20:00+08:00",
            "deaths": 10,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["grade"] == "major" and body["category"] == "accident" and body["number"].startswith("SJ-2025-")
    )
    patched = client.patch(f"/api/v1/incidents/{body['id']}/", {"deaths": 30}, format="json")
    assert patched.json()["grade"] == "particularly_major"
    assert TimelineEntry.objects.filter(incident_id=body["id"], text="等级由重大调整为特别重大").exists()
    assert client.get("/api/v1/incidents/response-plans/").status_code == 200


def test_reminder_ack_page_and_api(
    client, api, officer, make_incident, make_plan, make_department, region, make_user
):
    from yingji.accounts.models import Person

    dept = make_department(place=region["county0"], name="区卫健委")
    person = Person.objects.create(
        name="赵六", place=region["county0"], department=dept, mobile="13812345670"
    )
    dept_user = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=dept)
    dept_user.person = person
    dept_user.save()
    other_dept_user = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"])
    make_plan(level="4", duties=[("department", dept, "医疗救治", 30)])
    incident = make_incident()
    services.set_response_level(incident, "4", actor=officer)
    response = api(officer).post(f"/api/v1/incidents/{incident.pk}/remind/", format="json")
    assert response.status_code == 201
    reminder = Reminder.objects.get(incident=incident)
    # the department officer sees the incident and acknowledges through the message link
    client.force_login(dept_user)
    assert client.get(incident.get_absolute_url()).status_code == 200
    page = client.get(reminder.get_absolute_url()).content.decode()
    assert "医疗救治" in page and 'id="ack-button"' in page
    client.post(reminder.get_absolute_url())
    reminder.refresh_from_db()
    assert reminder.acknowledged_by == dept_user
    html = client.get(f"/incidents/incidents/{incident.pk}/live/reminders/").content.decode()
    assert "已确认" in html
    # somebody else: not found
    assert (
        api(other_dept_user).post(f"/api/v1/incidents/reminders/{reminder.pk}/acknowledge/").status_code
        == 404
    )
    assert api(dept_user).post(f"/api/v1/incidents/reminders/{reminder.pk}/acknowledge/").status_code == 200
    assert len(api(dept_user).get("/api/v1/incidents/reminders/mine/").json()) == 1


@pytest.mark.parametrize(
    "url", ["/incidents/responseplans/", "/incidents/departmentdutys/", "/incidents/plandutys/"]
)
def test_configuration_pages(client, make_user, region, make_plan, url):
    make_plan()
    client.force_login(make_user(Role.DEPARTMENT_OFFICER, place=region["county0"]))
    assert client.get(url).status_code == 200


def test_plan_page_shows_chart_and_duty_table(client, make_user, region, make_plan):
    plan = make_plan(duties=[("leader", None, "赶赴现场", 15)])
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["city"]))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert html.count("yj-flow-step") == 3 and "赶赴现场" in html and 'id="add-duty"' in html


def test_demo_loads_fast(region):
    """The demo extension runs on the test region (no demo departments: kind rows only)."""
    import time
    from collections import Counter

    from yingji.incidents import demo
    from yingji.incidents.models import Incident, IncidentReview, ResponsePlan

    started = time.monotonic()
    counts = Counter()
    demo.load_demo(seed=1, counts=counts)
    assert time.monotonic() - started < 10
    assert ResponsePlan.objects.count() == 32 and counts["incidents"] == 4
    assert IncidentReview.objects.count() == 1
    closed = Incident.objects.get(status="closed")
    assert closed.timeline.filter(kind="review").exists()
    demo.remove_demo(counts)
    assert not Incident.objects.exists()


def test_map_layer_and_overlay(api, officer, make_incident, make_user, region):
    from yingji.dashboard.overlays import overlays_for

    inside = make_incident(longitude=120.05, latitude=32.02)
    closed = make_incident(longitude=120.06, latitude=32.03)
    services.change_status(closed, "closed", actor=officer)
    body = api(officer).get("/api/v1/incidents/map/").json()
    assert [f["id"] for f in body["features"]] == [inside.pk]
    assert body["features"][0]["properties"]["url"] == inside.get_absolute_url()
    assert len(api(officer).get("/api/v1/incidents/map/", {"all": "1"}).json()["features"]) == 2
    assert api(officer).get("/api/v1/incidents/map/", {"bbox": "1,2"}).status_code == 400
    town = make_user(Role.BUREAU_OFFICER, place=region["town10"])
    assert api(town).get("/api/v1/incidents/map/").json()["features"] == []
    assert "incidents" in {o["code"] for o in overlays_for(officer)}
    assert "incidents" not in {o["code"] for o in overlays_for(make_user(Role.EXPERT, place=region["city"]))}


def test_map_layer_refusal_follows_the_users_language(api, make_user, region):
    client = api(make_user(Role.EXPERT, place=region["city"]))
    response = client.get("/api/v1/incidents/map/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "您的角色" not in response.json()["error"]["message"]


def test_notify_from_the_page_offers_and_reaches_the_departments_around_the_incident(
    client, officer, make_incident, make_department, region
):
    from yingji.accounts.models import Person
    from yingji.messaging.models import Message

    near = make_department(place=region["county0"], name="崇川区住建局")
    far = make_department(place=region["county1"], name="通州区住建局")
    person = Person.objects.create(
        name="赵六", place=region["county0"], department=near, mobile="13812340000"
    )
    incident = make_incident()
    client.force_login(officer)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "崇川区住建局" in html and "通州区住建局" not in html  # only departments above the incident
    response = client.post(
        f"/incidents/incidents/{incident.pk}/act/notify/",
        {
            "subject": "请立即赶赴现场",
            "departments": [str(near.pk)],
            "places": [str(region["village000"].pk)],
            "mobiles": "13912340001，13912340002",
            "channels": ["sms"],
        },
        follow=True,
    )
    assert "已发送通知“请立即赶赴现场”" in response.content.decode()
    message = Message.objects.get(subject="请立即赶赴现场")
    mobiles = set(message.deliveries.values_list("address", flat=True))
    assert {"13812340000", "13912340001", "13912340002"} <= mobiles
    assert message.deliveries.filter(person=person).exists()
    # a department outside the choices is refused with the field named, nothing is sent
    response = client.post(
        f"/incidents/incidents/{incident.pk}/act/notify/",
        {"subject": "越权", "departments": [str(far.pk)]},
        follow=True,
    )
    assert "部门" in response.content.decode() and not Message.objects.filter(subject="越权").exists()


def test_notify_form_offers_places_one_level_below_the_incident_only(officer, make_incident, region):
    """An incident recorded at a county must not offer every village of it (thousands in a city)."""
    from yingji.incidents.forms import NotifyForm

    def offered(incident):
        return set(NotifyForm(incident=incident, user=officer).fields["places"].queryset)

    at_village = make_incident(place=region["village000"])
    assert offered(at_village) == {
        region[k] for k in ("city", "county0", "town00", "village000", "village001")
    }
    at_county = make_incident(place=region["county0"])
    assert offered(at_county) == {region[k] for k in ("city", "county0", "town00", "town01")}
    at_city = make_incident(place=region["city"])
    assert offered(at_city) == {region[k] for k in ("city", "county0", "county1")}


def test_times_in_the_future_are_refused_on_the_api_and_the_form(api, client, officer, region):
    from yingji.incidents.models import Incident

    body = {
        "title": "未来的事故",
        "event_type": "fire",
        "place": region["village000"].code,
        "occurred_at": "2099-01-01T08:00:00+08:00",
        "received_at": "2099-01-01T09:00:00+08:00",
    }
    response = api(officer).post("/api/v1/incidents/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["received_at"][0]["code"] == "received_in_future"
    client.force_login(officer)
    page = client.post(
        "/incidents/incidents/add/",
        {
            **body,
            "place": region["village000"].pk,
            "occurred_at": "2099-01-01T08:00",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "grade": "ordinary",
            **dict.fromkeys(services.COUNT_FIELDS, "0"),
        },
    )
    assert page.status_code == 200 and "发生时间不能晚于当前时间" in page.content.decode()
    assert not Incident.objects.exists()


def test_department_duty_belongs_to_the_departments_place(api, make_user, region, make_department):
    """A town officer cannot hang duties of another county's department on the town (and so remind it)."""
    from yingji.incidents.models import DepartmentDuty

    far = make_department(place=region["county1"], name="通州区公安局")
    near = make_department(place=region["county0"], name="崇川区公安局")
    body = {"category": "accident", "duties": "警戒", "place": region["town00"].code}
    town = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    refused = town.post("/api/v1/incidents/department-duties/", {**body, "department": far.pk}, format="json")
    assert refused.status_code == 403 and not DepartmentDuty.objects.exists()
    city = api(make_user(Role.BUREAU_OFFICER, place=region["city"]))
    made = city.post("/api/v1/incidents/department-duties/", {**body, "department": near.pk}, format="json")
    assert made.status_code == 201 and made.json()["place"] == region["county0"].code


def test_plan_duty_time_limit_is_bounded(api, make_user, region, make_plan, make_incident):
    plan = make_plan()
    client = api(make_user(Role.BUREAU_OFFICER, place=region["city"]))
    body = {"plan": plan.pk, "role": "officer", "task": "续报"}
    too_long = client.post(
        "/api/v1/incidents/plan-duties/", {**body, "time_limit_minutes": 30 * 24 * 60 + 1}, format="json"
    )
    assert too_long.status_code == 400
    assert too_long.json()["error"]["fields"]["time_limit_minutes"][0]["code"] == "time_limit_too_long"
    # beyond the column's range (PostgreSQL integer) it is a 400 as well, never a 500
    huge = client.post(
        "/api/v1/incidents/plan-duties/", {**body, "time_limit_minutes": 10**12}, format="json"
    )
    assert huge.status_code == 400 and "time_limit_minutes" in huge.json()["error"]["fields"]
    month = client.post(
        "/api/v1/incidents/plan-duties/", {**body, "time_limit_minutes": 30 * 24 * 60}, format="json"
    )
    assert month.status_code == 201


@pytest.mark.parametrize(
    ("act", "data", "expected"),
    [
        ("status", {}, "状态：该字段是必填项。"),
        ("status", {"status": "bogus"}, "状态：选择一个有效的选项"),
        ("casualties", {"deaths": "abc"}, "死亡：输入整数。"),
        ("level", {"level": "9"}, "响应级别：选择一个有效的选项"),
        ("note", {"text": ""}, "内容：该字段是必填项。"),
    ],
)
def test_page_action_refusals_name_the_field(client, officer, make_incident, act, data, expected):
    incident = make_incident()
    client.force_login(officer)
    response = client.post(f"/incidents/incidents/{incident.pk}/act/{act}/", data, follow=True)
    assert response.status_code == 200 and expected in response.content.decode()
    assert incident.timeline.count() == 1  # only the creation: nothing was written
