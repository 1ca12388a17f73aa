"""Writes of dispatch (C3): dispatch a task, edit it, tell its assignee, issue materials to an incident.

The task's steps after dispatch (acknowledge, progress, depart, arrive, complete, cancel) are in
``yingji.dispatch.workflow``. Every function takes a keyword-only ``actor``, checks rights and scope
inside, runs in one transaction and writes the incident's timeline; refusals raise before anything
is written (``ValidationError`` with a stable code, ``AccessDenied``, ``workflow.TaskError``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.dispatch.choices import AssigneeKind, TaskAction
from yingji.dispatch.models import IncidentSupply, Task, TaskUpdate
from yingji.dispatch.workflow import LABEL, may_dispatch
from yingji.framework.access import AccessDenied
from yingji.framework.roles import ROLES, role_allows
from yingji.incidents.choices import Status as IncidentStatus
from yingji.incidents.choices import TimelineKind

EDITABLE_FIELDS = ("title", "instructions", "due_at", "headcount_sent", "vehicles_sent")
FIXED_FIELDS = ("incident_id", "assignee_kind", "team_id", "assignee_department_id", "person_id")


def _out_of_scope(what: str):
    return AccessDenied(
        _("%(what)s不存在或不在您的管辖范围内。") % {"what": what},
        code="out_of_scope",
    )


def visible_incident(actor, incident):
    from yingji.incidents.models import Incident

    if incident is None or not Incident.objects.visible_to(actor).filter(pk=incident.pk).exists():
        raise _out_of_scope(_("该事件"))
    return incident


def assignable_departments(actor, incident):
    """Departments a task may go to: those the actor may see, and those placed at the incident's place
    or one of its ancestors (the departments with jurisdiction there, e.g. a county bureau helping a
    town)."""
    from yingji.orgs.models import Department

    visible = Department.objects.visible_to(actor).values("pk")
    paths = incident.place.chain_paths()
    return Department.objects.filter(Q(pk__in=visible) | Q(place__path__in=paths))


def _check_assignee(actor, task: Task) -> None:
    from yingji.accounts.models import Person
    from yingji.resources.models import Team

    if task.assignee_kind == AssigneeKind.TEAM and task.team_id is not None:
        if not Team.objects.visible_to(actor).filter(pk=task.team_id).exists():
            raise _out_of_scope(_("所选队伍"))
    elif task.assignee_kind == AssigneeKind.DEPARTMENT and task.assignee_department_id is not None:
        if not assignable_departments(actor, task.incident).filter(pk=task.assignee_department_id).exists():
            raise _out_of_scope(_("所选部门"))
    elif task.assignee_kind == AssigneeKind.PERSON and task.person_id is not None:
        if not Person.objects.visible_to(actor).filter(pk=task.person_id).exists():
            raise _out_of_scope(_("所选人员"))


def _validate(task: Task) -> None:
    task.full_clean(exclude=["department", "dispatched_by", "acknowledged_by", "completed_by"])
    if task.due_at is not None and task.due_at <= task.dispatched_at:
        raise ValidationError(
            {"due_at": ValidationError(_("完成时限须晚于派发时间。"), code="due_before_dispatch")}
        )


@transaction.atomic
def dispatch_task(task: Task, *, actor) -> Task:
    """派发: save a new task (built by the form or the API) and tell its assignee.

    The actor must see the incident and be on its dispatcher side (``add`` on tasks at the incident's
    place); the assignee must be one the actor may pick; the incident must not be closed. Writes the
    task, its first ``TaskUpdate``, a ``dispatch`` entry on the incident's timeline and the
    notification (in-app to the assignee's accounts, SMS to its people and to a team's duty mobile).
    """
    if not task._state.adding:
        raise ValueError("dispatch_task takes a new task")
    incident = visible_incident(actor, task.incident if task.incident_id else None)
    if not may_dispatch(actor, task):
        raise AccessDenied(
            _("您无权在该事件所在地区派发任务：派发由值班员和应急管理局干部负责。"), code="out_of_scope"
        )
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("事件已结束，不能再派发任务。"), code="incident_closed")
    task.dispatched_at = timezone.now()
    _validate(task)
    _check_assignee(actor, task)
    task.department_id = task.responsible_department_id()
    task.dispatched_by = actor if getattr(actor, "pk", None) else None
    task.save()
    TaskUpdate.objects.create(
        task=task,
        action=TaskAction.DISPATCH,
        at=task.dispatched_at,
        note=task.instructions[:500],
        by=task.dispatched_by,
    )
    from yingji.incidents.services import add_timeline

    due = (
        _("，%(t)s前完成") % {"t": timezone.localtime(task.due_at).strftime("%m-%d %H:%M")}
        if task.due_at
        else ""
    )
    add_timeline(
        incident,
        TimelineKind.DISPATCH,
        _("派出%(kind)s %(who)s：%(title)s%(due)s")
        % {"kind": task.get_assignee_kind_display(), "who": task.assignee, "title": task.title, "due": due},
        actor=task.dispatched_by,
        at=task.dispatched_at,
        link=task.get_absolute_url(),
    )
    notify_assignee(
        task,
        actor=actor,
        subject=_("调度任务：%(title)s（%(incident)s）") % {"title": task.title, "incident": incident.title},
        body=_task_body(task),
    )
    return task


@transaction.atomic
def save_task(task: Task, *, actor) -> Task:
    """The object type's write service: a new task is dispatched (:func:`dispatch_task`); an existing
    open task may have its title, instructions, time limit and force sent changed by the dispatcher
    side — never its incident or assignee (cancel it and dispatch a new one)."""
    if task._state.adding:
        return dispatch_task(task, actor=actor)
    old = Task.objects.select_for_update(of=("self",)).select_related("incident").get(pk=task.pk)
    if not may_dispatch(actor, old):
        raise AccessDenied(_("只有派发方（值班员、应急管理局干部）可以修改任务。"), code="permission_denied")
    if not old.is_open:
        raise ValidationError(_("任务已结束，不能修改。"), code="task_closed")
    changed_fixed = [f for f in FIXED_FIELDS if getattr(task, f) != getattr(old, f)]
    if changed_fixed:
        raise ValidationError(
            _("派发后不能更换事件或承办对象：请撤销本任务后重新派发。"), code="assignee_fixed"
        )
    changed = [f for f in EDITABLE_FIELDS if getattr(task, f) != getattr(old, f)]
    for f in EDITABLE_FIELDS:
        setattr(old, f, getattr(task, f))
    _validate(old)
    old.save()
    if changed:
        from yingji.incidents.services import add_timeline

        labels = "、".join(str(Task._meta.get_field(f).verbose_name) for f in changed)
        add_timeline(
            old.incident,
            TimelineKind.TASK,
            _("修改任务“%(title)s”：%(fields)s") % {"title": old.title, "fields": labels},
            actor=actor,
            link=old.get_absolute_url(),
        )
    return old


def _task_body(task: Task) -> str:
    lines = [
        _("事件：%(i)s") % {"i": task.incident},
        _("地点：%(p)s %(a)s") % {"p": task.incident.place, "a": task.incident.address},
    ]
    if task.instructions:
        lines.append(_("要求：%(t)s") % {"t": task.instructions})
    if task.due_at:
        lines.append(_("时限：%(t)s") % {"t": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")})
    lines.append(_("请及时签收并报告进展。"))
    return "\n".join(lines)


def answering_roles() -> list[str]:
    """Roles whose department-limited holders answer for their department's tasks."""
    return [code for code in ROLES if role_allows(code, "change", LABEL) and not ROLES[code].global_scope]


