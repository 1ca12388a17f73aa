"""The lifecycle of a dispatch task — the one place where ``Task.status`` changes.

::

    dispatched ──acknowledge──▶ acknowledged ──progress / depart / arrive──▶ in_progress ──complete──▶ completed
        │                           │                                            │
        └──────────────cancel (dispatcher)─────────────────────────────────────┴──────▶ cancelled

* ``progress`` (percent and note) is allowed once acknowledged and until completion; the first one
  moves the task to *in_progress*.
* ``depart`` and ``arrive`` (出发 / 到达现场) are steps of team tasks only; arriving without a recorded
  departure records the departure at the same time.
* ``complete`` needs a result; ``cancel`` a reason.

Who may do what (docs/dispatch.md): the **dispatcher** side is whoever may *add* tasks at the incident's
place (值班员, 应急管理局干部, platform administrators); the **assignee** side is the user linked to the
assigned person, or a department-limited user of the task's responsible department (the assignee
department or the team's 主管部门) whose role may change tasks (行业部门干部). Assignee steps
(acknowledge, progress, depart, arrive, complete) may be taken by the assignee or recorded by a
dispatcher on the assignee's behalf (代录, e.g. after a phone call); cancel only by a dispatcher.

Every step writes a :class:`TaskUpdate`, an entry on the incident's timeline with a link to the task,
and the change log (model signals); refusals raise :class:`TaskError` before anything is written.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.dispatch.choices import AssigneeKind, TaskAction, TaskStatus
from yingji.dispatch.models import Task, TaskUpdate
from yingji.framework.access import AccessDenied, allows_object, assignments_of, has_global
from yingji.framework.roles import role_allows
from yingji.incidents.choices import TimelineKind

LABEL = "dispatch.task"
D, A, P = TaskStatus.DISPATCHED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS

#: action → (statuses it starts from, status it leads to)
TRANSITIONS = {
    TaskAction.ACKNOWLEDGE: ((D,), A),
    TaskAction.PROGRESS: ((A, P), P),
    TaskAction.DEPART: ((A, P), P),
    TaskAction.ARRIVE: ((A, P), P),
    TaskAction.COMPLETE: ((A, P), TaskStatus.COMPLETED),
    TaskAction.CANCEL: ((D, A, P), TaskStatus.CANCELLED),
}
ASSIGNEE_STEPS = (
    TaskAction.ACKNOWLEDGE,
    TaskAction.PROGRESS,
    TaskAction.DEPART,
    TaskAction.ARRIVE,
    TaskAction.COMPLETE,
)
TEAM_STEPS = (TaskAction.DEPART, TaskAction.ARRIVE)
#: a reported time (出发/到达) may lie this far in the future (clock skew of a phone), no further
CLOCK_SLACK = dt.timedelta(minutes=5)
#: people or vehicles a team reports sent: more is a typing error (and would overflow the column)
MAX_COUNT = 100_000


class TaskError(Exception):
    """A refused step: ``code`` is stable (API error code), ``message`` is Chinese for people,
    ``field`` names the input it concerns (or "")."""

    def __init__(self, message: str, code: str = "invalid_transition", field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = str(message), code, field


# --- who ------------------------------------------------------------------------------------------
def may_dispatch(user, task: Task) -> bool:
    """Whether ``user`` is on the dispatcher side of ``task`` (may add tasks at the incident's place)."""
    if has_global(user, "add", Task):
        return True
    probe = Task(incident=task.incident, department_id=None)
    return allows_object(user, "add", probe)


def is_assignee(user, task: Task) -> bool:
    """Whether ``user`` answers for ``task``: the assigned person's account, or a department-limited
    user of the task's responsible department whose role may change tasks."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if task.assignee_kind == AssigneeKind.PERSON:
        return task.person_id is not None and getattr(user, "person_id", None) == task.person_id
    if task.department_id is None:
        return False
    return any(
        a.department_id == task.department_id and role_allows(a.role, "change", LABEL)
        for a in assignments_of(user)
    )


def may_answer(user, task: Task) -> bool:
    return is_assignee(user, task) or may_dispatch(user, task)


def allowed_actions(user, task: Task) -> list[str]:
    """The steps ``user`` may take on ``task`` now (drives the buttons)."""
    out = []
    for action, (sources, _target) in TRANSITIONS.items():
        if task.status not in sources:
            continue
        if action in TEAM_STEPS and task.assignee_kind != AssigneeKind.TEAM:
            continue
        if action == TaskAction.DEPART and task.departed_at is not None:
            continue
        if action == TaskAction.ARRIVE and task.arrived_at is not None:
            continue
        if action == TaskAction.CANCEL:
            if may_dispatch(user, task):
                out.append(action.value)
        elif may_answer(user, task):
            out.append(action.value)
    return out


# --- steps ----------------------------------------------------------------------------------------
def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("incident", "team", "assignee_department", "person", "department")
        .get(pk=task.pk)
    )


def _check(task: Task, action: str, actor) -> None:
    sources, _target = TRANSITIONS[action]
    label = TaskAction(action).label
    if action in TEAM_STEPS and task.assignee_kind != AssigneeKind.TEAM:
        raise TaskError(_("只有派给救援队伍的任务才记录出发和到达。"), "not_team_task")
    if task.status not in sources:
        if task.status == D and action in ASSIGNEE_STEPS:
            message = _("任务尚未签收，请先签收再“%(action)s”。") % {"action": label}
        else:
            message = _("任务当前状态为“%(status)s”，不能执行“%(action)s”。") % {
                "status": task.get_status_display(),
                "action": label,
            }
        raise TaskError(message, "invalid_transition")
    if action == TaskAction.CANCEL:
        if not may_dispatch(actor, task):
            raise AccessDenied(_("只有派发方（值班员、应急管理局干部）可以撤销任务。"), "permission_denied")
    elif not may_answer(actor, task):
        raise AccessDenied(_("只有任务的承办人（或代录的派发方）可以执行此操作。"), "permission_denied")


def _when(task: Task, at, field: str):
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + CLOCK_SLACK:
        raise TaskError(_("时间不能晚于当前时间。"), "time_in_future", field)
    if at < task.dispatched_at:
        raise TaskError(_("时间不能早于任务派发时间。"), "time_before_dispatch", field)
    return at


def _record(task, action, *, actor, at, note="", percent=None, kind=TimelineKind.TASK, text=""):
    from yingji.incidents.services import add_timeline

    user = _user(actor)
    TaskUpdate.objects.create(
        task=task, action=action, at=at, note=(note or "")[:500], percent=percent, by=user
    )
    add_timeline(task.incident, kind, text, actor=user, at=at, link=task.get_absolute_url())


def _move(task: Task, action: str, **fields) -> Task:
    task.status = TRANSITIONS[action][1]
    for key, value in fields.items():
        setattr(task, key, value)
    task.save()
    return task


def _by(actor, task) -> str:
    """ " （代录）" when a dispatcher records an assignee step for the assignee."""
    return "" if is_assignee(actor, task) else _("（%(who)s代录）") % {"who": actor}


@transaction.atomic
def acknowledge(task: Task, *, actor, note: str = "") -> Task:
    """签收: the assignee confirms receipt (dispatched → acknowledged)."""
    task = _locked(task)
    _check(task, TaskAction.ACKNOWLEDGE, actor)
    now = timezone.now()
    _move(task, TaskAction.ACKNOWLEDGE, acknowledged_at=now, acknowledged_by=_user(actor))
    _record(
        task,
        TaskAction.ACKNOWLEDGE,
        actor=actor,
        at=now,
        note=note,
        text=_("%(who)s签收任务：%(title)s%(by)s")
        % {"who": task.assignee, "title": task.title, "by": _by(actor, task)},
    )
    _tell_dispatcher(task, actor, _("任务已签收：%(title)s") % {"title": task.title})
    return task


@transaction.atomic
def report_progress(task: Task, *, actor, percent=None, note: str = "") -> Task:
    """进展: a percentage (0–100, not below the last one) and/or a note; moves to in_progress."""
    task = _locked(task)
    _check(task, TaskAction.PROGRESS, actor)
    note = (note or "").strip()
    if percent in ("", None):
        percent = None
    else:
        try:
            percent = int(percent)
        except (TypeError, ValueError):
            raise TaskError(_("进度须为 0 到 100 之间的整数。"), "invalid_percent", "percent") from None
        if not 0 <= percent <= 100:
            raise TaskError(_("进度须为 0 到 100 之间的整数。"), "invalid_percent", "percent")
        if percent < task.percent:
            raise TaskError(
                _("进度不能低于上次报告的 %(p)s%%。") % {"p": task.percent}, "percent_decreased", "percent"
            )
    if percent is None and not note:
        raise TaskError(_("请填写进度或进展说明。"), "progress_empty", "note")
    now = timezone.now()
    _move(task, TaskAction.PROGRESS, percent=task.percent if percent is None else percent)
    shown = f"（{percent}%）" if percent is not None else ""
    _record(
        task,
        TaskAction.PROGRESS,
        actor=actor,
        at=now,
        note=note,
        percent=percent,
        text=_("任务进展%(p)s：%(title)s%(note)s")
        % {"p": shown, "title": task.title, "note": f"——{note}" if note else ""},
    )
    return task


def _count(value, field):
    """People or vehicles sent: None when not given; an integer 0 … :data:`MAX_COUNT` otherwise."""
    if value in ("", None):
        return None
    message = _("人数和车辆数须为 0 到 %(max)s 之间的整数。") % {"max": MAX_COUNT}
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise TaskError(message, "invalid_count", field) from None
    if not 0 <= value <= MAX_COUNT:
        raise TaskError(message, "invalid_count", field)
    return value


def _team_step(task, action, when, *, actor, headcount, vehicles, note, text, values, **stamps) -> Task:
    """The common part of 出发 and 到达: the people and vehicles sent (kept when not given), the
    time stamps, and the timeline line ``text`` filled with ``values``, the team, its force and 代录."""
    headcount, vehicles = _count(headcount, "headcount"), _count(vehicles, "vehicles")
    _move(
        task,
        action,
        headcount_sent=task.headcount_sent if headcount is None else headcount,
        vehicles_sent=task.vehicles_sent if vehicles is None else vehicles,
        **stamps,
    )
    values = {**values, "team": task.team, "force": _force(task), "by": _by(actor, task)}
    _record(task, action, actor=actor, at=when, note=note, kind=TimelineKind.DISPATCH, text=text % values)
    return task


@transaction.atomic
def depart(task: Task, *, actor, at=None, headcount=None, vehicles=None, note: str = "") -> Task:
    """出发: the team leaves its base, with the people and vehicles sent (team tasks)."""
    task = _locked(task)
    _check(task, TaskAction.DEPART, actor)
    if task.departed_at is not None:
        raise TaskError(_("出发时间已记录。"), "already_departed")
    when = _when(task, at, "at")
    return _team_step(
        task,
        TaskAction.DEPART,
        when,
        actor=actor,
        headcount=headcount,
        vehicles=vehicles,
        note=note,
        text=_("%(team)s出发赶赴现场%(force)s%(by)s"),
        values={},
        departed_at=when,
    )


@transaction.atomic
def arrive(task: Task, *, actor, at=None, headcount=None, vehicles=None, note: str = "") -> Task:
    """到达现场: the team reports arrival (team tasks); records the departure too if it was not."""
    task = _locked(task)
    _check(task, TaskAction.ARRIVE, actor)
    if task.arrived_at is not None:
        raise TaskError(_("到达时间已记录。"), "already_arrived")
    when = _when(task, at, "at")
    if task.departed_at is not None and when < task.departed_at:
        raise TaskError(_("到达时间不能早于出发时间。"), "arrival_before_departure", "at")
    return _team_step(
        task,
        TaskAction.ARRIVE,
        when,
        actor=actor,
        headcount=headcount,
        vehicles=vehicles,
        note=note,
        text=_("%(team)s到达现场（派出后 %(m)s 分钟）%(force)s%(by)s"),
        values={"m": int((when - task.dispatched_at).total_seconds() // 60)},
        arrived_at=when,
        departed_at=task.departed_at or when,
    )


@transaction.atomic
def complete(task: Task, *, actor, result: str = "") -> Task:
    """完成: the assignee reports the result (acknowledged/in_progress → completed)."""
    task = _locked(task)
    _check(task, TaskAction.COMPLETE, actor)
    result = (result or "").strip()
    if not result:
        raise TaskError(_("请填写处置结果。"), "result_required", "result")
    now = timezone.now()
    _move(task, TaskAction.COMPLETE, completed_at=now, completed_by=_user(actor), result=result, percent=100)
    _record(
        task,
        TaskAction.COMPLETE,
        actor=actor,
        at=now,
        note=result,
        percent=100,
        text=_("任务完成：%(title)s——%(result)s%(by)s")
        % {"title": task.title, "result": result, "by": _by(actor, task)},
    )
    _tell_dispatcher(task, actor, _("任务已完成：%(title)s") % {"title": task.title})
    return task


@transaction.atomic
def cancel(task: Task, *, actor, reason: str = "") -> Task:
    """撤销: the dispatcher withdraws an open task, with a reason; the assignee is told."""
    task = _locked(task)
    _check(task, TaskAction.CANCEL, actor)
    reason = (reason or "").strip()
    if not reason:
        raise TaskError(_("请填写撤销原因。"), "reason_required", "reason")
    now = timezone.now()
    _move(task, TaskAction.CANCEL, cancelled_at=now, cancel_reason=reason[:200])
    _record(
        task,
        TaskAction.CANCEL,
        actor=actor,
        at=now,
        note=reason,
        text=_("撤销任务：%(title)s（%(reason)s）") % {"title": task.title, "reason": reason},
    )
    from yingji.dispatch.services import notify_assignee

    notify_assignee(
        task, actor=actor, subject=_("任务已撤销：%(title)s") % {"title": task.title}, body=reason
    )
    return task


STEP_FUNCTIONS = {
    TaskAction.ACKNOWLEDGE: acknowledge,
    TaskAction.PROGRESS: report_progress,
    TaskAction.DEPART: depart,
    TaskAction.ARRIVE: arrive,
    TaskAction.COMPLETE: complete,
    TaskAction.CANCEL: cancel,
}


# --- helpers --------------------------------------------------------------------------------------
def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _force(task: Task) -> str:
    parts = []
    if task.headcount_sent is not None:
        parts.append(_("%(n)s人") % {"n": task.headcount_sent})
    if task.vehicles_sent is not None:
        parts.append(_("%(n)s车") % {"n": task.vehicles_sent})
    return f"（{'、'.join(parts)}）" if parts else ""


def _tell_dispatcher(task: Task, actor, subject: str) -> None:
    """An in-app message to the dispatcher when the assignee answers (not when they record it)."""
    if task.dispatched_by_id is None or task.dispatched_by_id == getattr(actor, "pk", None):
        return
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify

    notify(
        actor=_user(actor),
        subject=subject[:200],
        users=[task.dispatched_by_id],
        link=task.get_absolute_url(),
        category=MessageCategory.TASK,
        about=task,
    )
