"""Demo duty: a duty room for the city, every county and every town (the emergency bureau's or the town
government's), plus a few department rooms; a roster template per room and the shifts of the current
month generated from it over the working-day calendar; a few handovers with open items; two roll-calls
a day of the past week from every upper room to its lower rooms (some missed).

Deterministic (``random.Random(f"{seed}-duty")``), relative to today, bulk-written and audited with
``record_bulk``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yingji.audit.services import record_bulk
from yingji.deadlines.calendar import WorkingCalendar, tz
from yingji.duty import services
from yingji.duty.choices import ItemStatus, RollCallOrigin, RollCallStatus
from yingji.duty.models import (
    DutyRoom,
    Handover,
    HandoverItem,
    RollCall,
    RosterTemplate,
    Shift,
    ShiftMember,
    SwapRequest,
)
from yingji.orgs.models import Department
from yingji.places.models import Place

#: department rooms of the demo: name fragments of city departments (and of every county's first match)
CITY_DEPARTMENTS = ("水利局", "交通运输局", "消防救援")
COUNTY_DEPARTMENTS = ("水利局",)
PAST_DAYS = 7
ITEMS = (
    "核实长江水位变化情况，12时前报区防指",
    "跟踪某化工园区停电恢复进展",
    "回复市应急管理局关于节前安全检查的通知",
    "督促乡镇上报昨日森林防火巡查情况",
    "关注寒潮蓝色预警后续发布",
    "落实明日防汛会商参会人员",
)
SUMMARIES = (
    "值班期间通信畅通，无突发事件报告。",
    "接报一起轻微交通事故，已转交警处置；其余平稳。",
    "按要求完成上级点名2次；气象部门发布大风蓝色预警，已转发各镇。",
)


def load_demo(*, seed: int, counts) -> None:
    rng = random.Random(f"{seed}-duty")
    places = list(
        Place.objects.exclude(level="village").defer("boundary").order_by("code").select_related("parent")
    )
    if not places:
        return
    by_pk = {p.pk: p for p in places}
    depts = list(Department.objects.filter(place__in=places).order_by("place__code", "pk"))
    own_dept: dict[int, Department] = {}
    for d in depts:
        place = by_pk[d.place_id]
        wanted = "government" if place.level == "town" else "emergency"
        if d.kind == wanted:
            own_dept.setdefault(place.pk, d)

    rooms: list[DutyRoom] = []
    for place in places:
        dept = own_dept.get(place.pk)
        if place.level == "town":
            name = f"{place.name}应急值班室"
        elif place.level == "city":
            name = f"{place.name}应急管理局指挥中心"
        else:
            name = f"{place.name}应急管理局值班室"
        rooms.append(DutyRoom(name=name, place=place, phone=dept.phone if dept else ""))
    for place_level, fragments in (("city", CITY_DEPARTMENTS), ("county", COUNTY_DEPARTMENTS)):
        for fragment in fragments:
            seen = set()
            for d in depts:
                place = by_pk[d.place_id]
                if place.level == place_level and fragment in d.name and place.pk not in seen:
                    seen.add(place.pk)
                    rooms.append(DutyRoom(name=f"{d.name}值班室", place=place, department=d, phone=d.phone))
    DutyRoom.objects.bulk_create(rooms)
    own = {r.place_id: r.pk for r in rooms if r.department_id is None}
    for room in rooms:
        room.parent_id = services.expected_parent(room, own)
    DutyRoom.objects.bulk_update(rooms, ["parent"])
    record_bulk(rooms)
    counts["duty_rooms"] = len(rooms)

    # persons of each room: officials of its department (own rooms: the bureau / town government)
    pools: dict[int, list[int]] = {}
    dept_of_room = {r.pk: (r.department_id or getattr(own_dept.get(r.place_id), "pk", None)) for r in rooms}
    from yingji.accounts.models import Person

    by_dept: dict[int, list[int]] = {}
    for pk, dept_id in (
        Person.objects.filter(department_id__in={d for d in dept_of_room.values() if d})
        .order_by("pk")
        .values_list("pk", "department_id")
    ):
        by_dept.setdefault(dept_id, []).append(pk)
    for room in rooms:
        pools[room.pk] = by_dept.get(dept_of_room[room.pk], [])

    today = timezone.localdate()
    first = today.replace(day=1)
    templates, through_rows = [], {"leaders": [], "officers": []}
    lists_of: dict[int, dict] = {}
    for room in rooms:
        pool = pools[room.pk]
        if not pool:
            continue
        leaders = pool[:1] if len(pool) > 1 else []
        officers = pool[1:] if len(pool) > 1 else pool
        template = RosterTemplate(
            room=room,
            name=f"{first:%Y年%m月}排班模板",
            anchor=first,
            officers_per_shift=min(2, len(officers)),
            standby_per_shift=0,
            holiday_leader_required=bool(leaders),
        )
        templates.append(template)
        lists_of[room.pk] = {
            "leaders": leaders,
            "officers": officers,
            "standby": [],
            "holiday_leaders": [],
            "holiday_officers": [],
        }
    RosterTemplate.objects.bulk_create(templates)
    for template in templates:
        for name in ("leaders", "officers"):
            model = getattr(RosterTemplate, name).through
            through_rows[name] += [
                model(rostertemplate_id=template.pk, person_id=pk) for pk in lists_of[template.room_id][name]
            ]
    for name, rows in through_rows.items():
        getattr(RosterTemplate, name).through.objects.bulk_create(rows)
    record_bulk(templates)

    calendar = WorkingCalendar()
    days = services.month_days(first.year, first.month)
    if today - dt.timedelta(days=1) < first:  # the first of the month: yesterday's shift is still on duty
        days = [first - dt.timedelta(days=1), *days]
    shifts, plans = [], []
    for template in templates:
        room = template.room
        for day in days:
            plan = services.plan_day(template, day, calendar, lists_of[room.pk])
            start, end = services.shift_span(room, day)
            shifts.append(
                Shift(
                    room=room,
                    date=day,
                    starts_at=start,
                    ends_at=end,
                    kind=plan["kind"],
                    day_name=plan["day_name"],
                    leader_required=plan["leader_required"],
                    template=template,
                )
            )
            plans.append(plan["members"])
    Shift.objects.bulk_create(shifts, batch_size=2000)
    members = [
        ShiftMember(shift=shift, role=role, person_id=person_id, position=i)
        for shift, plan in zip(shifts, plans, strict=True)
        for i, (role, person_id) in enumerate(plan)
    ]
    ShiftMember.objects.bulk_create(members, batch_size=2000)
    record_bulk(shifts)
    record_bulk(members)
    counts["duty_shifts"] = len(shifts)

    _handovers(rng, rooms, shifts, counts)
    _roll_calls(rng, rooms, counts)


def _handovers(rng, rooms, shifts, counts) -> None:
    """Handovers of the last three finished shifts of the city room, the first county's and the first
    town's, with open items carried over (some closed on the way)."""
    now = timezone.now()
    chosen = []
    for level in ("city", "county", "town"):
        room = next((r for r in rooms if r.department_id is None and r.place.level == level), None)
        if room is not None:
            chosen.append(room)
    by_room: dict[int, list[Shift]] = {}
    for shift in shifts:
        if shift.ends_at <= now:
            by_room.setdefault(shift.room_id, []).append(shift)
    handovers, items = [], []
    for room in chosen:
        finished = sorted(by_room.get(room.pk, []), key=lambda s: s.date)[-3:]
        open_items: list[HandoverItem] = []
        for shift in finished:
            handover = Handover(
                room=room,
                from_shift=shift,
                to_shift=next((s for s in shifts if s.room_id == room.pk and s.date > shift.date), None),
                handed_at=shift.ends_at - dt.timedelta(minutes=rng.randint(2, 15)),
                summary=rng.choice(SUMMARIES),
            )
            handover.save()
            handovers.append(handover)
            for item in list(open_items):
                if rng.random() < 0.4:
                    item.status = ItemStatus.CLOSED
                    item.closed_at = handover.handed_at
                    item.save()
                    open_items.remove(item)
            for text in rng.sample(ITEMS, 2):
                item = HandoverItem.objects.create(room=room, handover=handover, text=text)
                open_items.append(item)
                items.append(item)
            handover.carried.set(open_items)
    counts["duty_handovers"] = len(handovers)


