"""Write services of the deadline and supervision engine (F7 期限与督办).

Other modules call :func:`track` when an item gets a due date, :func:`meet` when it is done and
:func:`cancel` when it no longer needs doing; supervisors call :func:`list_for_supervision`; the
periodic task calls :func:`check_deadlines`. Administrators change the working-day calendar through
:func:`save_calendar_day` / :func:`delete_calendar_day` / :func:`enter_calendar_days`, which
recompute the affected open deadlines in the same transaction.

``actor=None`` means the platform itself (tasks, or a module acting after its own checks, e.g. for
an anonymous public report). Otherwise ``track``/``meet``/``cancel`` on an *item* require that the
actor may see the item (the calling module has already checked its own rights on it), and
operations on a *Deadline* directly require the ``change`` right on deadlines in its scope.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.audit.context import change_context
from yingji.deadlines import calendar
from yingji.deadlines.choices import ACTIVE_STATUSES, CalendarDayKind, DeadlineStatus
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.deadlines.rules import Rule, escalate_time, find_rule, get_rule, remind_time
from yingji.framework.access import AccessDenied, allows_object, check_object
from yingji.framework.errors import field_error
from yingji.framework.services import delete_object, save_object

log = logging.getLogger(__name__)

#: Place levels that may list an item for supervision (挂牌督办 is done by governments: 市、县（区）、镇（街道）).
SUPERVISING_LEVELS = ("city", "county", "town")


class InvalidTransition(ValidationError):
    """The deadline is not in a state that allows this operation (rendered as a 400 / form error)."""

    def __init__(self, message: str, code: str = "invalid_transition"):
        super().__init__(message, code=code)


# --- helpers --------------------------------------------------------------------------------------
def _resolve(obj, path: str):
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def item_place(item):
    """The place an item belongs to, read through its model's ``scope`` (None when it has none)."""
    scope = getattr(type(item), "scope", None)
    if scope is None or scope.place is None:
        return None
    return item if scope.place == "self" else _resolve(item, scope.place)


def item_enterprise_id(item):
    scope = getattr(type(item), "scope", None)
    if scope is None or scope.enterprise is None:
        return None
    value = _resolve(item, scope.enterprise)
    return getattr(value, "pk", value)


def _check_item(actor, item) -> None:
    if actor is None:
        return
    if getattr(type(item), "scope", None) is None:
        if not (actor.is_authenticated and actor.is_active):
            raise AccessDenied(_("请先登录。"), code="not_authenticated")
        return
    if not allows_object(actor, "view", item):
        raise AccessDenied(
            _("您无权在此范围内执行该操作：请确认所选地区和单位属于您的管辖范围。"), code="out_of_scope"
        )


def _as_start(start) -> dt.datetime:
    if start is None:
        return timezone.now()
    if isinstance(start, dt.datetime):
        return calendar.to_local(start)
    return dt.datetime.combine(start, dt.time(0, 0), tzinfo=calendar.tz())


def _as_due(due) -> tuple[dt.datetime, bool]:
    """An explicit due time: a date means the end (24:00) of that day (day-based)."""
    if isinstance(due, dt.datetime):
        return calendar.to_local(due), False
    return calendar.end_of_day(due), True


def _apply_due(
    deadline: Deadline,
    due: dt.datetime,
    *,
    rule: Rule | None,
    day_based: bool,
    now: dt.datetime,
    computed: bool,
    estimated: bool,
) -> None:
    """Set the due time and everything derived from it: reminder and escalation times, status, and
    the reminder/escalation marks (cleared when the new time is still ahead, so it is sent again)."""
    deadline.due_at = due
    deadline.due_computed = computed
    deadline.calendar_estimated = estimated
    remind_at = remind_time(rule, due, day_based=day_based)
    if remind_at is not None and deadline.start_at is not None and remind_at <= deadline.start_at:
        remind_at = None  # the period is shorter than the reminder lead: the item itself was the notice
    deadline.remind_at = remind_at
    deadline.escalate_at = escalate_time(rule, due, day_based=day_based)
    if deadline.reminded_at is not None and remind_at is not None and remind_at > now:
        deadline.reminded_at = None
    if deadline.escalated_at is not None and deadline.escalate_at > now:
        deadline.escalated_at = None
    if deadline.is_active:
        deadline.status = DeadlineStatus.OVERDUE if now > due else DeadlineStatus.OPEN


