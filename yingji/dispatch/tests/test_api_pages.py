"""API (/api/v1/dispatch/…) and pages of dispatch."""

import pytest

from yingji.dispatch.models import Task
from yingji.framework.roles import Role

pytestmark = pytest.mark.django_db


def test_api_dispatch_and_steps(api, duty, dept_user, incident, team):
    created = api(duty).post(
        "/api/v1/dispatch/tasks/",
        {"incident": incident.pk, "title": "灭火", "assignee_kind": "team", "team": team.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "dispatched" and created.json()["assignee_name"] == team.name
    client = api(dept_user)
    refused = client.post(f"/api/v1/dispatch/tasks/{pk}/progress/", {"percent": 10}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "invalid_transition"
    assert "签收" in refused.json()["error"]["message"]
    assert (
        client.post(f"/api/v1/dispatch/tasks/{pk}/acknowledge/", {"note": "收到"}, format="json").status_code
        == 200
    )
    arrived = client.post(
        f"/api/v1/dispatch/tasks/{pk}/arrive/", {"headcount": 18, "vehicles": 3}, format="json"
    )
    assert arrived.status_code == 200
    assert arrived.json()["headcount_sent"] == 18 and arrived.json()["arrived_at"]
    bad = client.post(f"/api/v1/dispatch/tasks/{pk}/complete/", {}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "result_required"
    assert "result" in bad.json()["error"]["fields"]
    cancel = client.post(f"/api/v1/dispatch/tasks/{pk}/cancel/", {"reason": "x"}, format="json")
    assert cancel.status_code == 403 and cancel.json()["error"]["code"] == "permission_denied"
    done = client.post(f"/api/v1/dispatch/tasks/{pk}/complete/", {"result": "完成"}, format="json")
    assert done.json()["status"] == "completed"
    assert [u["action"] for u in done.json()["updates"]] == ["dispatch", "acknowledge", "arrive", "complete"]


def test_api_refusals_are_clear_400s(api, duty, incident, team, fire_dept):
    client = api(duty)
    both = client.post(
        "/api/v1/dispatch/tasks/",
        {
            "incident": incident.pk,
            "title": "x",
            "assignee_kind": "team",
            "team": team.pk,
            "assignee_department": fire_dept.pk,
        },
        format="json",
    )
    assert both.status_code == 400 and both.json()["error"]["code"] == "validation_error"
    assert Task.objects.count() == 0
    task_pk = client.post(
        "/api/v1/dispatch/tasks/",
        {"incident": incident.pk, "title": "x", "assignee_kind": "team", "team": team.pk},
        format="json",
    ).json()["id"]
    moved = client.patch(
        f"/api/v1/dispatch/tasks/{task_pk}/",
        {"assignee_kind": "department", "team": None, "assignee_department": fire_dept.pk},
        format="json",
    )
    assert moved.status_code == 400
    assert Task.objects.get(pk=task_pk).team == team


def test_api_other_department_gets_404(api, dispatch, other_dept_user):
    task = dispatch()
    response = api(other_dept_user).post(f"/api/v1/dispatch/tasks/{task.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 404


def test_api_filters_mine_and_overdue(api, dispatch, dept_user, duty, fire_dept):
    import datetime as dt

    from django.utils import timezone

    late = dispatch(due_at=timezone.now() + dt.timedelta(minutes=1))
    Task.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    other = dispatch()
    mine = api(dept_user).get("/api/v1/dispatch/tasks/", {"mine": "true"}).json()["results"]
    assert {r["id"] for r in mine} == {late.pk, other.pk}
    overdue = api(duty).get("/api/v1/dispatch/tasks/", {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in overdue] == [late.pk] and overdue[0]["is_overdue"] is True


def test_api_situation(api, duty, incident, make_incident, region, make_user):
    ok = api(duty).get(f"/api/v1/dispatch/incidents/{incident.pk}/situation/", {"radii": "1,3"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["type"] == "FeatureCollection" and body["summary"]["radii_km"] == [1, 3]
    bad = api(duty).get(f"/api/v1/dispatch/incidents/{incident.pk}/situation/", {"radii": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_radii"
    far = make_incident(place=region["village100"])
    town = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    assert api(town).get(f"/api/v1/dispatch/incidents/{far.pk}/situation/").status_code == 404
    assert api().get(f"/api/v1/dispatch/incidents/{incident.pk}/situation/").status_code in (401, 403)


# --- pages ----------------------------------------------------------------------------------------
def test_dispatch_page_prefilled_from_the_incident_page(client, duty, incident, team):
    client.force_login(duty)
    page = client.get("/dispatch/tasks/add/", {"incident": incident.pk, "team": team.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{team.pk}" selected>' in html
    assert "赶赴现场救援" in html
    response = client.post(
        "/dispatch/tasks/add/",
        {
            "incident": incident.pk,
            "assignee_kind": "team",
            "team": team.pk,
            "title": "赶赴现场",
            "headcount_sent": 20,
            "next": f"/dispatch/tasks/?incident={incident.pk}",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/dispatch/tasks/?incident={incident.pk}"
    assert Task.objects.get().headcount_sent == 20


def test_dispatch_page_shows_errors_next_to_fields(client, duty, incident):
    client.force_login(duty)
    response = client.post(
        "/dispatch/tasks/add/", {"incident": incident.pk, "assignee_kind": "team", "title": "x"}
    )
    assert response.status_code == 200
    assert "请选择承办对象" in response.content.decode()
    assert Task.objects.count() == 0


def test_department_user_cannot_open_the_dispatch_page(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/dispatch/tasks/add/").status_code == 403


def test_detail_buttons_and_steps_for_the_assignee(client, dispatch, dept_user, other_dept_user):
    task = dispatch()
    client.force_login(dept_user)
    html = client.get(task.get_absolute_url()).content.decode()
    assert 'id="btn-acknowledge"' in html and 'id="btn-cancel"' not in html
    assert 'hx-trigger="every 5s"' in html
    response = client.post(f"/dispatch/tasks/{task.pk}/acknowledge/", {"note": "收到"})
    assert response.status_code == 302
    html = client.get(task.get_absolute_url()).content.decode()
    assert 'id="btn-depart"' in html and 'id="btn-arrive"' in html and 'id="btn-complete"' in html
    # a wrong step is refused with a message, not an error page
    response = client.post(f"/dispatch/tasks/{task.pk}/acknowledge/", follow=True)
    assert "不能执行" in response.content.decode()
    client.post(f"/dispatch/tasks/{task.pk}/arrive/", {"at": "garbage"})
    task.refresh_from_db()
    assert task.arrived_at is None
    client.post(f"/dispatch/tasks/{task.pk}/arrive/", {"at": ""})
    task.refresh_from_db()
    assert task.arrived_at is not None
    panel = client.get(f"/dispatch/tasks/{task.pk}/panel/")
    assert panel.status_code == 200 and "到达现场" in panel.content.decode()
    client.force_login(other_dept_user)
    assert client.get(task.get_absolute_url()).status_code == 404
    assert client.post(f"/dispatch/tasks/{task.pk}/complete/", {"result": "x"}).status_code == 404


def test_task_list_polls_and_filters(client, dispatch, dept_user):
    task = dispatch()
    client.force_login(dept_user)
    page = client.get("/dispatch/tasks/", {"mine": "true", "open": "true"})
    html = page.content.decode()
    assert page.status_code == 200 and task.get_absolute_url() in html
    assert 'id="task-list-poller"' in html and "every 5s" in html
    fragment = client.get(
        "/dispatch/tasks/", {"mine": "true"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table"
    )
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert task.get_absolute_url() in fragment.content.decode()


def test_incident_include_fragment_and_helper(client, dispatch, duty, incident):
    from yingji.dispatch.panels import tasks_for

    task = dispatch()
    context = tasks_for(incident, duty)
    assert context["can_dispatch"] and context["open_count"] == 1
    assert not context["can_issue"]  # a duty officer reads the reserves, the bureau issues
    assert context["tasks"][0]["task"] == task
    client.force_login(duty)
    fragment = client.get(f"/dispatch/incidents/{incident.pk}/tasks/")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and task.get_absolute_url() in html
    assert 'id="dispatch-incident-tasks"' in html and 'hx-trigger="every 5s"' in html


def test_situation_page(client, duty, incident):
    client.force_login(duty)
    page = client.get(f"/dispatch/incidents/{incident.pk}/map/", {"radii": "2,4"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="situation-config"' in html and "dispatch/situation.js" in html
    assert "<script>" not in html.replace("<script src", "")  # no inline script (CSP)


def test_issue_page_success_and_refusal(client, incident, stocked, make_user, region):
    from yingji.dispatch.models import IncidentSupply

    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    client.force_login(officer)
    page = client.get(f"/dispatch/incidents/{incident.pk}/materials/")
    assert page.status_code == 200 and stocked["warehouse"].name in page.content.decode()
    form = {"warehouse": stocked["warehouse"].pk, "item": stocked["item"].pk, "quantity": "20"}
    refused = client.post(f"/dispatch/incidents/{incident.pk}/materials/", form)
    assert refused.status_code == 200 and "库存不足" in refused.content.decode()
    assert IncidentSupply.objects.count() == 0
    form["quantity"] = "3"
    done = client.post(f"/dispatch/incidents/{incident.pk}/materials/", form, follow=True)
    assert "已发放" in done.content.decode()
    assert IncidentSupply.objects.get().summary == "帐篷3顶"


def test_duty_officer_without_materials_rights_is_told(client, duty, incident):
    client.force_login(duty)
    assert client.get(f"/dispatch/incidents/{incident.pk}/materials/").status_code == 403


def test_api_refuses_an_absurd_force_count(api, dispatch, dept_user):
    task = dispatch()
    client = api(dept_user)
    client.post(f"/api/v1/dispatch/tasks/{task.pk}/acknowledge/", {}, format="json")
    response = client.post(f"/api/v1/dispatch/tasks/{task.pk}/depart/", {"headcount": 10**12}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_count"
    task.refresh_from_db()
    assert task.departed_at is None and task.headcount_sent is None


def test_incident_task_panel_queries_do_not_grow_with_tasks(client, dispatch, duty, incident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(duty)
    url = f"/dispatch/incidents/{incident.pk}/tasks/"
    dispatch()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        dispatch()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_only_the_dispatcher_side_opens_the_edit_page(client, dispatch, dept_user, duty):
    task = dispatch()
    client.force_login(dept_user)  # may answer the task, not edit it
    assert client.get(f"/dispatch/tasks/{task.pk}/edit/").status_code == 403
    assert client.post(f"/dispatch/tasks/{task.pk}/edit/", {"title": "改"}).status_code == 403
    client.force_login(duty)
    assert client.get(f"/dispatch/tasks/{task.pk}/edit/").status_code == 200
    response = client.post(f"/dispatch/tasks/{task.pk}/edit/", {"title": "改"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "改"


def test_task_panel_poll_reads_the_incident_place_with_the_task(client, dispatch, duty):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = dispatch()
    client.force_login(duty)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/dispatch/tasks/{task.pk}/panel/").status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "places_place"')]
