"""Read helpers for other apps' pages: the incident page includes ``dispatch/_incident_tasks.html``
with the context built by :func:`tasks_for`."""

from django.urls import reverse

from yingji.dispatch.models import IncidentSupply, Task
from yingji.dispatch.workflow import allowed_actions, may_dispatch
from yingji.framework.access import can


def tasks_for(incident, user) -> dict:
    """Context of the incident page's task panel (``{% include "dispatch/_incident_tasks.html" with
    dispatch=... %}``): the incident's tasks the user may see with the steps the user may take, the
    materials issued to it, whether the user may dispatch, and the urls of the dispatch pages.
    The panel refreshes itself every few seconds from ``dispatch:incident_tasks``."""
    visible = can(user, "view", Task)
    tasks = []
    if visible:
        rows = (
            Task.objects.visible_to(user)
            .filter(incident=incident)
            .select_related("team", "assignee_department", "person")
            .order_by("-dispatched_at", "-pk")
        )
        tasks = []
        for t in rows:
            t.incident = incident  # with its place: the rights of each task read it (no query per task)
            tasks.append({"task": t, "actions": allowed_actions(user, t)})
    supplies = list(
        IncidentSupply.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("movement__warehouse", "issued_by")
    )
    can_dispatch = can(user, "add", Task) and may_dispatch(user, Task(incident=incident))
    from yingji.materials.models import Movement

    can_issue = can(user, "add", Movement)  # the materials app decides per warehouse
    return {
        "incident": incident,
        "tasks": tasks,
        "supplies": supplies,
        "can_view": visible,
        "can_dispatch": can_dispatch,
        "can_issue": can_issue,
        "open_count": sum(1 for t in tasks if t["task"].is_open),
        "overdue_count": sum(1 for t in tasks if t["task"].is_overdue),
        "add_url": reverse("dispatch:task_add") + f"?incident={incident.pk}",
        "situation_url": reverse("dispatch:situation", args=[incident.pk]),
        "issue_url": reverse("dispatch:issue_materials", args=[incident.pk]),
        "poll_url": reverse("dispatch:incident_tasks", args=[incident.pk]),
        "list_url": reverse("dispatch:task_list") + f"?incident={incident.pk}",
    }
