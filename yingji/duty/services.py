"""Write services of the duty app (docs/duty.md): rooms and their upper room, roster generation over
the working-day calendar, shift changes and swaps, handovers with carried-over items, roll-calls.

Every service takes a keyword-only ``actor``, runs in one transaction and checks the actor's right
and scope inside (``check_object``); refusals are ``ValidationError`` with a stable code (shown as
a clear message by the pages and as a 400 by the API) or ``AccessDenied`` (403).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.accounts.models import Person
from yingji.deadlines.calendar import WorkingCalendar, tz
from yingji.deadlines.choices import DayKind
from yingji.duty import conf
from yingji.duty.choices import (
    DutyRole,
    HolidayMode,
    ItemStatus,
    RollCallOrigin,
    RollCallStatus,
    ShiftKind,
    SwapStatus,
)
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
from yingji.framework.access import ROLES, AccessDenied, assignments_of, check_object, role_allows


def refuse(message: str, code: str, field: str | None = None):
    error = ValidationError(message, code=code)
    raise ValidationError({field: error}) if field else error


# --- rooms -----------------------------------------------------------------------------------------


def expected_parent(room: DutyRoom, own_rooms: dict[int, int]) -> int | None:
    """The upper room of ``room``: for a department room the same place's own room; for an own room
    the own room of the nearest ancestor place that has one. ``own_rooms``: {place_id: room_id}."""
    if room.department_id is not None:
        own = own_rooms.get(room.place_id)
        if own is not None:
            return own
    place = room.place.parent
    while place is not None:
        if place.pk in own_rooms:
            return own_rooms[place.pk]
        place = place.parent
    return None


def relink_rooms() -> int:
    """Recompute every room's ``parent`` (a few hundred rows at most); return how many changed."""
    rooms = list(
        DutyRoom.objects.select_related("place__parent__parent__parent").defer(
            "place__boundary",
            "place__parent__boundary",
            "place__parent__parent__boundary",
            "place__parent__parent__parent__boundary",
        )
    )
    own = {r.place_id: r.pk for r in rooms if r.department_id is None}
    changed = 0
    for room in rooms:
        parent = expected_parent(room, own)
        if parent != room.parent_id:
            room.parent_id = parent
            room.save(update_fields=["parent", "updated"])
            changed += 1
    return changed


@transaction.atomic
def save_dutyroom(room: DutyRoom, *, actor) -> DutyRoom:
    action = "add" if room._state.adding else "change"
    room.full_clean(exclude=["parent"])
    check_object(actor, action, room)
    room.save()
    relink_rooms()
    room.refresh_from_db(fields=["parent"])
    return room


# --- shifts ----------------------------------------------------------------------------------------


