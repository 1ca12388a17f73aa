"""Demo data of dispatch: tasks on the incidents of the incidents demo, in several states, a team's
dispatch with departure and arrival, and one materials issue from the nearest stocked warehouse.

Loaded after ``yingji.incidents.demo`` (``yingji.demo.generator.DEMO_EXTENSIONS``); without incidents it
does nothing. Everything goes through the services (the timeline, messages and change log are real),
then the times are moved back into each incident's course.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from yingji.framework.access import SYSTEM


def _dispatcher():
    from yingji.accounts.models import User

    return User.objects.filter(username="duty_officer", is_demo=True).first() or SYSTEM


def _dept_officer_department():
    from yingji.accounts.models import RoleAssignment

    a = (
        RoleAssignment.objects.filter(
            user__username="dept_officer", user__is_demo=True, department__isnull=False
        )
        .select_related("department")
        .first()
    )
    return a.department if a else None


def _nearest_teams(incident, n=3):
    from yingji.resources.models import Team
    from yingji.resources.nearest import haversine_m

    teams = list(
        Team.objects.filter(longitude__isnull=False, latitude__isnull=False)
        .exclude(readiness="resting")
        .defer("equipment_summary", "notes")
    )
    if not incident.has_location:
        return teams[:n]
    teams.sort(
        key=lambda t: (haversine_m(incident.longitude, incident.latitude, t.longitude, t.latitude), t.pk)
    )
    return teams[:n]


def _shift(task, start) -> None:
    """Move every time of ``task`` (its steps and timeline entries) so that it was dispatched at ``start``."""
    from yingji.dispatch.models import Task, TaskUpdate
    from yingji.incidents.models import TimelineEntry

    task = Task.objects.get(pk=task.pk)
    delta = start - task.dispatched_at
    fields = {}
    for name in (
        "dispatched_at",
        "acknowledged_at",
        "departed_at",
        "arrived_at",
        "completed_at",
        "cancelled_at",
        "due_at",
    ):
        value = getattr(task, name)
        if value is not None:
            fields[name] = value + delta
    Task.objects.filter(pk=task.pk).update(**fields)
    for model, qs in (
        (TaskUpdate, TaskUpdate.objects.filter(task=task)),
        (
            TimelineEntry,
            TimelineEntry.objects.filter(incident_id=task.incident_id, link=task.get_absolute_url()),
        ),
    ):
        rows = list(qs)
        for row in rows:
            row.at = row.at + delta
        model.objects.bulk_update(rows, ["at"])


def load_demo(*, seed: int, counts) -> None:
    from yingji.dispatch import services, workflow
    from yingji.dispatch.models import Task
    from yingji.incidents.choices import Status
    from yingji.incidents.models import Incident

    incidents = list(
        Incident.objects.exclude(status=Status.CLOSED).select_related("place").order_by("occurred_at")
    )
    if not incidents:
        return
    actor = _dispatcher()
    made = 0

    def dispatch(incident, minutes, **fields):
        nonlocal made
        task = services.dispatch_task(Task(incident=incident, **fields), actor=actor)
        made += 1
        return task, incident.received_at + dt.timedelta(minutes=minutes)

    for i, incident in enumerate(incidents):
        teams = _nearest_teams(incident)
        plan = []
        if teams:
            first = teams[0]
            task, start = dispatch(
                incident,
                15,
                title=f"{first.name}赶赴现场处置",
                instructions="立即出动，到场后向现场指挥部报到。",
                assignee_kind="team",
                team=first,
                headcount_sent=min(first.headcount or 12, 20),
                vehicles_sent=3,
            )
            if i < len(incidents) - 1:  # the older incidents: the team went and finished
                workflow.acknowledge(task, actor=actor, note="电话确认")
                workflow.depart(task, actor=actor)
                workflow.arrive(task, actor=actor)
                workflow.report_progress(task, actor=actor, percent=60, note="主要险情已控制")
                if i == 0:
                    workflow.complete(task, actor=actor, result="险情排除，人员安全撤离。")
            plan.append((task, start))
        if len(teams) > 1 and i == len(incidents) - 1:
            task, start = dispatch(
                incident, 20, title=f"{teams[1].name}待命增援", assignee_kind="team", team=teams[1]
            )
            workflow.cancel(task, actor=actor, reason="现场力量充足，取消增援")
            plan.append((task, start))
        department = _dept_officer_department()
        if department is not None:
            task, start = dispatch(
                incident,
                30,
                title="排查周边房屋和在建工地安全",
                instructions="组织专业人员对事发地周边房屋、在建工地开展安全排查，每2小时报告进展。",
                assignee_kind="department",
                assignee_department=department,
                due_at=timezone.now() + dt.timedelta(hours=6),
            )
            if i == 0:
                workflow.acknowledge(task, actor=actor)
            plan.append((task, start))
        for task, start in plan:
            _shift(task, start)
    counts["dispatch_tasks"] = made
    counts["incident_supplies"] = _issue_one(incidents[0])


def _issue_one(incident) -> int:
    """Issue a little of the best-stocked item of the warehouse nearest to ``incident``; 0 when none."""
    from yingji.dispatch import services
    from yingji.materials.models import Stock, Warehouse
    from yingji.materials.services import LineIn, MaterialsError
    from yingji.resources.nearest import haversine_m

    if not incident.has_location:
        return 0
    stocked = Stock.objects.filter(quantity__gt=0).values_list("warehouse_id", flat=True).distinct()
    warehouses = list(Warehouse.objects.filter(pk__in=stocked, is_active=True, longitude__isnull=False))
    if not warehouses:
        return 0
    warehouse = min(
        warehouses,
        key=lambda w: (haversine_m(incident.longitude, incident.latitude, w.longitude, w.latitude), w.pk),
    )
    row = (
        Stock.objects.filter(warehouse=warehouse, quantity__gt=0)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gt=timezone.localdate() + dt.timedelta(days=30)))
        .values("item")
        .annotate(total=Sum("quantity"))
        .order_by("-total", "item")
        .first()
    )
    if row is None:
        return 0
    from yingji.materials.models import Item

    quantity = max(Decimal("1"), (row["total"] / 10).quantize(Decimal("1")))
    try:
        services.issue_materials(
            incident,
            actor=SYSTEM,
            warehouse=warehouse,
            lines=[LineIn(item=Item.objects.get(pk=row["item"]), quantity=quantity)],
            note="支援事件现场",
        )
    except MaterialsError:
        return 0
    return 1


def remove_demo(counts: dict) -> None:
    """Delete every dispatch row (they all hang on demo incidents); the issue documents stay with the
    materials app, which removes its own rows."""
    from yingji.dispatch.models import IncidentSupply, Task, TaskUpdate

    counts["incident_supplies"] = IncidentSupply.objects.all().delete()[0]
    TaskUpdate.objects.all().delete()
    counts["dispatch_tasks"] = Task.objects.all().delete()[0]
