"""Every page the menu offers opens for every role: no entry leads to an error or a refusal."""

import pytest

from yingji.framework.navigation import menu_for
from yingji.framework.roles import Role

SCOPES = {
    Role.PLATFORM_ADMIN: {},
    Role.BUREAU_OFFICER: {"place": "town00"},
    Role.DEPARTMENT_OFFICER: {"place": "county0", "department": True},
    Role.ENFORCEMENT_OFFICER: {"place": "county0"},
    Role.DUTY_OFFICER: {"place": "city"},
    Role.ENTERPRISE_USER: {"enterprise": True},
    Role.GRID_WORKER: {"place": "village000"},
    Role.DISASTER_INFO_OFFICER: {"place": "town00"},
    Role.EXPERT: {"place": "city"},
    Role.LEADER: {"place": "city"},
}


@pytest.mark.parametrize("role", list(SCOPES))
def test_every_menu_page_opens(role, region, make_user, make_enterprise, make_department, client):
    spec = SCOPES[role]
    scope = {}
    if "place" in spec:
        scope["place"] = region[spec["place"]]
    if spec.get("department"):
        scope["department"] = make_department(place=region["county0"], kind="emergency")
    if spec.get("enterprise"):
        scope["enterprise"] = make_enterprise()
    user = make_user(role, **scope)
    client.force_login(user)
    urls = [item["url"] for section in menu_for(user) for item in section["items"]]
    urls = [u for u in urls if u]
    assert urls, "every role has something in its menu"
    failures = [(url, status) for url in urls if (status := client.get(url).status_code) != 200]
    assert failures == []


def test_yes_no_filters_offer_all_yes_and_no(region, make_user, client):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    html = client.get("/hazards/hazards/", {"overdue": "true"}).content.decode()
    start = html.index('name="overdue"')
    select = html[start : html.index("</select>", start)]
    assert '<option value="">全部</option>' in select
    assert '<option value="true" selected>是</option>' in select
    assert "未知" not in select
