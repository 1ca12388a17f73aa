"""Fixtures of the dispatch tests: an incident in village 000 (town 00 of county 0), the county's fire
department with its team, the department's officer, another department's officer, a duty officer."""

import datetime as dt
from decimal import Decimal

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
def make_incident(region):
    from yingji.incidents.models import Incident

    def make(place=None, **kwargs):
        defaults = {
            "title": "某化工厂火灾",
            "category": "accident",
            "event_type": "fire",
            "place": place or region["village000"],
            "occurred_at": timezone.now() - dt.timedelta(hours=1),
            "received_at": timezone.now() - dt.timedelta(minutes=50),
            "longitude": 120.05,
            "latitude": 32.025,
            "address": "工业园区1号",
        }
        defaults.update(kwargs)
        incident = Incident.objects.create(**defaults)
        incident.number = f"SJ-2026-{incident.pk:06d}"
        incident.save(update_fields=["number"])
        return incident

    return make


@pytest.fixture
def incident(make_incident):
    return make_incident()


@pytest.fixture
def fire_dept(make_department, region):
    return make_department(name="崇川区消防救援大队", place=region["county0"], kind="emergency")


@pytest.fixture
def other_dept(make_department, region):
    return make_department(name="崇川区住建局", place=region["county0"])


@pytest.fixture
def team(region, fire_dept):
    from yingji.resources.models import Team

    return Team.objects.create(
        name="崇川消防特勤站",
        kind="comprehensive",
        place=region["county0"],
        owner_department=fire_dept,
        longitude=120.06,
        latitude=32.03,
        headcount=30,
        duty_mobile="13912345678",
    )


@pytest.fixture
def dept_user(make_user, region, fire_dept):
    return make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=fire_dept)


@pytest.fixture
def other_dept_user(make_user, region, other_dept):
    return make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=other_dept)


@pytest.fixture
def duty(make_user, region):
    return make_user(Role.DUTY_OFFICER, place=region["city"])


@pytest.fixture
def leader(make_user, region):
    return make_user(Role.LEADER, place=region["city"])


@pytest.fixture
def dispatch(incident, team, duty):
    """``dispatch(**fields)`` → a team task on the incident dispatched by the duty officer."""
    from yingji.dispatch import services
    from yingji.dispatch.models import Task

    def make(actor=None, **fields):
        defaults = {"incident": incident, "title": "灭火救援", "assignee_kind": "team", "team": team}
        defaults.update(fields)
        return services.dispatch_task(Task(**defaults), actor=actor or duty)

    return make


@pytest.fixture
def stocked(region):
    """A county warehouse holding 10 tents, and the county bureau officer who runs it."""
    from yingji.framework.access import SYSTEM
    from yingji.materials import services
    from yingji.materials.models import Item, Warehouse

    tent = Item.objects.create(category="shelter", name="帐篷", unit="顶", place=region["city"])
    warehouse = Warehouse.objects.create(
        name="崇川区物资库", level="county", place=region["county0"], longitude=120.07, latitude=32.04
    )
    services.receive_stock(
        warehouse=warehouse,
        lines=[services.LineIn(item=tent, quantity=Decimal("10"))],
        actor=SYSTEM,
        accepted_by="张三",
    )
    return {"item": tent, "warehouse": warehouse}