def shift_span(room: DutyRoom, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A shift of ``day`` runs 24 hours from the room's hand-over time (default 08:30) of that day."""
    start = dt.datetime.combine(day, room.handover_time or conf.handover_time(), tzinfo=tz())
    return start, start + dt.timedelta(hours=24)


def duty_date(room: DutyRoom, when: dt.datetime) -> dt.date:
    """The date of the shift that is on duty at ``when`` (before the hand-over it is yesterday's)."""
    local = timezone.localtime(when, tz())
    handover = room.handover_time or conf.handover_time()
    return local.date() if local.time() >= handover else local.date() - dt.timedelta(days=1)


def shifts_now(rooms=None, now: dt.datetime | None = None):
    """The shifts on duty at ``now`` (one query; members with their persons prefetched)."""
    now = now or timezone.now()
    qs = Shift.objects.filter(starts_at__lte=now, ends_at__gt=now)
    if rooms is not None:
        qs = qs.filter(room__in=rooms)
    return qs.select_related("room").prefetch_related("members__person")


def on_duty_now(user, now: dt.datetime | None = None) -> list[dict]:
    """For every room ``user`` sees: the room and its shift now (or None), ordered like the rooms."""
    rooms = list(
        DutyRoom.objects.visible_to(user).select_related("place", "department").defer("place__boundary")
    )
    shifts = {s.room_id: s for s in shifts_now([r.pk for r in rooms], now)}
    return [{"room": r, "shift": shifts.get(r.pk)} for r in rooms]


def _kind_of(day) -> str:
    if day.kind == DayKind.HOLIDAY:
        return ShiftKind.HOLIDAY
    if day.kind == DayKind.WEEKEND:
        return ShiftKind.WEEKEND
    if day.kind == DayKind.ADJUSTED_WORKDAY:
        return ShiftKind.ADJUSTED
    return ShiftKind.WORKDAY


def _take(people: list, index: int, count: int) -> list:
    if not people or count <= 0:
        return []
    count = min(count, len(people))
    return [people[(index * count + i) % len(people)] for i in range(count)]


def plan_day(template: RosterTemplate, day: dt.date, calendar: WorkingCalendar, lists: dict) -> dict:
    """Who serves on ``day`` according to ``template`` (a pure plan, nothing written).

    ``lists``: the template's rotations as lists of person ids (``leaders``, ``officers``,
    ``standby``, ``holiday_leaders``, ``holiday_officers``), each in id order. Returns ``kind``,
    ``day_name``, ``leader_required`` and the ``members`` as (role, person id) pairs.
    """
    info = calendar.day(day)
    kind = _kind_of(info)
    n = (day - template.anchor).days
    rest = kind in (ShiftKind.WEEKEND, ShiftKind.HOLIDAY)
    holiday_rotation = rest and template.holiday_mode == HolidayMode.HOLIDAY_ROTATION
    leaders = lists["holiday_leaders"] if holiday_rotation and lists["holiday_leaders"] else lists["leaders"]
    officers = (
        lists["holiday_officers"] if holiday_rotation and lists["holiday_officers"] else lists["officers"]
    )
    leader_required = kind == ShiftKind.HOLIDAY and template.holiday_leader_required
    members = [(DutyRole.LEADER, p) for p in _take(leaders, n, 1)]
    taken = {p for _r, p in members}
    for p in _take(officers, n, template.officers_per_shift):
        if p not in taken:
            members.append((DutyRole.OFFICER, p))
            taken.add(p)
    for p in _take(lists["standby"], n, template.standby_per_shift):
        if p not in taken:
            members.append((DutyRole.STANDBY, p))
            taken.add(p)
    if leader_required and not any(r == DutyRole.LEADER for r, _p in members):
        refuse(
            _("%(day)s是法定节假日（%(name)s），须安排带班领导：请在模板中填写带班领导轮换。")
            % {"day": day.isoformat(), "name": info.name or _("节假日")},
            "leader_required",
        )
    return {"kind": kind, "day_name": info.name, "leader_required": leader_required, "members": members}


def template_lists(template: RosterTemplate) -> dict:
    return {
        name: sorted(getattr(template, name).values_list("pk", flat=True))
        for name in ("leaders", "officers", "standby", "holiday_leaders", "holiday_officers")
    }


def month_days(year: int, month: int) -> list[dt.date]:
    day, out = dt.date(year, month, 1), []
    while day.month == month:
        out.append(day)
        day += dt.timedelta(days=1)
    return out


@transaction.atomic
def generate_month(template: RosterTemplate, year: int, month: int, *, actor, now=None) -> dict:
    """Generate (or regenerate) the shifts of ``template``'s room for one month.

    Kept as they are: shifts edited by hand or by a swap (``edited``) and shifts that have already
    started. Other existing shifts of the month are replaced. Returns counts ``created``,
    ``replaced``, ``kept_edited``, ``kept_started`` and the ``kept_dates``.
    """
    room = template.room
    check_object(actor, "add", Shift(room=room))
    check_object(actor, "change", template)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        refuse(_("月份无效。"), "invalid_month")
    now = now or timezone.now()
    lists = template_lists(template)
    if not lists["officers"]:
        refuse(_("模板没有值班员：请至少填写一名值班员。"), "no_officers")
    calendar = WorkingCalendar()
    days = month_days(year, month)
    existing = {s.date: s for s in Shift.objects.select_for_update().filter(room=room, date__in=days)}
    plans = {day: plan_day(template, day, calendar, lists) for day in days}  # refuses before any write
    counts = {"created": 0, "replaced": 0, "kept_edited": 0, "kept_started": 0, "kept_dates": []}
    replace_ids, new_shifts = [], []
    for day in days:
        old = existing.get(day)
        if old is not None:
            if old.edited:
                counts["kept_edited"] += 1
                counts["kept_dates"].append(day)
                continue
            if old.starts_at <= now:
                counts["kept_started"] += 1
                continue
            replace_ids.append(old.pk)
        start, end = shift_span(room, day)
        plan = plans[day]
        new_shifts.append(
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
    if replace_ids:
        for shift in Shift.objects.filter(pk__in=replace_ids):
            shift.delete()  # audited; members go with it
        counts["replaced"] = len(replace_ids)
    created = []
    for shift in new_shifts:
        shift.save()
        created.append(shift)
    members = []
    for shift in created:
        for i, (role, person_id) in enumerate(plans[shift.date]["members"]):
            members.append(ShiftMember(shift=shift, role=role, person_id=person_id, position=i))
    ShiftMember.objects.bulk_create(members)
    from yingji.audit.services import record_bulk

    record_bulk(members)
    counts["created"] = len(created) - counts["replaced"]
    return counts


@transaction.atomic
def set_shift_members(shift: Shift, *, leader, officers, standby, actor, notes: str | None = None) -> Shift:
    """Change who serves on a shift by hand (marks it ``edited``: regeneration keeps it)."""
    check_object(actor, "change", shift)
    if shift.ends_at <= timezone.now():
        refuse(_("该班次已结束，不能再调整人员。"), "shift_past")
    officers = [p for p in officers if p]
    standby = [p for p in standby if p]
    if not officers:
        refuse(_("每班至少一名值班员。"), "officers_min", "officers")
    if shift.leader_required and leader is None:
        refuse(_("节假日班次须安排带班领导。"), "leader_required", "leader")
    people = ([leader] if leader else []) + officers + standby
    if len({p.pk for p in people}) != len(people):
        refuse(_("同一人不能在一个班次担任两个岗位。"), "duplicate_person")
    shift.members.all().delete()
    rows = [ShiftMember(shift=shift, role=DutyRole.LEADER, person=leader, position=0)] if leader else []
    rows += [
        ShiftMember(shift=shift, role=DutyRole.OFFICER, person=p, position=i) for i, p in enumerate(officers)
    ]
    rows += [
        ShiftMember(shift=shift, role=DutyRole.STANDBY, person=p, position=i) for i, p in enumerate(standby)
    ]
    for row in rows:
        row.save()
    shift.edited = True
    if notes is not None:
        shift.notes = notes
    shift.save()
    return shift


# --- swaps -----------------------------------------------------------------------------------------


def _member(shift: Shift, person) -> ShiftMember | None:
    return shift.members.filter(person=person).first()


def _check_swap(swap: SwapRequest, now) -> None:
    shift = swap.shift
    if shift.starts_at <= now:
        refuse(_("该班次已开始或已结束，不能换班。"), "shift_past", "shift")
    if swap.from_person_id == swap.to_person_id:
        refuse(_("替班人员不能是原值班人员本人。"), "same_person", "to_person")
    if _member(shift, swap.from_person) is None:
        refuse(_("“%(p)s”不在该班次值班。") % {"p": swap.from_person}, "not_on_shift", "from_person")
    if _member(shift, swap.to_person) is not None:
        refuse(_("“%(p)s”已在该班次值班。") % {"p": swap.to_person}, "already_on_shift", "to_person")
    counter = swap.counter_shift
    if counter is not None:
        if counter.room_id != shift.room_id:
            refuse(_("对调班次须属于同一值班室。"), "other_room", "counter_shift")
        if counter.starts_at <= now:
            refuse(_("对调班次已开始或已结束，不能换班。"), "shift_past", "counter_shift")
        if _member(counter, swap.to_person) is None:
            refuse(_("“%(p)s”不在对调班次值班。") % {"p": swap.to_person}, "not_on_shift", "counter_shift")
        if _member(counter, swap.from_person) is not None:
            refuse(
                _("“%(p)s”已在对调班次值班。") % {"p": swap.from_person}, "already_on_shift", "counter_shift"
            )


@transaction.atomic
def request_swap(shift, from_person, to_person, reason: str, *, actor, counter_shift=None) -> SwapRequest:
    """Ask to hand ``from_person``'s post on ``shift`` to ``to_person`` (and, with ``counter_shift``,
    take theirs in exchange). Refused for a shift that has started."""
    swap = SwapRequest(
        shift=shift,
        from_person=from_person,
        to_person=to_person,
        counter_shift=counter_shift,
        reason=(reason or "").strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    check_object(actor, "add", swap)
    if not Person.objects.visible_to(actor).filter(pk=to_person.pk).exists():
        refuse(_("替班人员不在您的管辖范围内。"), "person_out_of_scope", "to_person")
    if not swap.reason:
        refuse(_("请填写换班理由。"), "reason_required", "reason")
    _check_swap(swap, timezone.now())
    if SwapRequest.objects.filter(shift=shift, from_person=from_person, status=SwapStatus.PENDING).exists():
        refuse(_("该人员在此班次已有待审批的换班申请。"), "swap_pending")
    swap.save()
    return swap


def _lock_swap(swap: SwapRequest) -> SwapRequest:
    swap = (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("shift__room", "counter_shift")
        .get(pk=swap.pk)
    )
    if swap.status != SwapStatus.PENDING:
        refuse(_("该申请已处理（%(s)s），不能再审批。") % {"s": swap.get_status_display()}, "not_pending")
    return swap


@transaction.atomic
def approve_swap(swap: SwapRequest, *, actor, note: str = "") -> SwapRequest:
    """A bureau officer of the room's place approves: the posts change hands, the shifts are marked
    edited, everything audited."""
    swap = _lock_swap(swap)
    check_object(actor, "change", swap)
    now = timezone.now()
    _check_swap(swap, now)
    member = _member(swap.shift, swap.from_person)
    member.person = swap.to_person
    member.save()
    swap.shift.edited = True
    swap.shift.save()
    if swap.counter_shift is not None:
        back = _member(swap.counter_shift, swap.to_person)
        back.person = swap.from_person
        back.save()
        swap.counter_shift.edited = True
        swap.counter_shift.save()
    swap.status = SwapStatus.APPROVED
    swap.decided_by = actor if getattr(actor, "pk", None) else None
    swap.decided_at = now
    swap.decision_note = note or ""
    swap.save()
    return swap


@transaction.atomic
def reject_swap(swap: SwapRequest, *, actor, note: str = "") -> SwapRequest:
    swap = _lock_swap(swap)
    check_object(actor, "change", swap)
    if not (note or "").strip():
        refuse(_("驳回时请填写理由。"), "note_required", "note")
    swap.status = SwapStatus.REJECTED
    swap.decided_by = actor if getattr(actor, "pk", None) else None
    swap.decided_at = timezone.now()
    swap.decision_note = note.strip()
    swap.save()
    return swap


# --- handovers -------------------------------------------------------------------------------------


def open_items(room_ids):
    return HandoverItem.objects.filter(room_id__in=room_ids, status=ItemStatus.OPEN).select_related("room")


@transaction.atomic
def record_handover(
    from_shift: Shift, summary: str, *, actor, new_items=(), close_items=(), now=None
) -> Handover:
    """Record the handover at the end of ``from_shift``: close the items listed in ``close_items``
    (ids), add ``new_items`` (texts); every item still open passes to the next shift (``carried``)."""
    now = now or timezone.now()
    room = from_shift.room
    handover = Handover(
        room=room,
        from_shift=from_shift,
        to_shift=Shift.objects.filter(room=room, date=from_shift.date + dt.timedelta(days=1)).first(),
        handed_at=now,
        summary=(summary or "").strip(),
        handed_by=actor if getattr(actor, "pk", None) else None,
    )
    check_object(actor, "add", handover)
    if not handover.summary:
        refuse(_("请填写值班情况。"), "summary_required", "summary")
    if from_shift.starts_at > now:
        refuse(_("该班次尚未开始，不能交班。"), "shift_not_started", "from_shift")
    if Handover.objects.filter(from_shift=from_shift).exists():
        refuse(_("该班次已交接，不能重复交班。"), "already_handed_over", "from_shift")
    texts = [t for t in ((text or "").strip() for text in new_items) if t]
    limit = HandoverItem._meta.get_field("text").max_length
    for text in texts:
        if len(text) > limit:
            refuse(
                _("每项待办事项不超过%(n)d字：“%(t)s…”过长，请拆分为多项。") % {"n": limit, "t": text[:20]},
                "item_too_long",
                "new_items",
            )
    handover.save()
    close_ids = {int(i) for i in close_items}
    if close_ids:
        items = list(HandoverItem.objects.select_for_update().filter(pk__in=close_ids, room=room))
        if len(items) != len(close_ids):
            refuse(_("所选事项不属于本值班室。"), "item_other_room", "close_items")
        for item in items:
            if item.status == ItemStatus.OPEN:
                item.status = ItemStatus.CLOSED
                item.closed_at = now
                item.closed_by = handover.handed_by
                item.save()
    for text in texts:
        HandoverItem.objects.create(room=room, handover=handover, text=text)
    handover.carried.set(HandoverItem.objects.filter(room=room, status=ItemStatus.OPEN))
    return handover


@transaction.atomic
def close_item(item: HandoverItem, *, actor) -> HandoverItem:
    check_object(actor, "add", Handover(room=item.room))
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.OPEN:
        refuse(_("该事项已办结。"), "item_closed")
    item.status = ItemStatus.CLOSED
    item.closed_at = timezone.now()
    item.closed_by = actor if getattr(actor, "pk", None) else None
    item.save()
    return item


# --- roll-calls ------------------------------------------------------------------------------------


def lower_rooms(caller: DutyRoom):
    return DutyRoom.objects.filter(parent=caller).order_by("place__code", "pk")


@transaction.atomic
def call_lower_rooms(
    caller: DutyRoom, *, actor, now=None, origin: str = RollCallOrigin.MANUAL
) -> list[RollCall]:
    """The upper room ``caller`` calls every lower room now: one :class:`RollCall` per lower room,
    due after the configured window (default 5 minutes)."""
    now = now or timezone.now()
    if not DutyRoom.objects.visible_to(actor).filter(pk=caller.pk).exists():
        raise AccessDenied(_("您无权以该值班室名义点名。"), code="out_of_scope")
    rooms = list(lower_rooms(caller))
    if not rooms:
        refuse(_("“%(r)s”没有下级值班室可点名。") % {"r": caller}, "no_lower_rooms")
    due = now + conf.rollcall_window()
    calls = []
    for room in rooms:
        call = RollCall(
            caller=caller,
            room=room,
            called_at=now,
            due_at=due,
            origin=origin,
            called_by=actor if getattr(actor, "pk", None) else None,
        )
        check_object(actor, "add", call)
        calls.append(call)
    if RollCall.objects.filter(caller=caller, called_at=now).exists():
        return list(RollCall.objects.filter(caller=caller, called_at=now))
    for call in calls:
        call.save()
    return calls


def can_answer(user, call: RollCall) -> bool:
    """Only the called room answers: an assignment at exactly the room's place (and, for a department
    room, of its department; for a place's own room, without a department), with the right to change
    roll-calls. A platform administrator may answer any call."""
    label = RollCall._meta.label_lower
    for a in assignments_of(user):
        if not role_allows(a.role, "change", label):
            continue
        if ROLES[a.role].global_scope:
            return True
        if a.place_id == call.room.place_id and a.enterprise_id is None:
            if a.department_id == call.room.department_id:
                return True
    return False


def answer_roll_call(call: RollCall, *, actor, note: str = "", now=None) -> RollCall:
    """The called room answers. Inside the window (up to and including ``due_at``) the call is
    answered; after it the answer is refused with ``rollcall_missed`` and the call is marked missed
    (that marking is committed even though the answer is refused)."""
    now = now or timezone.now()
    try:
        return _answer(call, actor=actor, note=note, now=now)
    except _Missed:
        mark_missed(now=now)
        raise


@transaction.atomic
def _answer(call: RollCall, *, actor, note: str, now) -> RollCall:
    call = RollCall.objects.select_for_update(of=("self",)).select_related("room", "caller").get(pk=call.pk)
    check_object(actor, "change", call)
    if not can_answer(actor, call):
        raise AccessDenied(_("只有被点名的值班室可以应答。"), code="not_called_room")
    if call.status == RollCallStatus.ANSWERED:
        refuse(_("该点名已应答。"), "already_answered")
    if call.status == RollCallStatus.MISSED or now > call.due_at:
        raise _Missed(call)
    call.status = RollCallStatus.ANSWERED
    call.answered_at = now
    call.answered_by = actor if getattr(actor, "pk", None) else None
    call.answer_note = (note or "").strip()[:200]
    call.save()
    return call


class _Missed(ValidationError):
    """A late answer: refused; the call counts as missed."""

    def __init__(self, call):
        local = timezone.localtime(call.due_at, tz())
        super().__init__(
            _("应答已超时（时限 %(due)s），本次点名记为未应答。") % {"due": f"{local:%H:%M:%S}"},
            code="rollcall_missed",
        )


def mark_missed(now=None) -> int:
    """Pending calls past their answer time become missed; returns how many."""
    now = now or timezone.now()
    n = 0
    with transaction.atomic():
        for call in RollCall.objects.select_for_update().filter(
            status=RollCallStatus.PENDING, due_at__lt=now
        ):
            call.status = RollCallStatus.MISSED
            call.save(update_fields=["status", "updated"])  # audited
            n += 1
    return n


def scheduled_times(caller: DutyRoom, day: dt.date) -> list[dt.datetime]:
    """The random roll-call times of ``caller`` on ``day``: ``ROLLCALLS_PER_DAY`` distinct minutes
    inside ``ROLLCALL_HOURS`` (local). Derived from the secret key, the room and the date, so every
    worker computes the same times and a lower room cannot predict them."""
    per_day = int(conf.get("ROLLCALLS_PER_DAY"))
    first, last = conf.get("ROLLCALL_HOURS")
    minutes = max(0, (int(last) - int(first)) * 60)
    if per_day <= 0 or minutes <= 0:
        return []
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|duty|{caller.pk}|{day.isoformat()}".encode()).hexdigest()
    rng = random.Random(int(digest[:16], 16))
    picks = sorted(rng.sample(range(minutes), min(per_day, minutes)))
    base = dt.datetime.combine(day, dt.time(int(first), 0), tzinfo=tz())
    return [base + dt.timedelta(minutes=m) for m in picks]


def run_scheduled_roll_calls(now=None) -> int:
    """Place every scheduled call whose time has come (within the catch-up window) and that has not
    been placed yet; then mark missed calls. Idempotent: run it every minute. Returns calls placed."""
    from yingji.framework.access import SYSTEM

    now = now or timezone.now()
    mark_missed(now)
    catch_up = dt.timedelta(minutes=int(conf.get("ROLLCALL_CATCH_UP_MINUTES")))
    today = timezone.localtime(now, tz()).date()
    placed = 0
    callers = DutyRoom.objects.filter(children__isnull=False).distinct()
    for caller in callers:
        for when in scheduled_times(caller, today):
            if not (now - catch_up < when <= now):
                continue
            if RollCall.objects.filter(caller=caller, called_at=when).exists():
                continue
            try:
                placed += len(
                    call_lower_rooms(caller, actor=SYSTEM, now=when, origin=RollCallOrigin.SCHEDULED)
                )
            except ValidationError:
                continue
    return placed
