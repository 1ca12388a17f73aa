"""Swaps, handovers with carried-over items, roll-calls at the answer-window boundary."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yingji.deadlines.calendar import tz
from yingji.duty import services
from yingji.duty.models import Handover, HandoverItem, RollCall, Shift
from yingji.framework.access import SYSTEM, AccessDenied

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=tz())


def make_shift(room, day, names, people, leader=None):
    start, end = services.shift_span(room, day)
    shift = Shift.objects.create(room=room, date=day, starts_at=start, ends_at=end)
    if leader:
        shift.members.create(role="leader", person=people[leader])
    for i, name in enumerate(names):
        shift.members.create(role="officer", person=people[name], position=i)
    return shift


def officers(shift):
    return sorted(p.name for p in shift.members_by_role()["officer"])


# --- swaps -------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_swap_request_and_approval_by_the_room_manager(rooms, people, town_duty, town_manager, api):
    shift = make_shift(rooms["town00"], dt.date(2026, 6, 12), ["甲", "乙"], people)
    swap = services.request_swap(shift, people["甲"], people["丙"], "参加培训", actor=town_duty)
    assert swap.status == "pending" and swap.requested_by == town_duty
    # the duty officer may not approve
    refused = api(town_duty).post(f"/api/v1/duty/swap-requests/{swap.pk}/approve/", {}, format="json")
    assert refused.status_code == 403
    answer = api(town_manager).post(
        f"/api/v1/duty/swap-requests/{swap.pk}/approve/", {"note": "同意"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "approved"
    shift.refresh_from_db()
    assert officers(shift) == sorted(["丙", "乙"])
    assert shift.edited
    again = api(town_manager).post(f"/api/v1/duty/swap-requests/{swap.pk}/approve/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"][0]["code"] == "not_pending"


@time_machine.travel(NOW, tick=False)
def test_exchange_of_two_shifts(rooms, people, town_manager):
    mine = make_shift(rooms["town00"], dt.date(2026, 6, 12), ["甲"], people)
    theirs = make_shift(rooms["town00"], dt.date(2026, 6, 14), ["乙"], people)
    swap = services.request_swap(
        mine, people["甲"], people["乙"], "对调", actor=town_manager, counter_shift=theirs
    )
    services.approve_swap(swap, actor=town_manager)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert officers(mine) == ["乙"] and officers(theirs) == ["甲"]
    assert mine.edited and theirs.edited


@time_machine.travel(NOW, tick=False)
def test_swap_rules(rooms, people, town_duty, town_manager):
    past = make_shift(rooms["town00"], dt.date(2026, 6, 9), ["甲"], people)  # ended 06-10 08:30
    current = make_shift(rooms["town00"], dt.date(2026, 6, 10), ["甲"], people)  # started 08:30
    future = make_shift(rooms["town00"], dt.date(2026, 6, 11), ["甲", "乙"], people)
    for shift in (past, current):
        with pytest.raises(ValidationError) as err:
            services.request_swap(shift, people["甲"], people["丙"], "x", actor=town_duty)
        assert err.value.error_dict["shift"][0].code == "shift_past"
    with pytest.raises(ValidationError) as err:
        services.request_swap(future, people["丙"], people["丁"], "x", actor=town_duty)
    assert err.value.error_dict["from_person"][0].code == "not_on_shift"
    with pytest.raises(ValidationError) as err:
        services.request_swap(future, people["甲"], people["乙"], "x", actor=town_duty)
    assert err.value.error_dict["to_person"][0].code == "already_on_shift"
    with pytest.raises(ValidationError) as err:
        services.request_swap(future, people["甲"], people["丙"], "  ", actor=town_duty)
    assert err.value.error_dict["reason"][0].code == "reason_required"
    swap = services.request_swap(future, people["甲"], people["丙"], "病假", actor=town_duty)
    with pytest.raises(ValidationError) as err:
        services.reject_swap(swap, actor=town_manager, note="")
    assert err.value.error_dict["note"][0].code == "note_required"
    # the shift starts before the decision: approval refused, nothing changes
    with time_machine.travel(dt.datetime(2026, 6, 11, 8, 30, tzinfo=tz()), tick=False):
        with pytest.raises(ValidationError):
            services.approve_swap(swap, actor=town_manager)
    future.refresh_from_db()
    assert officers(future) == ["乙", "甲"] and not future.edited
    services.reject_swap(swap, actor=town_manager, note="人手不足")
    swap.refresh_from_db()
    assert swap.status == "rejected" and swap.decided_by == town_manager


@time_machine.travel(NOW, tick=False)
def test_swap_out_of_scope_is_refused(rooms, people, make_user, region):
    from yingji.framework.roles import Role

    other = make_user(Role.DUTY_OFFICER, place=region["town10"])
    shift = make_shift(rooms["town00"], dt.date(2026, 6, 12), ["甲"], people)
    with pytest.raises(AccessDenied):
        services.request_swap(shift, people["甲"], people["丙"], "x", actor=other)


# --- handovers ---------------------------------------------------------------------------------------


def test_open_items_carry_over_until_closed(rooms, people, town_duty, client):
    room = rooms["town00"]
    day1 = make_shift(room, dt.date(2026, 6, 8), ["甲"], people)
    day2 = make_shift(room, dt.date(2026, 6, 9), ["乙"], people)
    day3 = make_shift(room, dt.date(2026, 6, 10), ["丙"], people)
    with time_machine.travel(dt.datetime(2026, 6, 9, 8, 25, tzinfo=tz()), tick=False):
        first = services.record_handover(
            day1, "平稳", actor=town_duty, new_items=["核实河道水位", "回复区值班室", ""]
        )
    assert first.to_shift == day2
    assert sorted(i.text for i in first.carried.all()) == ["回复区值班室", "核实河道水位"]
    level = HandoverItem.objects.get(text="核实河道水位")
    with time_machine.travel(dt.datetime(2026, 6, 10, 8, 25, tzinfo=tz()), tick=False):
        second = services.record_handover(
            day2, "一般", actor=town_duty, new_items=["跟踪停电恢复"], close_items=[level.pk]
        )
    assert sorted(i.text for i in second.carried.all()) == ["回复区值班室", "跟踪停电恢复"]
    level.refresh_from_db()
    assert level.status == "closed" and level.closed_by == town_duty
    assert sorted(i.text for i in services.open_items([room.pk])) == ["回复区值班室", "跟踪停电恢复"]
    # the current shift (day 3) sees them on the overview
    client.force_login(town_duty)
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=tz()), tick=False):
        html = client.get("/duty/").content.decode()
    assert "跟踪停电恢复" in html and "核实河道水位" not in html
    assert day3.pk
    with pytest.raises(ValidationError) as err:
        services.record_handover(day2, "再交一次", actor=town_duty)
    assert err.value.error_dict["from_shift"][0].code == "already_handed_over"


def test_handover_rules(rooms, people, town_duty, api):
    room = rooms["town00"]
    future = make_shift(room, dt.date(2030, 1, 1), ["甲"], people)
    with pytest.raises(ValidationError) as err:
        services.record_handover(future, "x", actor=town_duty)
    assert err.value.error_dict["from_shift"][0].code == "shift_not_started"
    past = make_shift(room, dt.date(2026, 1, 1), ["甲"], people)
    other = make_shift(rooms["town01"], dt.date(2026, 1, 1), ["乙"], people)
    foreign = services.record_handover(other, "x", actor=SYSTEM, new_items=["别处的事项"])
    response = api(town_duty).post(
        "/api/v1/duty/handovers/",
        {"from_shift": past.pk, "summary": "平稳", "close_items": [foreign.new_items.get().pk]},
        format="json",
    )
    assert response.status_code == 400  # an item of another room: refused, nothing written
    assert response.json()["error"]["fields"]["close_items"][0]["code"] == "item_other_room"
    assert not Handover.objects.filter(from_shift=past).exists()
    assert foreign.new_items.get().status == "open"


def test_overlong_handover_item_is_refused_not_cut(rooms, people, town_duty, client):
    past = make_shift(rooms["town00"], dt.date(2026, 1, 1), ["甲"], people)
    with pytest.raises(ValidationError) as err:
        services.record_handover(past, "平稳", actor=town_duty, new_items=["短事项", "长" * 301])
    assert err.value.error_dict["new_items"][0].code == "item_too_long"
    assert not Handover.objects.exists() and not HandoverItem.objects.exists()
    # the page shows the message and keeps the form; nothing is written
    client.force_login(town_duty)
    response = client.post(
        "/duty/handovers/add/", {"shift": past.pk, "summary": "平稳", "new_items": "短事项\n" + "长" * 301}
    )
    assert response.status_code == 200 and "过长" in response.content.decode()
    assert not Handover.objects.exists() and not HandoverItem.objects.exists()
    services.record_handover(past, "平稳", actor=town_duty, new_items=["长" * 300])
    assert HandoverItem.objects.get().text == "长" * 300


# --- roll-calls --------------------------------------------------------------------------------------


def test_answer_inside_the_window_and_missed_after(rooms, county_duty, town_duty, make_user, region):
    from yingji.framework.roles import Role

    with time_machine.travel(NOW, tick=False):
        calls = services.call_lower_rooms(rooms["county0"], actor=county_duty)
    assert {c.room for c in calls} == {rooms["town00"], rooms["town01"]}
    assert all(c.due_at == NOW + dt.timedelta(minutes=5) for c in calls)
    call = next(c for c in calls if c.room == rooms["town00"])
    # the county (caller) cannot answer for the town
    with pytest.raises(AccessDenied) as err:
        services.answer_roll_call(call, actor=county_duty, now=NOW + dt.timedelta(minutes=1))
    assert err.value.code == "not_called_room"
    # exactly at the due time: answered
    answered = services.answer_roll_call(
        call, actor=town_duty, note="在岗", now=NOW + dt.timedelta(minutes=5)
    )
    assert answered.status == "answered" and answered.answer_seconds == 300
    # one second late: refused, and the call is missed for good
    other = next(c for c in calls if c.room == rooms["town01"])
    town01 = make_user(Role.DUTY_OFFICER, place=region["town01"])
    with pytest.raises(ValidationError) as err:
        services.answer_roll_call(other, actor=town01, now=NOW + dt.timedelta(minutes=5, seconds=1))
    assert err.value.code == "rollcall_missed"
    other.refresh_from_db()
    assert other.status == "missed" and other.answered_at is None


def test_mark_missed_at_the_boundary(rooms, county_duty):
    with time_machine.travel(NOW, tick=False):
        calls = services.call_lower_rooms(rooms["county0"], actor=county_duty)
    assert services.mark_missed(NOW + dt.timedelta(minutes=5)) == 0
    assert services.mark_missed(NOW + dt.timedelta(minutes=5, microseconds=1)) == len(calls)
    assert set(RollCall.objects.values_list("status", flat=True)) == {"missed"}


def test_window_is_configurable(rooms, county_duty, settings):
    settings.YINGJI_DUTY_ROLLCALL_WINDOW_MINUTES = 10
    with time_machine.travel(NOW, tick=False):
        calls = services.call_lower_rooms(rooms["county0"], actor=county_duty)
    assert calls[0].due_at == NOW + dt.timedelta(minutes=10)


def test_roll_call_api(rooms, county_duty, town_duty, api):
    with time_machine.travel(NOW, tick=False):
        placed = api(county_duty).post(
            "/api/v1/duty/roll-calls/call/", {"caller": rooms["county0"].pk}, format="json"
        )
    assert placed.status_code == 201, placed.content
    call_id = next(c["id"] for c in placed.json() if c["room"] == rooms["town00"].pk)
    client = api(town_duty)
    listed = client.get("/api/v1/duty/roll-calls/", {"status": "pending"}).json()
    assert [c["id"] for c in listed["results"]] == [call_id]  # the town sees only its own call
    with time_machine.travel(NOW + dt.timedelta(seconds=42), tick=False):
        answered = client.post(f"/api/v1/duty/roll-calls/{call_id}/answer/", {"note": "在岗"}, format="json")
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered" and answered.json()["answer_seconds"] == 42
    late = client.post(f"/api/v1/duty/roll-calls/{call_id}/answer/", {}, format="json")
    assert late.status_code == 400
    # a town room has no lower rooms: calling from it is a clear 400
    refused = api(county_duty).post(
        "/api/v1/duty/roll-calls/call/", {"caller": rooms["town00"].pk}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["non_field_errors"][0]["code"] == "no_lower_rooms"
    # a town duty officer cannot call as the county (not in its scope)
    denied = client.post("/api/v1/duty/roll-calls/call/", {"caller": rooms["county0"].pk}, format="json")
    assert denied.status_code == 403


def test_random_schedule_is_deterministic_inside_the_hours_and_idempotent(rooms, settings):
    settings.YINGJI_DUTY_ROLLCALLS_PER_DAY = 3
    settings.YINGJI_DUTY_ROLLCALL_HOURS = (9, 17)
    day = dt.date(2026, 6, 10)
    times = services.scheduled_times(rooms["county0"], day)
    assert times == services.scheduled_times(rooms["county0"], day)
    assert len(set(times)) == 3
    assert all(
        dt.datetime(2026, 6, 10, 9, 0, tzinfo=tz()) <= t < dt.datetime(2026, 6, 10, 17, 0, tzinfo=tz())
        for t in times
    )
    assert times != services.scheduled_times(rooms["county0"], day + dt.timedelta(days=1))
    total = 0
    for when in times:
        total += services.run_scheduled_roll_calls(now=when)
        total += services.run_scheduled_roll_calls(
            now=when + dt.timedelta(seconds=30)
        )  # run twice: no duplicate
    city_times = services.scheduled_times(rooms["city"], day)
    county1_times = services.scheduled_times(rooms["county1"], day)
    assert RollCall.objects.filter(caller=rooms["county0"]).count() == 3 * 2
    assert set(RollCall.objects.filter(caller=rooms["county0"]).values_list("origin", flat=True)) == {
        "scheduled"
    }
    assert city_times and county1_times  # every upper room has its own times
    assert total == RollCall.objects.count()


def test_periodic_task_runs(rooms, settings):
    from yingji.duty.tasks import roll_call_task

    settings.YINGJI_DUTY_ROLLCALLS_PER_DAY = 0
    assert roll_call_task.call_local() == 0