def _targets(item_or_deadline, actor, rule: str | None) -> list[Deadline]:
    """The deadlines an operation applies to, locked; scope checked."""
    if isinstance(item_or_deadline, Deadline):
        if actor is not None:
            check_object(actor, "change", item_or_deadline)
        return list(Deadline.objects.select_for_update().filter(pk=item_or_deadline.pk))
    item = item_or_deadline
    _check_item(actor, item)
    qs = Deadline.objects.select_for_update().filter(
        content_type=ContentType.objects.get_for_model(item),
        object_id=str(item.pk),
        status__in=ACTIVE_STATUSES,
    )
    if rule is not None:
        qs = qs.filter(rule=rule)
    return list(qs.order_by("pk"))


# --- tracking ---------------------------------------------------------------------------------------
def track(
    item, *, rule: str, start, actor, responsible=None, supervisor=None, place=None, title: str = "", due=None
) -> Deadline:
    """Start (or update) the due date of ``item`` under ``rule``; returns the Deadline.

    ``start``: when the period starts (date or datetime; None = now). ``due``: an explicit due time
    (a date means 24:00 of that day) instead of the rule's period — required for rules without one.
    An item has at most one active deadline per rule: tracking it again (e.g. 延期, a new start)
    updates that deadline instead of adding one. ``place`` defaults to the item's place;
    ``responsible`` / ``supervisor`` left None keep their current values.
    """
    for attempt in range(2):
        try:
            return _track(
                item,
                rule=rule,
                start=start,
                actor=actor,
                responsible=responsible,
                supervisor=supervisor,
                place=place,
                title=title,
                due=due,
            )
        except IntegrityError:
            if attempt:  # pragma: no cover - needs two concurrent writers twice in a row
                raise
            # another process created the active deadline between our read and our insert: update it
    raise AssertionError("unreachable")  # pragma: no cover


_RELATIONS = ("content_type", "place", "enterprise", "responsible", "supervisor", "listed_by")


@transaction.atomic
def _track(item, *, rule, start, actor, responsible, supervisor, place, title, due) -> Deadline:
    rule_obj = get_rule(rule)
    if item.pk is None:
        raise ValueError("save the item before tracking its deadline")
    _check_item(actor, item)
    now = timezone.now()
    start_at = _as_start(start)
    cal = calendar.WorkingCalendar()
    if due is not None:
        due_at, day_based = _as_due(due)
        computed, estimated = False, False
    elif rule_obj.has_period:
        due_at, day_based = rule_obj.due_at(start_at, cal), rule_obj.day_based
        computed, estimated = True, bool(cal.fallback_years)
    else:
        raise field_error("due_at", _("该期限规则没有固定期限，请指定办理时限。"), "due_required")
    place = place or item_place(item)
    if place is None:
        raise field_error("place", _("无法确定该事项的所属地区，请指定所属地区。"), "place_required")

    content_type = ContentType.objects.get_for_model(item)
    deadline = (
        Deadline.objects.select_for_update()
        .filter(content_type=content_type, object_id=str(item.pk), rule=rule, status__in=ACTIVE_STATUSES)
        .first()
    ) or Deadline(content_type=content_type, object_id=str(item.pk), rule=rule)
    deadline.title = (title or deadline.title or f"{rule_obj.label}：{item}")[:200]
    deadline.start_at = start_at
    if responsible is not None:
        deadline.responsible = responsible
    if supervisor is not None:
        deadline.supervisor = supervisor
    deadline.place = place
    deadline.enterprise_id = item_enterprise_id(item)
    _apply_due(
        deadline, due_at, rule=rule_obj, day_based=day_based, now=now, computed=computed, estimated=estimated
    )
    # The related rows were handed in as loaded instances (or read just above), and the database's
    # foreign keys guard them anyway: skip full_clean's one existence query per relation.
    deadline.full_clean(exclude=_RELATIONS, validate_constraints=False)
    with (
        transaction.atomic()
    ):  # savepoint: a concurrent insert surfaces as IntegrityError, retried by track()
        deadline.save()
    return deadline