def _roll_calls(rng, rooms, counts) -> None:
    now = timezone.now()
    today = timezone.localdate()
    children: dict[int, list[DutyRoom]] = {}
    for room in rooms:
        if room.parent_id:
            children.setdefault(room.parent_id, []).append(room)
    calls = []
    for caller in rooms:
        lower = children.get(caller.pk)
        if not lower:
            continue
        for back in range(PAST_DAYS, -1, -1):
            day = today - dt.timedelta(days=back)
            for minute in sorted(rng.sample(range(8 * 60, 22 * 60), 2)):
                called = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz())
                if called >= now - dt.timedelta(minutes=10):
                    continue
                for room in lower:
                    answered = rng.random() < 0.85
                    seconds = rng.randint(15, 280)
                    calls.append(
                        RollCall(
                            caller=caller,
                            room=room,
                            called_at=called,
                            due_at=called + dt.timedelta(minutes=5),
                            origin=RollCallOrigin.SCHEDULED,
                            status=RollCallStatus.ANSWERED if answered else RollCallStatus.MISSED,
                            answered_at=called + dt.timedelta(seconds=seconds) if answered else None,
                            answer_note="值班人员在岗" if answered else "",
                        )
                    )
    RollCall.objects.bulk_create(calls, batch_size=2000)
    record_bulk(calls)
    counts["duty_roll_calls"] = len(calls)


def remove_demo(counts: dict) -> None:
    """Delete every duty row (all stand on the demo region); rooms audited as bulk deletes."""
    from django.db import connection

    from yingji.audit.choices import ChangeAction

    rooms = list(DutyRoom.objects.select_related("place").defer("place__boundary").order_by("pk"))
    record_bulk(rooms, ChangeAction.DELETE)
    for model in (
        Handover.carried.through,
        HandoverItem,
        Handover,
        SwapRequest,
        RollCall,
        ShiftMember,
        Shift,
        RosterTemplate.leaders.through,
        RosterTemplate.officers.through,
        RosterTemplate.standby.through,
        RosterTemplate.holiday_leaders.through,
        RosterTemplate.holiday_officers.through,
        RosterTemplate,
    ):
        model.objects.all()._raw_delete(connection.alias)
    DutyRoom.objects.update(parent=None)
    DutyRoom.objects.all()._raw_delete(connection.alias)
    counts["duty_rooms"] = len(rooms)
