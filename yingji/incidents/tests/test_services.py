import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.incidents import services
from yingji.incidents.choices import TimelineKind
from yingji.incidents.models import TimelineEntry


def test_recounting_an_accident_regrades_it_with_a_timeline_entry(make_incident, officer):
    incident = make_incident(deaths=1)
    assert incident.grade == "ordinary"
    services.update_casualties(incident, actor=officer, deaths=3)
    incident.refresh_from_db()
    assert incident.grade == "larger"
    entry = TimelineEntry.objects.get(incident=incident, kind=TimelineKind.GRADE)
    assert entry.text == "等级由一般调整为较大"
    assert entry.actor == officer
    assert TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.CASUALTIES).count() == 1


def test_edit_through_the_save_service_regrades(make_incident, officer):
    incident = make_incident()
    incident.direct_loss_wan = Decimal("5000")
    services.save_incident(incident, actor=officer)
    incident.refresh_from_db()
    assert incident.grade == "major"
    assert TimelineEntry.objects.filter(
        incident=incident, kind=TimelineKind.GRADE, text="等级由一般调整为重大"
    ).exists()


def test_create_outside_scope_is_refused(region, make_user, make_incident):
    town = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    with pytest.raises(AccessDenied):
        make_incident(place=region["village100"], actor=town)


def test_status_machine(make_incident, officer):
    incident = make_incident()
    with pytest.raises(services.InvalidTransition) as exc:
        services.change_status(incident, "recovery", actor=officer)
    assert exc.value.code == "invalid_transition"
    assert "已接报" in exc.value.messages[0]
    services.change_status(incident, "responding", actor=officer)
    services.change_status(incident, "recovery", actor=officer)
    with pytest.raises(services.InvalidTransition):
        services.change_status(incident, "responding", actor=officer)
    incident = services.change_status(incident, "closed", actor=officer)
    assert incident.closed_at is not None
    with pytest.raises(services.InvalidTransition):
        services.change_status(incident, "responding", actor=officer)
    assert TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.STATUS).count() == 3


def test_plan_selection_prefers_type_then_nearest_place(make_incident, make_plan, region):
    incident = make_incident(event_type="fire")
    generic = make_plan(level="3", event_type="", category="accident")
    assert services.plan_for(incident, "3") == generic
    specific = make_plan(level="3", event_type="fire")
    assert services.plan_for(incident, "3") == specific
    nearer = make_plan(level="3", event_type="fire", place=region["county0"])
    assert services.plan_for(incident, "3") == nearer
    make_plan(level="3", event_type="fire", place=region["county1"])  # another county: not applicable
    assert services.plan_for(incident, "3") == nearer
    assert services.plan_for(incident, "2") is None


def test_level_creates_checklist_and_ticking_records_who_and_when(make_incident, make_plan, officer):
    make_plan(level="4", duties=[("officer", None, "核实信息", 30), ("leader", None, "赶赴现场", None)])
    make_plan(level="3", duties=[("officer", None, "续报", 60)])
    incident = make_incident()
    with time_machine.travel(timezone.now(), tick=False):
        incident = services.set_response_level(incident, "4", actor=officer)
        start = timezone.now()
    assert incident.status == "responding"
    assert incident.responded_at == start
    items = list(incident.checklist.order_by("order"))
    assert [i.text for i in items] == ["核实信息", "赶赴现场"]
    assert items[0].due_at == start + datetime.timedelta(minutes=30)
    assert items[1].due_at is None
    services.tick_checklist_item(items[0], actor=officer)
    items[0].refresh_from_db()
    assert items[0].done_at is not None and items[0].done_by == officer
    assert TimelineEntry.objects.filter(
        incident=incident, kind=TimelineKind.CHECKLIST, text__contains="完成"
    ).exists()
    # changing the level adds the new level's rows and keeps the ticked one
    services.set_response_level(incident, "3", actor=officer)
    texts = sorted(incident.checklist.values_list("text", "level"))
    assert texts == [("核实信息", "4"), ("续报", "3"), ("赶赴现场", "4")]
    assert incident.checklist.get(text="核实信息").done_at is not None
    assert TimelineEntry.objects.filter(
        incident=incident, kind=TimelineKind.LEVEL, text__contains="调整为"
    ).exists()
    # lifting
    services.set_response_level(incident, "", actor=officer)
    incident.refresh_from_db()
    assert incident.response_level == ""