@transaction.atomic
def meet(
    item_or_deadline, *, actor, rule: str | None = None, at: dt.datetime | None = None
) -> list[Deadline]:
    """Mark the active deadline(s) of an item (or one Deadline) as met (办结); returns them.

    Idempotent: an already met deadline stays as it is. ``met_at`` after ``due_at`` shows as 逾期办结.
    """
    done = []
    for deadline in _targets(item_or_deadline, actor, rule):
        if deadline.status == DeadlineStatus.CANCELLED:
            raise InvalidTransition(_("该期限已撤销，不能办结。"))
        if deadline.status != DeadlineStatus.MET:
            deadline.status = DeadlineStatus.MET
            deadline.met_at = at or timezone.now()
            deadline.save()
        done.append(deadline)
    return done


@transaction.atomic
def cancel(item_or_deadline, *, actor, reason: str = "", rule: str | None = None) -> list[Deadline]:
    """Cancel (撤销) the active deadline(s) of an item (or one Deadline); returns them. Idempotent."""
    done = []
    for deadline in _targets(item_or_deadline, actor, rule):
        if deadline.status == DeadlineStatus.MET:
            raise InvalidTransition(_("该期限已办结，不能撤销。"))
        if deadline.status != DeadlineStatus.CANCELLED:
            deadline.status = DeadlineStatus.CANCELLED
            deadline.cancelled_at = timezone.now()
            deadline.cancel_reason = (reason or "")[:200]
            deadline.save()
        done.append(deadline)
    return done


def supervising_places(deadline: Deadline, user=None) -> list:
    """The places that may list ``deadline`` (市/县/镇 containing its place), limited to ``user``'s scope."""
    from yingji.places.models import Place

    codes = [c for c in deadline.place.path.split("/") if c]
    places = list(Place.objects.filter(code__in=codes, level__in=SUPERVISING_LEVELS).order_by("path"))
    if user is not None:
        places = [p for p in places if allows_object(user, "change", Deadline(place=p))]
    return places


@transaction.atomic
def list_for_supervision(deadline: Deadline, *, actor, level_place, due_at=None, note: str = "") -> Deadline:
    """List an active deadline for supervision (挂牌督办) by ``level_place`` with a new time limit.

    ``level_place`` must be a 市/县/镇 that contains the deadline's place and lies in the actor's scope;
    an item already listed by a higher level cannot be re-listed by a lower one. ``due_at`` (datetime, or
    a date meaning 24:00 of that day) replaces the time limit; None keeps it. The responsible person and
    the supervisor are notified.
    """
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if actor is not None:
        check_object(actor, "change", deadline)
        check_object(actor, "change", Deadline(place=level_place))
    if not deadline.is_active:
        raise InvalidTransition(_("只能对办理中或已逾期的事项挂牌督办。"))
    if level_place.level not in SUPERVISING_LEVELS or not deadline.place.path.startswith(level_place.path):
        raise field_error(
            "level_place", _("挂牌督办单位须是该事项所在地的市、县（区）或镇（街道）。"), "level_not_above"
        )
    if deadline.listed_by_id and not deadline.listed_by.path.startswith(level_place.path):
        message = _("该事项已由%(level)s挂牌督办，下级不能重新挂牌。") % {"level": deadline.listed_by}
        raise field_error("level_place", message, "listed_higher")
    now = timezone.now()
    if due_at is not None:
        due, day_based = _as_due(due_at)
        if due <= now:
            raise field_error("due_at", _("督办时限须晚于当前时间。"), "due_in_past")
        _apply_due(
            deadline,
            due,
            rule=find_rule(deadline.rule),
            day_based=day_based,
            now=now,
            computed=False,
            estimated=False,
        )
    deadline.listed_by = level_place
    deadline.listed_at = now
    deadline.supervision_note = note or ""
    deadline.save()
    body = _("%(level)s对“%(title)s”挂牌督办，办理时限：%(due)s。") % {
        "level": level_place,
        "title": deadline.title,
        "due": calendar.format_due(deadline.due_at),
    }
    if note:
        body += _("督办要求：%(note)s") % {"note": note}
    _notify(
        deadline,
        subject=_("挂牌督办：%(title)s") % {"title": deadline.title},
        body=body,
        users=[deadline.responsible, deadline.supervisor],
        actor=actor,
    )
    return deadline


