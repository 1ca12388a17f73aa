"""End to end in a real browser: an officer draws the area on the map and composes a red typhoon
warning, a second officer approves and publishes it, and the call-and-respond board shows the
acknowledgements arriving."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from yingji.conftest import sign_in
from yingji.framework.roles import Role
from yingji.warnings.models import Warning

pytestmark = [pytest.mark.browser]


def test_draw_compose_approve_publish_and_watch_acknowledgements(browser_page, region, make_user):
    town, village = region["town00"], region["village000"]
    make_user(Role.BUREAU_OFFICER, username="author", place=town)
    make_user(Role.BUREAU_OFFICER, username="approver", place=town)
    make_user(Role.GRID_WORKER, username="grid", place=village)  # village-level responsible person
    errors = []

    # 1. the author draws the area and composes the warning
    page = browser_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "author")
    page.goto(page.base_url + "/warnings/warnings/")
    page.click("#add-object")
    page.select_option("#id_warning_type", "typhoon")
    assert page.locator("#id_level option[value=red]").is_enabled()
    page.select_option("#id_level", "red")
    assert "停课" in page.input_value("#id_instruction")  # guidance of the red typhoon signal, filled in
    page.fill("#id_headline", "崇川区0镇发布台风红色预警信号")
    page.select_option("#id_place", str(town.pk))
    now = timezone.localtime()
    page.fill("#id_effective_at", now.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_expires_at", (now + dt.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_description", "今年第9号台风将于今夜在沿海登陆，沿江地区风力可达12级以上。")

    page.click("#draw-polygon")
    box = page.locator("#warning-map").bounding_box()
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    page.click("#draw-finish")
    polygon = json.loads(page.input_value("#id_area_polygon"))
    assert polygon["type"] == "Polygon" and len(polygon["coordinates"][0]) == 5
    page.select_option("#id_area_places", [str(town.pk)])
    for group in ("district", "town", "village"):
        page.check(f"input[name=target_groups][value={group}]")
    page.check("input[name=channels][value=inapp]")
    page.click("#save")
    page.wait_for_selector("#step-submit")
    warning = Warning.objects.get(headline="崇川区0镇发布台风红色预警信号")
    assert warning.area_polygon["coordinates"][0][0] == warning.area_polygon["coordinates"][0][-1]
    page.click("#step-submit")
    page.wait_for_selector("#warning-status:has-text('待审核')")
    assert page.locator("#step-approve").count() == 0  # four-eyes: not for the author

    # 2. a second officer approves and publishes
    second = browser_page()
    second.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(second, "approver")
    second.goto(second.base_url + warning.get_absolute_url())
    second.click("#step-approve")
    second.wait_for_selector("#step-publish")
    second.click("#step-publish")
    second.wait_for_selector("#warning-status:has-text('已发布')")
    warning.refresh_from_db()
    assert warning.status == "published" and warning.sent_at is not None
    assert second.locator("#warning-timeline").inner_text().count("approver") >= 2

    # 3. the call-and-respond board: nobody has answered yet, then answers arrive
    from yingji.warnings.models import Acknowledgement

    acks = list(Acknowledgement.objects.filter(warning=warning).order_by("id"))
    assert acks, "publishing opened the call-and-respond of the responsible persons"
    second.goto(second.base_url + f"/warnings/response/{warning.pk}/")
    summary = second.locator("#answer-summary")
    assert f"0 / {len(acks)}" in summary.inner_text().replace("\u00a0", " ")
    answered = second.request.post(
        second.base_url + "/api/v1/warning-acks/by-token/",
        data=json.dumps({"token": acks[0].token}),
        headers={"Content-Type": "application/json"},
    )
    assert answered.ok, answered.text()
    second.reload()
    second.wait_for_selector(f"#ack-{acks[0].pk}[data-answered='1']")
    assert f"1 / {len(acks)}" in second.locator("#answer-summary").inner_text().replace("\u00a0", " ")
    assert errors == []
