"""The distribution view in a real browser: an enterprise user adds a risk point through the form,
uploads the site plan, places the point by clicking on the plan, and downloads the risk list."""

import io

import pytest
from PIL import Image

from yingji.conftest import sign_in
from yingji.framework.roles import Role
from yingji.risks.models import RiskPoint

pytestmark = [pytest.mark.browser]


def test_add_point_upload_plan_and_place_it(browser_page, make_enterprise, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = make_enterprise(name="浏览器风险企业", longitude=120.05, latitude=32.02)
    make_user(Role.ENTERPRISE_USER, username="safety", enterprise=enterprise)
    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "safety")

    page.goto(page.base_url + "/risks/riskpoints/add/")
    page.select_option("#id_enterprise", str(enterprise.pk))
    page.fill("#id_name", "液氯钢瓶库")
    page.fill("#id_post", "仓管员")
    page.check("input[name=accident_types][value=poisoning]")
    page.select_option("#id_method", "lec")
    page.select_option("#id_lec_l", "3")
    page.select_option("#id_lec_e", "6")
    page.select_option("#id_lec_c", "40")
    page.click("#save")
    page.wait_for_selector("#edit-object")
    point = RiskPoint.objects.get(name="液氯钢瓶库")
    assert (point.score, point.level) == (720, "major")

    page.goto(page.base_url + f"/risks/enterprises/{enterprise.pk}/")
    plan = tmp_path / "plan.png"
    Image.new("RGB", (400, 300), "white").save(plan)
    page.set_input_files("#site-plan-form input[name=site_plan]", str(plan))
    page.click("#site-plan-form button")
    page.wait_for_selector("#site-plan")
    page.select_option("#place-point", str(point.pk))
    box = page.locator("#site-plan").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    page.wait_for_selector(f".risk-dot[data-point='{point.pk}']")
    point.refresh_from_db()
    assert abs(point.plan_x - 25) < 1.5 and abs(point.plan_y - 50) < 1.5

    with page.expect_download() as download:
        page.click("#export-risks-xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet["B3"].value == "液氯钢瓶库"
    assert errors == []
