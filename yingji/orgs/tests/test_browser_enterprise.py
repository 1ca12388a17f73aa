"""The foundation's end-to-end path in a real browser: sign in, create an enterprise through the form
(with a validation error fixed on the way), find it on the map and in the exported Excel."""

import io

import pytest
from openpyxl import load_workbook

from yingji.conftest import new_uscc, sign_in
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise

pytestmark = [pytest.mark.browser]


def test_create_enterprise_then_find_it_on_the_map_and_in_excel(browser_page, region, make_user):
    make_user(Role.BUREAU_OFFICER, username="officer", place=region["county0"])
    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "officer")

    page.goto(page.base_url + "/orgs/enterprises/")
    page.click("#add-object")
    uscc = new_uscc()
    page.fill("#id_name", "浏览器测试化工有限公司")
    page.fill("#id_uscc", uscc[:-1] + ("0" if uscc[-1] != "0" else "1"))  # a wrong check character first
    page.select_option("#id_industry", "26")
    page.fill("#id_longitude", "120.05")
    page.fill("#id_latitude", "32.07")
    page.check("input[name=risk_flags][value=hazardous_chemicals]")
    page.click("#save")
    message = page.locator("#uscc-errors").inner_text()
    assert "校验" in message  # the message sits next to the field and says what is wrong
    assert not Enterprise.objects.filter(name="浏览器测试化工有限公司").exists()

    page.fill("#id_uscc", uscc)
    page.click("#save")
    page.wait_for_selector("#edit-object")
    enterprise = Enterprise.objects.get(name="浏览器测试化工有限公司")
    assert enterprise.place == region["village001"]  # derived from the location
    assert enterprise.risk_flags == ["hazardous_chemicals"]

    page.click("#show-on-map")
    page.wait_for_selector(".leaflet-popup-content a:has-text('浏览器测试化工有限公司')")
    assert errors == []

    page.goto(page.base_url + "/orgs/enterprises/?risk_flag=hazardous_chemicals")
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    path = download_info.value.path()
    sheet = load_workbook(io.BytesIO(open(path, "rb").read()), read_only=True).worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "浏览器测试化工有限公司" in values
    assert uscc in values