# --- the working-day calendar ---------------------------------------------------------------------
def recalculate_deadlines(years, *, now=None) -> int:
    """Recompute the due times of active, rule-computed deadlines that touch ``years`` (after the
    calendar of those years changed); returns how many changed. Runs inside the caller's transaction."""
    years = sorted(set(years))
    if not years:
        return 0
    now = now or timezone.now()
    first = dt.datetime(years[0], 1, 1, tzinfo=calendar.tz())
    last = dt.datetime(years[-1] + 1, 1, 1, tzinfo=calendar.tz())
    cal = calendar.WorkingCalendar()
    changed = 0
    rows = Deadline.objects.select_for_update().filter(
        status__in=ACTIVE_STATUSES, due_computed=True, start_at__lt=last, due_at__gte=first
    )
    for deadline in rows:
        rule = find_rule(deadline.rule)
        if rule is None or not rule.has_period:
            continue
        cal.fallback_years = set()
        due = rule.due_at(deadline.start_at, cal)
        estimated = bool(cal.fallback_years)
        if due == deadline.due_at and estimated == deadline.calendar_estimated:
            continue
        _apply_due(
            deadline, due, rule=rule, day_based=rule.day_based, now=now, computed=True, estimated=estimated
        )
        deadline.save()
        changed += 1
    return changed


@transaction.atomic
def save_calendar_day(day: CalendarDay, *, actor) -> CalendarDay:
    """Create or change an entered calendar day, then recompute the open deadlines it affects."""
    years = {day.date.year} if day.date else set()
    if day.pk:
        old = CalendarDay.objects.filter(pk=day.pk).values_list("date", flat=True).first()
        if old:
            years.add(old.year)
    save_object(day, actor=actor)
    recalculate_deadlines(years)
    return day


@transaction.atomic
def delete_calendar_day(day: CalendarDay, *, actor) -> None:
    year = day.date.year
    delete_object(day, actor=actor)
    recalculate_deadlines({year})


@transaction.atomic
def enter_calendar_days(
    *, start: dt.date, end: dt.date, kind: str, actor, name: str = "", note: str = ""
) -> list[CalendarDay]:
    """Enter every day from ``start`` to ``end`` (inclusive) as ``kind`` — e.g. a whole holiday period
    from the State Council notice; existing entries of those dates are updated."""
    if end < start:
        raise field_error("end", _("结束日期不能早于开始日期。"), "end_before_start")
    if (end - start).days > 366:
        raise field_error("end", _("一次最多录入一年。"), "range_too_long")
    if kind not in CalendarDayKind.values:
        raise field_error("kind", _("请选择放假或上班。"), "invalid_choice")
    existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(date__range=(start, end))}
    days = []
    day = start
    while day <= end:
        row = existing.get(day) or CalendarDay(date=day)
        row.kind, row.name, row.note = kind, name, note
        days.append(save_object(row, actor=actor))
        day += dt.timedelta(days=1)
    recalculate_deadlines({start.year, end.year})
    return days


# --- the periodic check ---------------------------------------------------------------------------
def _link(deadline: Deadline) -> str:
    try:
        return deadline.item_url() or deadline.get_absolute_url()
    except NoReverseMatch:
        return deadline.get_absolute_url()


def _notify(deadline: Deadline, *, subject: str, body: str, users, actor=None) -> bool:
    """Send one in-app notification (and whatever channels the messaging centre adds) about a deadline."""
    recipients = []
    for user in users:
        if user is not None and user.is_active and user not in recipients:
            recipients.append(user)
    if not recipients:
        return False
    from yingji.messaging.services import notify

    notify(
        actor=actor,
        subject=subject[:200],
        body=body,
        users=recipients,
        link=_link(deadline),
        category="deadline",
        about=deadline.item or deadline,
    )
    return True


def escalation_recipients(deadline: Deadline) -> list:
    """The supervisor; without one, the 应急管理局干部 (bureau officers) of the nearest enclosing place."""
    if deadline.supervisor is not None and deadline.supervisor.is_active:
        return [deadline.supervisor]
    from yingji.accounts.models import User
    from yingji.framework.roles import Role

    codes = [c for c in deadline.place.path.split("/") if c]
    for code in reversed(codes):
        users = list(
            User.objects.filter(
                is_active=True, role_assignments__role=Role.BUREAU_OFFICER, role_assignments__place__code=code
            )
            .exclude(pk=deadline.responsible_id or 0)
            .distinct()
            .order_by("pk")
        )
        if users:
            return users
    return []


def _rule_text(deadline: Deadline) -> str:
    return deadline.rule_label


