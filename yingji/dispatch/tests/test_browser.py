"""The situation map and the live task panel in a real browser (Debian's Chromium)."""

import pytest

from yingji.conftest import sign_in
from yingji.framework.roles import Role

pytestmark = [pytest.mark.browser]


def test_situation_map_draws_rings_villages_and_the_dispatched_team(
    dispatch, incident, team, region, make_user, browser_page, live_server
):
    make_user(Role.DUTY_OFFICER, username="sit-duty", place=region["city"])
    dispatch()
    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "sit-duty")
    page.goto(live_server.url + f"/dispatch/incidents/{incident.pk}/map/?radii=1,6")
    page.wait_for_selector("#ring-table tbody tr")
    rows = page.locator("#ring-table tbody tr").all_inner_texts()
    assert rows[0].split()[:3] == ["1公里", "1", "1,000人"]
    assert rows[1].split()[:3] == ["6公里", "2", "2,000人"]
    assert team.name in page.locator("#situation-list").inner_text()
    assert page.locator("path.leaflet-interactive").count() >= 4  # rings, villages, team line
    assert errors == []


def test_incident_panel_updates_by_itself(dispatch, incident, region, make_user, browser_page, live_server):
    from yingji.dispatch import workflow

    make_user(Role.DUTY_OFFICER, username="live-duty", place=region["city"])
    task = dispatch()
    page = browser_page()
    sign_in(page, "live-duty")
    page.goto(live_server.url + f"/dispatch/tasks/{task.pk}/")
    assert page.locator("#task-status").inner_text() == "已派发"
    workflow.acknowledge(task, actor=task.dispatched_by)
    from playwright.sync_api import expect

    expect(page.locator("#task-status")).to_have_text("已签收", timeout=12_000)  # polled, no reload


def test_dispatch_form_shows_the_dropdown_of_the_chosen_kind(
    incident, team, fire_dept, region, make_user, browser_page, live_server
):
    from yingji.dispatch.models import Task

    make_user(Role.DUTY_OFFICER, username="form-duty", place=region["city"])
    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "form-duty")
    page.goto(live_server.url + "/dispatch/tasks/add/")
    assert page.locator("#id_team").is_hidden() and page.locator("#id_person").is_hidden()
    page.select_option("#id_incident", str(incident.pk))  # reloads with the incident's assignees
    page.wait_for_url(lambda url: f"incident={incident.pk}" in url)
    page.fill("#id_title", "排查周边")
    page.select_option("#id_assignee_kind", "team")
    assert page.locator("#id_team").is_visible() and page.locator("#id_headcount_sent").is_visible()
    assert page.locator("#id_assignee_department").is_hidden()
    page.select_option("#id_team", str(team.pk))
    page.select_option("#id_assignee_kind", "department")  # the team picked before is not sent
    assert page.locator("#id_team").is_hidden() and page.locator("#id_headcount_sent").is_hidden()
    page.select_option("#id_assignee_department", str(fire_dept.pk))
    page.click("#save")
    page.wait_for_url(lambda url: "/add/" not in url)
    task = Task.objects.get()
    assert task.assignee_kind == "department" and task.team is None
    assert task.assignee_department == fire_dept and task.title == "排查周边"
    assert errors == []
