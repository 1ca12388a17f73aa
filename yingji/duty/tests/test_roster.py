"""Rooms, roster generation over the holiday calendar, "who is on duty now" at the hand-over boundary."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from yingji.deadlines.calendar import tz
from yingji.duty import services
from yingji.duty.models import DutyRoom, RosterTemplate, Shift
from yingji.framework.access import SYSTEM
from yingji.framework.services import delete_object

pytestmark = pytest.mark.django_db


def local(*args):
    return dt.datetime(*args, tzinfo=tz())


def test_upper_rooms_are_derived(rooms, region, make_department):
    assert rooms["city"].parent is None
    assert rooms["county0"].parent == rooms["city"]
    assert rooms["town00"].parent == rooms["county0"]
    dept = make_department(place=region["county0"], name="水利局")
    room = services.save_dutyroom(
        DutyRoom(name="水利局值班室", place=region["county0"], department=dept), actor=SYSTEM
    )
    assert room.parent == rooms["county0"]
    # a town whose county has no room answers to the city
    delete_object(rooms["county1"], actor=SYSTEM)  # relinked by the post_delete signal
    rooms["town10"].refresh_from_db()
    assert rooms["town10"].parent == rooms["city"]


def test_room_not_in_a_village_and_department_of_its_place(region, make_department):
    with pytest.raises(ValidationError) as err:
        services.save_dutyroom(DutyRoom(name="村值班室", place=region["village000"]), actor=SYSTEM)
    assert "place" in err.value.message_dict
    dept = make_department(place=region["county1"])
    with pytest.raises(ValidationError) as err:
        services.save_dutyroom(DutyRoom(name="错", place=region["county0"], department=dept), actor=SYSTEM)
    assert "department" in err.value.message_dict


def _template(room, people, **kwargs):
    template = RosterTemplate.objects.create(room=room, name="十月", anchor=dt.date(2026, 10, 1), **kwargs)
    template.leaders.set([people["领导一"], people["领导二"]])
    template.officers.set([people["甲"], people["乙"], people["丙"], people["丁"]])
    template.standby.set([people["戊"]])
    return template


def _names(shift, role):
    return [p.name for p in shift.members_by_role()[role]]


@time_machine.travel(local(2026, 9, 15, 10, 0), tick=False)
def test_generation_follows_national_day_and_adjusted_workday(rooms, people):
    template = _template(rooms["town00"], people, holiday_mode="holiday_rotation")
    template.holiday_leaders.set([people["节日领导"]])
    template.holiday_officers.set([people["己"]])
    template.officers_per_shift = 2
    template.save()
    counts = services.generate_month(template, 2026, 10, actor=SYSTEM)
    assert counts["created"] == 31 and counts["replaced"] == 0
    shifts = {
        s.date: s for s in Shift.objects.filter(room=rooms["town00"]).prefetch_related("members__person")
    }
    for day in range(1, 8):  # 国庆节 2026-10-01…07 (国务院办公厅通知)
        shift = shifts[dt.date(2026, 10, day)]
        assert shift.kind == "holiday" and shift.leader_required
        assert shift.day_name == "国庆节"
        assert _names(shift, "leader") == ["节日领导"]
        assert _names(shift, "officer") == ["己"]  # holiday rotation (one person only)
    assert shifts[dt.date(2026, 10, 8)].kind == "workday"
    adjusted = shifts[dt.date(2026, 10, 10)]  # Saturday, 调休上班
    assert adjusted.kind == "adjusted" and not adjusted.leader_required
    assert _names(adjusted, "leader")[0] in ("领导一", "领导二")
    assert len(_names(adjusted, "officer")) == 2
    assert shifts[dt.date(2026, 10, 11)].kind == "weekend"
    assert _names(shifts[dt.date(2026, 10, 11)], "officer") == ["己"]
    first = shifts[dt.date(2026, 10, 1)]
    assert first.starts_at == local(2026, 10, 1, 8, 30)
    assert first.ends_at == local(2026, 10, 2, 8, 30)
    # rotation: consecutive working days take the next leader
    assert _names(shifts[dt.date(2026, 10, 8)], "leader") != _names(shifts[dt.date(2026, 10, 9)], "leader")


@time_machine.travel(local(2026, 9, 15, 10, 0), tick=False)
def test_an_entered_holiday_overrides_the_package(rooms, people):
    from yingji.deadlines.models import CalendarDay

    CalendarDay.objects.create(date=dt.date(2026, 10, 8), kind="holiday", name="临时调整")
    template = _template(rooms["town00"], people)
    services.generate_month(template, 2026, 10, actor=SYSTEM)
    shift = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 10, 8))
    assert shift.kind == "holiday" and shift.leader_required and shift.day_name == "临时调整"


@time_machine.travel(local(2026, 9, 15, 10, 0), tick=False)
def test_holiday_without_a_leader_is_refused_before_any_write(rooms, people):
    template = _template(rooms["town00"], people)
    template.leaders.clear()
    with pytest.raises(ValidationError) as err:
        services.generate_month(template, 2026, 10, actor=SYSTEM)
    assert err.value.code == "leader_required"
    assert "2026-10-01" in err.value.message
    assert not Shift.objects.exists()
    template.holiday_leader_required = False
    template.save()
    assert services.generate_month(template, 2026, 10, actor=SYSTEM)["created"] == 31


def test_regeneration_keeps_edited_and_started_shifts(rooms, people):
    template = _template(rooms["town00"], people)
    with time_machine.travel(local(2026, 9, 15, 10, 0), tick=False):
        services.generate_month(template, 2026, 10, actor=SYSTEM)
        edited = Shift.objects.get(room=rooms["town00"], date=dt.date(2026, 10, 20))
        services.set_shift_members(
            edited, leader=people["领导一"], officers=[people["己"]], standby=[], actor=SYSTEM
        )
    with time_machine.travel(local(2026, 10, 5, 9, 0), tick=False):
        counts = services.generate_month(template, 2026, 10, actor=SYSTEM)
    # 10-01 … 10-05 have started (10-05's shift began at 08:30)
    assert counts["kept_started"] == 5
    assert counts["kept_edited"] == 1 and counts["kept_dates"] == [dt.date(2026, 10, 20)]
    assert counts["replaced"] == 25 and counts["created"] == 0
    edited.refresh_from_db()
    assert edited.edited and _names(edited, "officer") == ["己"]
    assert Shift.objects.filter(room=rooms["town00"]).count() == 31


def test_generation_needs_the_right(rooms, people, town_duty):
    from yingji.framework.access import AccessDenied

    template = _template(rooms["town00"], people)
    with pytest.raises(AccessDenied):
        services.generate_month(template, 2026, 10, actor=town_duty)


def _shift(room, day, names, people):
    start, end = services.shift_span(room, day)
    shift = Shift.objects.create(room=room, date=day, starts_at=start, ends_at=end)
    for i, name in enumerate(names):
        shift.members.create(role="officer", person=people[name], position=i)
    return shift


def test_on_duty_now_switches_at_the_handover_time(rooms, people, town_duty, api):
    room = rooms["town00"]
    first = _shift(room, dt.date(2026, 10, 1), ["甲"], people)
    second = _shift(room, dt.date(2026, 10, 2), ["乙"], people)
    assert [s.pk for s in services.shifts_now([room.pk], local(2026, 10, 2, 8, 29, 59))] == [first.pk]
    assert [s.pk for s in services.shifts_now([room.pk], local(2026, 10, 2, 8, 30))] == [second.pk]
    assert services.duty_date(room, local(2026, 10, 2, 8, 29)) == dt.date(2026, 10, 1)
    assert services.duty_date(room, local(2026, 10, 2, 8, 30)) == dt.date(2026, 10, 2)
    client = api(town_duty)
    with time_machine.travel(local(2026, 10, 2, 8, 29), tick=False):
        body = client.get("/api/v1/duty/now/").json()
    row = next(r for r in body["rooms"] if r["room"]["id"] == room.pk)
    assert [p["name"] for p in row["shift"]["officers"]] == ["甲"]
    with time_machine.travel(local(2026, 10, 2, 8, 30), tick=False):
        body = client.get("/api/v1/duty/now/").json()
    row = next(r for r in body["rooms"] if r["room"]["id"] == room.pk)
    assert [p["name"] for p in row["shift"]["officers"]] == ["乙"]
    # the town's duty officer sees only its own room
    assert {r["room"]["id"] for r in body["rooms"]} == {room.pk}


def test_room_handover_time_and_setting(rooms, settings):
    room = rooms["town00"]
    settings.YINGJI_DUTY_HANDOVER_TIME = "09:00"
    assert services.shift_span(room, dt.date(2026, 3, 1))[0] == local(2026, 3, 1, 9, 0)
    room.handover_time = dt.time(8, 0)
    assert services.shift_span(room, dt.date(2026, 3, 1))[0] == local(2026, 3, 1, 8, 0)
    assert timezone.is_aware(services.shift_span(room, dt.date(2026, 3, 1))[1])
