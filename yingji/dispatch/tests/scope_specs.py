"""Scope-matrix specs of dispatch (collected by yingji/framework/tests/test_scope_matrix.py).

A task's scope is its incident's place (and, for department-limited roles, its responsible
department); ``make`` puts the incident in the given village and gives the task to a department there."""

import datetime as dt
from itertools import count

_n = count(1)


def _incident(place):
    from django.utils import timezone

    from yingji.incidents.models import Incident

    incident = Incident.objects.create(
        title=f"事件{next(_n)}",
        category="accident",
        event_type="fire",
        place=place,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    incident.number = f"SJ-2026-{incident.pk:06d}"
    incident.save(update_fields=["number"])
    return incident


def _department(place):
    from yingji.orgs.models import Department

    return Department.objects.create(name=f"部门{next(_n)}", place=place)


def _task(place):
    from yingji.dispatch.models import Task

    department = _department(place)
    return Task.objects.create(
        incident=_incident(place),
        title=f"任务{next(_n)}",
        assignee_kind="department",
        assignee_department=department,
        department=department,
    )


def _create(place):
    return {
        "incident": _incident(place).pk,
        "title": f"新任务{next(_n)}",
        "assignee_kind": "department",
        "assignee_department": _department(place).pk,
        "instructions": "组织人员赶赴现场",
    }


SPECS: dict = {
    "dispatch.task": {"make": _task, "create": _create, "patch": {"instructions": "补充：注意次生灾害"}},
}
EXEMPT: dict[str, str] = {}
