"""Scope-matrix specs of the incidents object types (collected by yingji/framework/tests/test_scope_matrix.py)."""

import datetime
from itertools import count

from django.utils import timezone

_n = count(1)


def _incident(place):
    from yingji.framework.access import SYSTEM
    from yingji.incidents.services import create_incident

    now = timezone.now()
    return create_incident(
        actor=SYSTEM,
        title=f"事件{next(_n)}",
        event_type="fire",
        place=place,
        occurred_at=now - datetime.timedelta(hours=1),
        received_at=now,
    )


def _plan(place):
    from yingji.incidents.models import ResponsePlan

    return ResponsePlan.objects.create(
        name=f"方案{next(_n)}",
        place=place,
        category="accident",
        event_type="fire",
        level="4",
        steps="接报\n处置",
    )


def _plan_duty(place):
    from yingji.incidents.models import PlanDuty

    return PlanDuty.objects.create(
        plan=_plan(place), role="officer", task=f"任务{next(_n)}", time_limit_minutes=30
    )


def _department_duty(place):
    from yingji.incidents.models import DepartmentDuty

    return DepartmentDuty.objects.create(
        place=place, department_kind="government", category="natural", duties=f"职责{next(_n)}"
    )


SPECS: dict = {
    "incidents.incident": {
        "make": _incident,
        "create": lambda place: {
            "title": f"新事件{next(_n)}",
            "event_type": "work_safety",
            "place": place.code,
            "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "received_at": timezone.now().isoformat(),
            "deaths": 1,
        },
        "patch": {"address": "某路1号"},
    },
    "incidents.responseplan": {
        "make": _plan,
        "create": lambda place: {
            "name": f"新方案{next(_n)}",
            "place": place.code,
            "category": "natural",
            "event_type": "flood",
            "level": "3",
            "steps": "监测\n转移",
        },
        "patch": {"source": "专项预案"},
    },
    "incidents.planduty": {"make": _plan_duty, "patch": {"task": "新任务"}},
    "incidents.departmentduty": {
        "make": _department_duty,
        "create": lambda place: {
            "place": place.code,
            "department_kind": "government",
            "category": "accident",
            "duties": "组织先期处置",
        },
        "patch": {"source": "三定规定"},
    },
}
EXEMPT: dict[str, str] = {}