def test_invalid_level_is_refused(make_incident, officer):
    with pytest.raises(ValidationError) as exc:
        services.set_response_level(make_incident(), "5", actor=officer)
    assert exc.value.error_dict["level"][0].code == "invalid_level"


def test_review_only_after_response(make_incident, officer):
    incident = make_incident()
    with pytest.raises(ValidationError) as exc:
        services.save_review(incident, actor=officer, summary="x")
    assert exc.value.code == "review_too_early"
    services.change_status(incident, "closed", actor=officer)
    review = services.save_review(incident, actor=officer, summary="处置及时", lessons="加强巡检")
    assert review.incident == incident
    assert TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.REVIEW).exists()


def test_command_and_decision(make_incident, officer):
    incident = make_incident()
    services.set_command(
        incident, actor=officer, commander="张三", command_post="村委会", longitude=120.1, latitude=32.0
    )
    incident.refresh_from_db()
    assert incident.commander == "张三" and incident.command_post_latitude == 32.0
    with pytest.raises(ValidationError):
        services.set_command(incident, actor=officer, longitude=120.1)
    services.add_decision(incident, "扩大警戒范围", actor=officer)
    assert TimelineEntry.objects.filter(
        incident=incident, kind=TimelineKind.DECISION, text="扩大警戒范围"
    ).exists()


def test_notify_departments_reaches_their_persons(make_incident, officer, make_department, region):
    from yingji.accounts.models import Person, User
    from yingji.messaging.models import Delivery

    dept = make_department(place=region["county0"])
    person = Person.objects.create(
        name="李四", place=region["county0"], department=dept, mobile="13812345678"
    )
    User.objects.create_user("lisi", person=person)
    incident = make_incident()
    message = services.notify_incident(incident, actor=officer, departments=[dept.pk], channels=["inapp"])
    assert Delivery.objects.filter(message=message, person=person).exists()
    assert TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.NOTIFY).exists()


def test_remind_and_acknowledge(make_incident, make_plan, officer, make_department, region, make_user):
    from yingji.accounts.models import Person
    from yingji.incidents.models import DepartmentDuty
    from yingji.messaging.models import Message

    police = make_department(place=region["county0"], name="崇川区公安局")
    town_gov = make_department(place=region["town00"], name="某镇人民政府", kind="government")
    person = Person.objects.create(
        name="王五", place=region["county0"], department=police, mobile="13812345679"
    )
    dept_user = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=police)
    dept_user.person = person
    dept_user.save()
    make_plan(level="4", duties=[("department", police, "警戒和交通管制", 30)])
    DepartmentDuty.objects.create(
        place=region["city"], department_kind="government", category="accident", duties="组织先期处置"
    )
    incident = make_incident()
    services.set_response_level(incident, "4", actor=officer)
    sent = services.remind_responsible(incident, actor=officer)
    by_dept = {r.department_id: r for r in sent}
    assert set(by_dept) == {police.pk, town_gov.pk}
    assert "警戒和交通管制（30分钟内）" in by_dept[police.pk].duties
    message = Message.objects.filter(link=by_dept[police.pk].get_absolute_url()).get()
    assert message.deliveries.filter(person=person).exists()
    # someone else may not acknowledge
    with pytest.raises(AccessDenied):
        services.acknowledge_reminder(by_dept[police.pk], actor=officer)
    reminder = services.acknowledge_reminder(by_dept[police.pk], actor=dept_user)
    assert reminder.acknowledged_at is not None and reminder.acknowledged_by == dept_user
    # reminding again re-sends only to those who have not acknowledged
    again = services.remind_responsible(incident, actor=officer)
    assert [r.department_id for r in again] == [town_gov.pk]
    assert incident.reminders.count() == 2


