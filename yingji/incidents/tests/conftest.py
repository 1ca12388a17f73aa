import datetime

import pytest
from django.utils import timezone

from yingji.framework.roles import Role


@pytest.fixture(autouse=True)
def fresh_nearest_index():
    from yingji.resources import nearest

    nearest.indexes.clear()
    yield
    nearest.indexes.clear()


@pytest.fixture
def officer(make_user, region):
    """A city duty officer (acts on every incident of the city)."""
    return make_user(Role.DUTY_OFFICER, place=region["city"])


@pytest.fixture
def make_incident(region, officer):
    from yingji.incidents.services import create_incident

    def make(place=None, actor=None, **fields):
        now = timezone.now()
        defaults = {
            "title": "测试事故",
            "event_type": "work_safety",
            "place": place or region["village000"],
            "occurred_at": now - datetime.timedelta(minutes=30),
            "received_at": now - datetime.timedelta(minutes=20),
            "longitude": 120.05,
            "latitude": 32.02,
        }
        defaults.update(fields)
        return create_incident(actor=actor or officer, **defaults)

    return make


@pytest.fixture
def make_plan(region):
    from yingji.incidents.models import PlanDuty, ResponsePlan

    def make(level="4", place=None, event_type="work_safety", category="accident", duties=None, **kw):
        plan = ResponsePlan.objects.create(
            name=f"方案{level}{event_type}",
            place=place or region["city"],
            category=category,
            event_type=event_type,
            level=level,
            steps="接报｜核实信息\n响应｜启动响应\n处置",
            **kw,
        )
        for order, row in enumerate(duties or [("officer", None, "核实信息", 30)], start=1):
            role, dept, task, minutes = row
            PlanDuty.objects.create(
                plan=plan, order=order, role=role, department=dept, task=task, time_limit_minutes=minutes
            )
        return plan

    return make
