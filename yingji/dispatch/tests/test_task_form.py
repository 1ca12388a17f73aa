"""The dispatch form (派发任务): bounded assignee dropdowns around the incident, the page's script hooks,
and bad query strings."""

import re

import pytest

from yingji.dispatch import forms
from yingji.dispatch.models import Task

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"', select)


@pytest.fixture
def far_team(region):
    from yingji.resources.models import Team

    return Team.objects.create(
        name="通州蓝天救援队", kind="social", place=region["county1"], longitude=121.1, latitude=32.05
    )


@pytest.fixture
def people(region, fire_dept, make_department, make_enterprise):
    """A fire-department officer, a grid worker of the incident's town, an enterprise manager of that
    town, and an officer of a department of the other county."""
    from yingji.accounts.models import Person

    far_dept = make_department(name="通州区住建局", place=region["county1"])
    return {
        "officer": Person.objects.create(name="王队长", place=region["county0"], department=fire_dept),
        "grid": Person.objects.create(name="李网格", place=region["village001"]),
        "manager": Person.objects.create(
            name="赵经理", place=region["village000"], enterprise=make_enterprise()
        ),
        "far": Person.objects.create(name="钱科长", place=region["county1"], department=far_dept),
        "far_dept": far_dept,
    }


def test_dropdowns_list_what_is_around_the_incident(
    client, duty, incident, team, far_team, people, fire_dept
):
    client.force_login(duty)
    html = client.get("/dispatch/tasks/add/", {"incident": incident.pk}).content.decode()
    assert options(html, "team") == [str(team.pk), str(far_team.pk)]  # nearest first
    assert re.search(rf'<option value="{team.pk}">崇川消防特勤站（\d+\.\d公里）</option>', html)
    assert options(html, "assignee_department") == [str(fire_dept.pk)]
    assert set(options(html, "person")) == {str(people["officer"].pk), str(people["grid"].pk)}
    assert "王队长（崇川区消防救援大队）" in html


def test_team_dropdown_is_bounded_but_keeps_the_team_asked_for(
    client, duty, incident, team, far_team, people, monkeypatch
):
    monkeypatch.setattr(forms, "TEAM_CHOICES", 1)
    client.force_login(duty)
    html = client.get("/dispatch/tasks/add/", {"incident": incident.pk}).content.decode()
    assert options(html, "team") == [str(team.pk)]
    # the one-click search may link a team beyond the list; it is offered, and the person asked for too
    html = client.get(
        "/dispatch/tasks/add/", {"incident": incident.pk, "team": far_team.pk, "person": people["far"].pk}
    ).content.decode()
    assert options(html, "team") == [str(team.pk), str(far_team.pk)]
    assert f'<option value="{far_team.pk}" selected>' in html
    assert str(people["far"].pk) in options(html, "person")
    response = client.post(
        "/dispatch/tasks/add/",
        {"incident": incident.pk, "assignee_kind": "team", "team": far_team.pk, "title": "增援"},
    )
    assert response.status_code == 302 and Task.objects.get().team == far_team


def test_without_an_incident_the_dropdowns_are_empty(client, duty, incident, team):
    client.force_login(duty)
    html = client.get("/dispatch/tasks/add/").content.decode()
    assert options(html, "team") == [] and options(html, "person") == []
    assert "请先选择事件" in html
    assert str(incident.pk) in options(html, "incident")


def test_page_hooks_for_its_script_and_no_inline_script(client, duty, incident):
    client.force_login(duty)
    html = client.get("/dispatch/tasks/add/", {"incident": incident.pk}).content.decode()
    assert "dispatch/task_form.js" in html
    assert "<script>" not in html.replace("<script src", "")
    assert re.search(r'<select name="incident"[^>]*data-reload="assignees"', html)
    assert re.search(r'<select name="assignee_kind"[^>]*data-assignee-kind', html)
    for name, kind in (("team", "team"), ("assignee_department", "department"), ("person", "person")):
        assert re.search(rf'<select name="{name}"[^>]*data-assignee="{kind}"', html)
    assert re.search(r'<input type="number" name="headcount_sent"[^>]*data-assignee="team"', html)


def test_reload_keeps_what_was_typed(client, duty, incident, fire_dept):
    client.force_login(duty)
    html = client.get(
        "/dispatch/tasks/add/",
        {
            "incident": incident.pk,
            "assignee_kind": "department",
            "assignee_department": fire_dept.pk,
            "title": "排查周边建筑",
            "instructions": "重点是学校",
        },
    ).content.decode()
    assert 'value="排查周边建筑"' in html and "重点是学校" in html
    assert '<option value="department" selected>' in html
    assert f'<option value="{fire_dept.pk}" selected>' in html


@pytest.mark.parametrize(
    "query",
    [
        {"incident": "abc", "team": "zz"},
        {"incident": "99999999999999999999999", "person": "1; drop"},
        {"assignee_department": "-1"},
    ],
)
def test_bad_query_strings_are_dropped_not_500(client, duty, query):
    client.force_login(duty)
    assert client.get("/dispatch/tasks/add/", query).status_code == 200


def test_server_still_refuses_a_mismatched_assignee(client, duty, incident, team, people):
    client.force_login(duty)
    response = client.post(
        "/dispatch/tasks/add/",
        {
            "incident": incident.pk,
            "assignee_kind": "person",
            "team": team.pk,
            "person": people["officer"].pk,
            "title": "x",
        },
    )
    assert response.status_code == 200 and "一项任务只能有一个承办对象" in response.content.decode()
    assert Task.objects.count() == 0


def test_a_town_officer_is_offered_only_what_they_may_see(client, make_user, region, make_incident, people):
    from yingji.framework.roles import Role

    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    incident = make_incident()
    client.force_login(officer)
    html = client.get("/dispatch/tasks/add/", {"incident": incident.pk}).content.decode()
    assert str(people["far"].pk) not in options(html, "person")
    assert str(people["far_dept"].pk) not in options(html, "assignee_department")