def test_remind_without_anyone_responsible_is_a_clear_error(make_incident, officer):
    with pytest.raises(ValidationError) as exc:
        services.remind_responsible(make_incident(), actor=officer)
    assert exc.value.code == "no_responsible"


def test_search_returns_the_nearest_team(make_incident, officer, region):
    from yingji.resources.models import Team

    far = Team.objects.create(
        name="远队", kind="grassroots", place=region["village000"], longitude=120.09, latitude=32.09
    )
    near = Team.objects.create(
        name="近队", kind="grassroots", place=region["village000"], longitude=120.051, latitude=32.021
    )
    incident = make_incident(longitude=120.05, latitude=32.02)
    answer = services.search_resources(incident, officer)
    teams = answer["results"]["team"]
    assert [t["id"] for t in teams[:2]] == [near.pk, far.pk]
    assert teams[0]["distance_m"] < 200


def test_duties_for_type_and_category(make_incident, region, make_department):
    from yingji.incidents.models import DepartmentDuty

    dept = make_department(place=region["county0"])
    by_type = DepartmentDuty.objects.create(
        place=region["county0"], department=dept, category="accident", event_type="fire", duties="灭火"
    )
    by_cat = DepartmentDuty.objects.create(
        place=region["city"], department_kind="emergency", category="accident", duties="协调"
    )
    other = DepartmentDuty.objects.create(
        place=region["county0"], department=dept, category="accident", event_type="hazmat", duties="堵漏"
    )
    elsewhere = DepartmentDuty.objects.create(
        place=region["county1"], department_kind="emergency", category="accident", duties="别处"
    )
    rows = list(services.duties_for(make_incident(event_type="fire")))
    assert by_type in rows and by_cat in rows
    assert other not in rows and elsewhere not in rows


def test_remind_tells_the_people_on_todays_roster_of_the_nearest_duty_room(
    make_incident, make_plan, officer, region
):
    """The 带班领导/值班员 rows of the duty table go to whoever is on the shift now at the nearest own
    duty room above the incident (the town's, not the county's), not to every duty-officer account."""
    from yingji.accounts.models import Person
    from yingji.duty.models import Shift, ShiftMember
    from yingji.duty.tests.scope_specs import own_room
    from yingji.messaging.models import Message

    now = timezone.now()
    staff = {}
    for key in ("town00", "county0"):
        shift = Shift.objects.create(
            room=own_room(region[key]),
            date=timezone.localdate(),
            starts_at=now - datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(hours=22),
        )
        for role, name in (("leader", f"{key}领导"), ("officer", f"{key}值班员")):
            person = Person.objects.create(name=name, place=region[key], mobile="13800001111")
            ShiftMember.objects.create(shift=shift, role=role, person=person)
            staff[(key, role)] = person
    make_plan(level="4", duties=[("leader", None, "赶赴现场", 30), ("officer", None, "续报", 60)])
    incident = make_incident()
    services.set_response_level(incident, "4", actor=officer)
    sent = services.remind_responsible(incident, actor=officer)
    by_person = {r.person_id: r for r in sent}
    assert set(by_person) == {staff[("town00", "leader")].pk, staff[("town00", "officer")].pk}
    assert "赶赴现场" in by_person[staff[("town00", "leader")].pk].duties
    leader_reminder = by_person[staff[("town00", "leader")].pk]
    message = Message.objects.get(link=leader_reminder.get_absolute_url())
    assert message.deliveries.filter(person=staff[("town00", "leader")], channel="sms").exists()
    # reminding again does not duplicate the roster reminders
    services.remind_responsible(incident, actor=officer)
    assert incident.reminders.count() == 2
