"""Every duty page answers, for the roles that see it; the page workflows call the services."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from yingji.deadlines.calendar import tz
from yingji.duty import services
from yingji.duty.models import DutyRoom, Handover, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.roles import Role

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=tz())

MENU_PAGES = [
    "/duty/",
    "/duty/dutyrooms/",
    "/duty/roster/",
    "/duty/swaps/",
    "/duty/handovers/",
    "/duty/roll-calls/",
    "/duty/evaluation/",
]


@pytest.fixture
def month_of_shifts(rooms, people):
    template = RosterTemplate.objects.create(room=rooms["town00"], name="六月", anchor=dt.date(2026, 6, 1))
    template.leaders.set([people["领导一"]])
    template.officers.set([people["甲"], people["乙"], people["丙"]])
    with time_machine.travel(dt.datetime(2026, 5, 20, 9, 0, tzinfo=tz()), tick=False):
        from yingji.framework.access import SYSTEM

        services.generate_month(template, 2026, 6, actor=SYSTEM)
    return template


def test_urls_of_the_menu_resolve():
    from django.urls import reverse

    names = [
        "overview",
        "dutyroom_list",
        "roster",
        "swaprequest_list",
        "handover_list",
        "rollcall_list",
        "evaluation",
    ]
    assert [reverse(f"duty:{n}") for n in names] == MENU_PAGES


@pytest.mark.parametrize("role", [Role.PLATFORM_ADMIN, Role.BUREAU_OFFICER, Role.DUTY_OFFICER, Role.LEADER])
def test_every_page_opens(role, rooms, month_of_shifts, make_user, region, client):
    scope = {} if role == Role.PLATFORM_ADMIN else {"place": region["county0"]}
    client.force_login(make_user(role, **scope))
    with time_machine.travel(NOW, tick=False):
        for url in MENU_PAGES:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        shift = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 6, 10))
        assert client.get(shift.get_absolute_url()).status_code == 200
        assert client.get(rooms["town00"].get_absolute_url()).status_code == 200
        assert client.get("/duty/shifts/").status_code == 200
        assert client.get(month_of_shifts.get_absolute_url()).status_code == 200


def test_overview_shows_who_is_on_duty_and_refreshes_a_fragment(
    rooms, month_of_shifts, make_user, region, client
):
    client.force_login(make_user(Role.DUTY_OFFICER, place=region["county0"]))
    with time_machine.travel(NOW, tick=False):
        page = client.get("/duty/").content.decode()
        fragment = client.get("/duty/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="duty-live")
    assert 'hx-trigger="every 5s"' in page and 'id="duty-live"' in page
    shift = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 6, 10))
    officer = shift.members_by_role()["officer"][0].name
    assert officer in page
    body = fragment.content.decode()
    assert fragment.status_code == 200 and body.lstrip().startswith('<div id="duty-live"')
    assert "<html" not in body and officer in body
    assert rooms["county1"].name not in body  # out of scope


def test_answer_from_the_overview(rooms, make_user, region, client):
    county = make_user(Role.DUTY_OFFICER, place=region["county0"])
    town = make_user(Role.DUTY_OFFICER, place=region["town00"])
    with time_machine.travel(NOW, tick=False):
        client.force_login(county)
        response = client.post("/duty/roll-calls/call/", {"caller": rooms["county0"].pk, "next": "/duty/"})
        assert response.status_code == 302
        call = RollCall.objects.get(room=rooms["town00"])
        page = client.get("/duty/").content.decode()
        assert f'data-rollcall="{call.pk}"' in page  # the caller sees the unanswered call
        assert f"/duty/roll-calls/{call.pk}/answer/" not in page  # … but cannot answer it
        client.force_login(town)
        page = client.get("/duty/").content.decode()
        assert f"/duty/roll-calls/{call.pk}/answer/" in page
    with time_machine.travel(NOW + dt.timedelta(seconds=20), tick=False):
        client.post(f"/duty/roll-calls/{call.pk}/answer/", {"next": "/duty/"})
        assert client.get("/duty/roll-calls/").status_code == 200
    call.refresh_from_db()
    assert call.status == "answered" and call.answered_by == town


def test_roster_grid_and_generation_page(rooms, people, make_user, region, client):
    manager = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    template = RosterTemplate.objects.create(room=rooms["town00"], name="十月", anchor=dt.date(2026, 10, 1))
    template.leaders.set([people["领导一"]])
    template.officers.set([people["甲"], people["乙"]])
    client.force_login(manager)
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=tz()), tick=False):
        response = client.post("/duty/roster/generate/", {"template": template.pk, "month": "2026-10"})
        assert response.status_code == 302
        html = client.get(f"/duty/roster/?room={rooms['town00'].pk}&month=2026-10").content.decode()
    assert Shift.objects.filter(room=rooms["town00"]).count() == 31
    assert "国庆节" in html and "table-danger" in html
    # a bad month falls back to this month with a message, never a 500
    assert client.get("/duty/roster/?month=2026-13").status_code == 200
    assert client.get("/duty/evaluation/?month=oops").status_code == 200


def test_shift_edit_swap_and_handover_pages(rooms, people, month_of_shifts, make_user, region, client):
    manager = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    client.force_login(manager)
    with time_machine.travel(NOW, tick=False):
        shift = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 6, 20))
        assert client.get(f"/duty/shifts/{shift.pk}/edit/").status_code == 200
        response = client.post(
            f"/duty/shifts/{shift.pk}/edit/", {"leader": people["领导二"].pk, "officers": [people["丁"].pk]}
        )
        assert response.status_code == 302
        shift.refresh_from_db()
        assert shift.edited and [p.name for p in shift.members_by_role()["officer"]] == ["丁"]
        assert client.get("/duty/swaps/add/").status_code == 200
        response = client.post(
            "/duty/swaps/add/",
            {
                "shift": shift.pk,
                "from_person": people["丁"].pk,
                "to_person": people["戊"].pk,
                "reason": "调休",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        swap = SwapRequest.objects.get()
        assert "swap-decision" in client.get(swap.get_absolute_url()).content.decode()
        client.post(f"/duty/swaps/{swap.pk}/approve/", {"note": "同意"})
        swap.refresh_from_db()
        assert swap.status == "approved"
        current = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 6, 10))
        assert client.get(f"/duty/handovers/add/?shift={current.pk}").status_code == 200
        response = client.post(
            "/duty/handovers/add/",
            {"shift": current.pk, "summary": "平稳", "new_items": "核实水位\n回复区里"},
        )
        assert response.status_code == 302
        handover = Handover.objects.get()
        assert handover.carried.count() == 2
        assert "核实水位" in client.get(handover.get_absolute_url()).content.decode()


def test_evaluation_page_and_export(rooms, make_user, region, client):
    called = dt.datetime(2026, 5, 4, 10, 0, tzinfo=tz())
    RollCall.objects.create(
        caller=rooms["county0"],
        room=rooms["town00"],
        called_at=called,
        due_at=called + dt.timedelta(minutes=5),
        status="answered",
        answered_at=called + dt.timedelta(seconds=30),
    )
    client.force_login(make_user(Role.LEADER, place=region["city"]))
    html = client.get("/duty/evaluation/?month=2026-05").content.decode()
    assert rooms["town00"].name in html and "100.0" in html
    response = client.get("/duty/evaluation/?month=2026-05&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == 1 and rows[0][1] == rooms["town00"].name and rows[0][2] == 100.0
    assert len(rows) == DutyRoom.objects.count()


def test_evaluation_api(rooms, make_user, region, api):
    client = api(make_user(Role.LEADER, place=region["county0"]))
    body = client.get("/api/v1/duty/evaluation/", {"month": "2026-05"}).json()
    assert body["month"] == "2026-05"
    assert {r["room"]["id"] for r in body["rows"]} == {
        rooms["county0"].pk,
        rooms["town00"].pk,
        rooms["town01"].pk,
    }
    bad = client.get("/api/v1/duty/evaluation/", {"month": "2026-5x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_month"


def test_roles_without_duty_rights_are_refused(rooms, make_user, region, client, api):
    grid = make_user(Role.GRID_WORKER, place=region["village000"])
    client.force_login(grid)
    for url in MENU_PAGES:
        assert client.get(url).status_code == 403, url
    assert api(grid).get("/api/v1/duty/now/").status_code == 403
    assert api().get("/api/v1/duty/now/").status_code in (401, 403)


def test_template_generate_api(rooms, people, make_user, region, api):
    template = RosterTemplate.objects.create(room=rooms["town00"], name="十月", anchor=dt.date(2026, 10, 1))
    template.leaders.set([people["领导一"]])
    template.officers.set([people["甲"]])
    manager = api(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=tz()), tick=False):
        response = manager.post(
            f"/api/v1/duty/roster-templates/{template.pk}/generate/", {"month": "2026-10"}
        )
        assert response.status_code == 200, response.content
        assert response.json()["created"] == 31
        bad = manager.post(f"/api/v1/duty/roster-templates/{template.pk}/generate/", {"month": "10/2026"})
        assert bad.status_code == 400
    duty = api(make_user(Role.DUTY_OFFICER, place=region["town00"]))
    assert (
        duty.post(f"/api/v1/duty/roster-templates/{template.pk}/generate/", {"month": "2026-10"}).status_code
        == 403
    )
    shifts = duty.get("/api/v1/duty/shifts/", {"room": rooms["town00"].pk, "page_size": 100}).json()
    assert shifts["count"] == 31 and shifts["results"][0]["members"]


def test_room_and_template_forms(rooms, people, make_user, region, make_department, client):
    manager = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    client.force_login(manager)
    dept = make_department(place=region["county0"], name="交通运输局")
    assert client.get("/duty/dutyrooms/add/").status_code == 200
    response = client.post(
        "/duty/dutyrooms/add/",
        {"name": "交通运输局值班室", "place": region["county0"].pk, "department": dept.pk},
    )
    assert response.status_code == 302
    room = DutyRoom.objects.get(department=dept)
    assert room.parent == rooms["county0"]
    # a village is refused with the reason next to the field
    response = client.post("/duty/dutyrooms/add/", {"name": "村值班室", "place": region["village000"].pk})
    assert response.status_code == 200 and "不能设在村" in response.content.decode()
    response = client.post(
        "/duty/rostertemplates/add/",
        {
            "room": rooms["town00"].pk,
            "name": "常规",
            "anchor": "2026-06-01",
            "leaders": [people["领导一"].pk],
            "officers": [people["甲"].pk, people["乙"].pk],
            "officers_per_shift": 1,
            "standby_per_shift": 0,
            "holiday_mode": "same",
            "holiday_leader_required": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    template = RosterTemplate.objects.get(name="常规")
    assert sorted(p.name for p in template.officers.all()) == ["乙", "甲"]