def _step_overdue(deadline: Deadline, now) -> bool:
    if deadline.status != DeadlineStatus.OPEN or not now > deadline.due_at:
        return False
    deadline.status = DeadlineStatus.OVERDUE
    deadline.save(update_fields=["status", "updated"])
    _notify(
        deadline,
        subject=_("已逾期：%(title)s") % {"title": deadline.title},
        body=_("“%(title)s”（%(rule)s）的办理时限 %(due)s 已过，尚未办结，请立即办理。")
        % {
            "title": deadline.title,
            "rule": _rule_text(deadline),
            "due": calendar.format_due(deadline.due_at),
        },
        users=[deadline.responsible],
    )
    return True


def _step_remind(deadline: Deadline, now) -> bool:
    if (
        deadline.status != DeadlineStatus.OPEN
        or deadline.reminded_at is not None
        or deadline.remind_at is None
        or deadline.remind_at > now
        or now > deadline.due_at
    ):
        return False
    deadline.reminded_at = now
    deadline.save(update_fields=["reminded_at", "updated"])
    _notify(
        deadline,
        subject=_("期限提醒：%(title)s") % {"title": deadline.title},
        body=_("“%(title)s”（%(rule)s）将于 %(due)s 到期，请按时办理。")
        % {
            "title": deadline.title,
            "rule": _rule_text(deadline),
            "due": calendar.format_due(deadline.due_at),
        },
        users=[deadline.responsible],
    )
    return True


def _step_escalate(deadline: Deadline, now) -> bool:
    if (
        deadline.status != DeadlineStatus.OVERDUE
        or deadline.escalated_at is not None
        or deadline.escalate_at is None
        or deadline.escalate_at > now
    ):
        return False
    deadline.escalated_at = now
    deadline.save(update_fields=["escalated_at", "updated"])
    who = (
        (deadline.responsible.get_full_name() or deadline.responsible.username)
        if deadline.responsible
        else _("未指定")
    )
    _notify(
        deadline,
        subject=_("逾期督办：%(title)s") % {"title": deadline.title},
        body=_(
            "“%(title)s”（%(place)s，%(rule)s，责任人：%(who)s）办理时限 %(due)s 已过仍未办结，请督促办理。"
        )
        % {
            "title": deadline.title,
            "place": deadline.place,
            "rule": _rule_text(deadline),
            "who": who,
            "due": calendar.format_due(deadline.due_at),
        },
        users=escalation_recipients(deadline),
    )
    return True


def _run_step(pk: int, step, now) -> bool:
    """One step on one deadline in its own transaction: the mark and the notification commit together,
    so a failure sends nothing and marks nothing (the next run retries it) and does not stop the other
    rows; a second run finds the mark and does nothing."""
    try:
        with transaction.atomic():
            deadline = Deadline.objects.select_for_update().filter(pk=pk).first()
            if deadline is None:
                return False
            if deadline.is_active and deadline.item is None:
                deadline.status = DeadlineStatus.CANCELLED
                deadline.cancelled_at = now
                deadline.cancel_reason = _("督办对象已被删除")
                deadline.save()
                return False
            return step(deadline, now)
    except Exception:  # noqa: BLE001 - one broken row or channel must not stop the check of all others
        log.exception("deadline %s: %s failed; retried at the next check", pk, step.__name__)
        return False


def check_deadlines(now: dt.datetime | None = None) -> dict:
    """Flag past-due deadlines overdue, remind before due, escalate after due (each at most once).

    Runs every 5 minutes (``yingji.deadlines.tasks``); safe to run twice or in two processes at once:
    every step re-reads its row under a lock and checks its own mark first. Returns counts.
    """
    now = now or timezone.now()
    counts = {"overdue": 0, "reminded": 0, "escalated": 0}
    active = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    with change_context("task"):
        # the id lists are read first: each step then writes in its own short transaction
        for pk in list(active.filter(due_at__lt=now).values_list("pk", flat=True)):
            counts["overdue"] += _run_step(pk, _step_overdue, now)
        remind = active.filter(reminded_at=None, remind_at__lte=now, due_at__gte=now)
        for pk in list(remind.values_list("pk", flat=True)):
            counts["reminded"] += _run_step(pk, _step_remind, now)
        escalate = Deadline.objects.filter(
            status=DeadlineStatus.OVERDUE, escalated_at=None, escalate_at__lte=now
        )
        for pk in list(escalate.values_list("pk", flat=True)):
            counts["escalated"] += _run_step(pk, _step_escalate, now)
    if any(counts.values()):
        log.info("deadline check at %s: %s", now.isoformat(), counts)
    return counts