def assignee_recipients(task: Task) -> dict:
    """Who is told about ``task``: ``users`` (department-limited accounts of the responsible department
    for team and department tasks), ``persons`` (the assigned person) and ``mobiles`` (a team's duty
    mobile)."""
    from yingji.accounts.models import User

    users, persons, mobiles = [], [], []
    if task.assignee_kind == AssigneeKind.PERSON and task.person_id:
        persons.append(task.person_id)
    elif task.department_id:
        users = list(
            User.objects.filter(
                is_active=True,
                role_assignments__department_id=task.department_id,
                role_assignments__role__in=answering_roles(),
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if task.assignee_kind == AssigneeKind.TEAM and task.team_id and task.team.duty_mobile:
        mobiles.append(task.team.duty_mobile)
    return {"users": users, "persons": persons, "mobiles": mobiles}


def notify_assignee(task: Task, *, actor, subject: str, body: str = ""):
    """Tell the assignee (in-app and SMS) with a link to the task page; None when the assignee has no
    account and no mobile (the dispatcher then phones them — the page says so)."""
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify

    recipients = assignee_recipients(task)
    if not any(recipients.values()):
        return None
    return notify(
        actor=actor if getattr(actor, "pk", None) else None,
        subject=str(subject)[:200],
        body=body,
        channels=("inapp", "sms"),
        link=task.get_absolute_url(),
        category=MessageCategory.TASK,
        about=task,
        **recipients,
    )


# --- materials ------------------------------------------------------------------------------------
def _movement_url(movement) -> str:
    try:
        return reverse("materials:movement_detail", args=[movement.pk])
    except NoReverseMatch:
        return ""


@transaction.atomic
def issue_materials(incident, *, actor, warehouse, lines, note: str = "") -> IncidentSupply:
    """发放物资: issue ``lines`` (``materials.services.LineIn`` or dicts with ``item`` and ``quantity``)
    from ``warehouse`` to the incident through ``materials.services.issue_stock`` (its rights: the actor
    must operate the warehouse; first-expiry-first-out), link the issue document to the incident and
    write a ``material`` entry on its timeline. A refusal (``insufficient_stock`` …) writes nothing."""
    from yingji.incidents.services import add_timeline
    from yingji.materials.services import issue_stock

    visible_incident(actor, incident)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("事件已结束，不能再发放物资。"), code="incident_closed")
    movement = issue_stock(
        warehouse=warehouse,
        lines=lines,
        actor=actor,
        incident=incident.number or str(incident.pk),
        longitude=incident.longitude if incident.has_location else None,
        latitude=incident.latitude if incident.has_location else None,
        note=note or _("发往事件：%(i)s") % {"i": incident.title},
    )
    totals: dict = {}
    for line in movement.lines.select_related("item"):
        key = (line.item.name, line.item.unit)
        totals[key] = totals.get(key, 0) + line.quantity
    summary = "、".join(f"{name}{_fmt(q)}{unit}" for (name, unit), q in totals.items())
    supply = IncidentSupply.objects.create(
        incident=incident,
        movement=movement,
        issued_by=actor if getattr(actor, "pk", None) else None,
        summary=summary[:300],
    )
    add_timeline(
        incident,
        TimelineKind.MATERIAL,
        _("发放物资：%(what)s（%(wh)s，出库单 %(no)s）")
        % {"what": summary, "wh": warehouse, "no": movement.number},
        actor=actor,
        at=movement.occurred_at,
        link=_movement_url(movement),
    )
    return supply


def _fmt(value) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
