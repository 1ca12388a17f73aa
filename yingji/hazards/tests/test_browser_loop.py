"""The closed loop on a phone, in a real browser: a grid worker reports a hazard with a photo, the town
officer confirms and assigns it, the enterprise records the rectification (and accepts it, level 1),
the officer verifies (level 2) and closes it; the statistics page shows the changed counts."""

import re

import pytest

from yingji.conftest import sign_in
from yingji.hazards import config
from yingji.hazards.models import Hazard

from .conftest import future, png_bytes

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def figure(page, name) -> int:
    page.goto(page.base_url + "/hazards/stats/")
    text = page.locator(f'[data-figure="{name}"]').first.inner_text()
    return int(re.sub(r"\D", "", text) or 0)


def step(page, name, fill=None):
    form = page.locator(f"#step-{name}")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator(f"#submit-{name}").click()
    page.wait_for_load_state()


def test_report_to_closing_on_a_phone(browser_page, town, monkeypatch):
    from yingji.hazards import stats

    monkeypatch.setattr(stats, "CACHE_SECONDS", 0)
    monkeypatch.setitem(config.REVIEW_LEVELS, "general", 2)  # the enterprise, then the regulator
    officer = browser_page(viewport=PHONE)
    errors = []
    officer.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(officer, town["officer"].username)
    total_before, closed_before = figure(officer, "total"), figure(officer, "closed")

    # the grid worker reports with a photo
    grid = browser_page(viewport=PHONE)
    sign_in(grid, town["grid"].username)
    grid.goto(grid.base_url + "/hazards/hazards/")
    grid.click("#report-hazard")
    grid.fill("#id_title", "配电箱门缺失，带电部位外露")
    grid.select_option("#id_enterprise", str(town["enterprise"].pk))
    grid.fill("#id_description", "仓库东侧配电箱")
    grid.set_input_files(
        "#id_photo", files=[{"name": "site.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    grid.click("#submit-report")
    grid.wait_for_selector("#hazard-timeline")
    hazard = Hazard.objects.get(title="配电箱门缺失，带电部位外露")
    assert hazard.photos.count() == 1 and hazard.finder == town["grid"]
    assert grid.locator("#hazard-photos img").count() == 1

    # the town officer confirms and assigns it
    officer.goto(officer.base_url + hazard.get_absolute_url())
    step(officer, "confirm", {"select[name=grade]": "general"})
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
    step(
        officer,
        "assign",
        {
            "select[name=responsible]": str(town["person"].pk),
            "textarea[name=measures]": "加装配电箱门并上锁",
            "input[name=funds]": "0.3",
            "input[name=due_at]": future(7),
            "textarea[name=contingency_plan]": "整改前设置警示围挡",
        },
    )
    assert Hazard.objects.get(pk=hazard.pk).status == "assigned"

    # the enterprise records the rectification and accepts it
    company = browser_page(viewport=PHONE)
    sign_in(company, town["company"].username)
    company.goto(company.base_url + hazard.get_absolute_url())
    assert company.locator("#step-confirm").count() == 0
    step(company, "rectify", {"textarea[name=note]": "已加装配电箱门并上锁"})
    assert Hazard.objects.get(pk=hazard.pk).status == "rectified"
    step(company, "verify")
    assert Hazard.objects.get(pk=hazard.pk).reviews_passed == 1

    # the officer verifies and closes it
    officer.goto(officer.base_url + hazard.get_absolute_url())
    step(officer, "verify", {"textarea[name=note]": "现场复核合格"})
    assert Hazard.objects.get(pk=hazard.pk).status == "verified"
    step(officer, "close")
    assert Hazard.objects.get(pk=hazard.pk).status == "closed"
    timeline = officer.locator("#hazard-timeline").inner_text()
    assert "销号" in timeline and "确认定级" in timeline

    # the statistics show one more hazard, and one more closed
    assert figure(officer, "total") == total_before + 1
    assert figure(officer, "closed") == closed_before + 1
    assert errors == []
