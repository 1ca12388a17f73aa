"""The issue's end-to-end story in a real browser: a duty officer records an incoming accident report,
the incident appears with its computed grade, the officer sets a response level and sees its
"一图一表" checklist, the one-click search shows the nearest team, the officer dispatches it, the
team's user acknowledges the task, and both the incident timeline and the daily brief show all of it."""

import pytest
from django.utils import timezone

from yingji.conftest import sign_in
from yingji.framework.roles import Role

pytestmark = [pytest.mark.browser]


@pytest.fixture
def fire_team(region, make_department):
    from yingji.resources.models import Team

    brigade = make_department(name="崇川区消防救援大队", place=region["county0"], kind="emergency")
    near = Team.objects.create(
        name="崇川消防特勤站",
        kind="comprehensive",
        place=region["county0"],
        owner_department=brigade,
        longitude=120.052,
        latitude=32.022,
        headcount=30,
    )
    Team.objects.create(  # farther away: must rank second
        name="通州应急救援队",
        kind="professional",
        place=region["county1"],
        longitude=121.05,
        latitude=32.05,
        headcount=20,
    )
    return near


def test_record_grade_respond_search_dispatch_acknowledge_and_brief(
    browser_page, region, make_user, make_plan, fire_team
):
    from yingji.dispatch.models import Task
    from yingji.incidents.models import Incident

    make_user(Role.DUTY_OFFICER, username="county-duty", place=region["county0"])
    make_user(
        Role.DEPARTMENT_OFFICER,
        username="team-user",
        place=region["county0"],
        department=fire_team.owner_department,
    )
    make_plan(
        level="3",
        duties=[
            ("leader", None, "带班领导赶赴指挥中心，组织会商", 30),
            ("officer", None, "核实伤亡情况并向市应急管理局报告", 60),
        ],
    )
    errors = []

    # 1. the duty officer records the incoming report: 3 deaths make it a 较大 accident (493号令 第三条)
    page = browser_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "county-duty")
    page.goto(page.base_url + "/reporting/incoming/add/")
    page.select_option("#id_event_type", "work_safety")
    page.select_option("#id_place", str(region["village000"].pk))
    occurred = timezone.localtime() - timezone.timedelta(minutes=20)
    page.fill("#id_occurred_at", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_address", "工业园区纬二路8号")
    page.fill("#id_description", "某机械厂车间发生坍塌，多人被埋。")
    page.fill("#id_deaths", "3")
    page.fill("#id_serious_injuries", "2")
    page.click("#incoming-form summary")
    page.fill("#id_longitude", "120.05")
    page.fill("#id_latitude", "32.02")
    page.click("#save")
    page.wait_for_selector("#incident-timeline")
    incident = Incident.objects.get()
    assert page.url.endswith(incident.get_absolute_url())
    assert incident.grade == "larger"
    assert page.inner_text("#incident-grade") == "较大"

    # 2. response level Ⅲ: the plan's duty table becomes the checklist
    page.select_option("#id_level", "3")
    page.click("#level-form button[type=submit]")
    page.wait_for_selector("#incident-checklist:has-text('带班领导赶赴指挥中心')")
    assert "核实伤亡情况" in page.locator("#incident-checklist").inner_text()
    incident.refresh_from_db()
    assert incident.response_level == "3"

    # 3. one-click search: the nearest team comes first
    page.click("#act-search")
    page.wait_for_selector("#search-team")
    first_team = page.locator("#search-team tr").first
    assert "崇川消防特勤站" in first_team.inner_text()

    # 4. dispatch it from the search result
    first_team.locator("a:has-text('调派')").click()
    page.wait_for_selector("#task-form")
    page.fill("#id_title", "搜救被埋人员")
    page.click("#save")
    page.wait_for_load_state()
    task = Task.objects.get()
    assert task.team_id == fire_team.pk and task.status == "dispatched"

    # 5. the officer watches the incident page while the team's user acknowledges the task
    page.goto(page.base_url + incident.get_absolute_url())
    page.wait_for_selector("#incident-timeline:has-text('搜救被埋人员')")
    assert "签收" not in page.inner_text("#incident-timeline")
    team_page = browser_page()
    team_page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(team_page, "team-user")
    team_page.goto(team_page.base_url + task.get_absolute_url())
    team_page.click("#btn-acknowledge")
    team_page.wait_for_selector("#task-actions:not(:has(#btn-acknowledge))")
    task.refresh_from_db()
    assert task.status == "acknowledged" and task.acknowledged_at is not None

    # 6. the acknowledgement appears on the officer's page by itself (live timeline, no reload)
    page.wait_for_selector("#incident-timeline:has-text('签收')", timeout=15000)
    text = page.inner_text("#incident-timeline")
    for expected in ("登记事件", "Ⅲ级响应", "搜救被埋人员", "崇川消防特勤站"):
        assert expected in text, expected

    # 7. today's daily brief shows the incident and its dispatch
    page.goto(page.base_url + "/reporting/documents/?kind=daily&date=" + timezone.localdate().isoformat())
    brief = page.locator("#document-preview").inner_text()
    assert incident.title in brief and "较大" in brief
    assert "搜救被埋人员" in brief and "签收" in brief
    assert errors == []
