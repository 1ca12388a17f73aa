import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_demo_loads_tasks_in_several_states_and_removes_them(make_incident, region, team, stocked, make_user):
    from yingji.dispatch import demo
    from yingji.dispatch.models import IncidentSupply, Task
    from yingji.resources.models import Team

    Team.objects.create(
        name="通州蓝天救援队", kind="social", place=region["county1"], longitude=121.0, latitude=32.0
    )
    old = make_incident(
        occurred_at=timezone.now() - dt.timedelta(days=3), received_at=timezone.now() - dt.timedelta(days=3)
    )
    new = make_incident(place=region["village001"], latitude=32.07)
    counts = Counter()
    demo.load_demo(seed=1, counts=counts)
    states = set(Task.objects.values_list("status", flat=True))
    assert {"completed", "dispatched", "cancelled"} <= states
    done = Task.objects.get(incident=old, status="completed")
    assert done.arrived_at is not None and done.dispatched_at < old.received_at + dt.timedelta(hours=1)
    assert Task.objects.filter(incident=new).count() == 2
    assert counts["incident_supplies"] == IncidentSupply.objects.count() == 1
    demo.remove_demo(counts)
    assert Task.objects.count() == 0 and IncidentSupply.objects.count() == 0


def test_demo_without_incidents_does_nothing(region):
    from yingji.dispatch import demo
    from yingji.dispatch.models import Task

    demo.load_demo(seed=1, counts=Counter())
    assert Task.objects.count() == 0
