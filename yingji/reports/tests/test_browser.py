"""The public report on a phone in a real browser: pick the place on the map, attach a photo, submit
without signing in, then follow the report with the tracking code."""

import io

import pytest

from yingji.reports.models import PublicReport

pytestmark = [pytest.mark.browser]


def test_report_from_a_phone_and_track_it(browser_page, world, tmp_path):
    from PIL import Image

    city = world["region"]["city"]
    city.centroid_lon, city.centroid_lat = 120.05, 32.02  # the map opens over village000
    city.save()
    picture = tmp_path / "scene.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buf, "JPEG")
    picture.write_bytes(buf.getvalue())

    page = browser_page(viewport={"width": 390, "height": 844})
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.goto(page.base_url + "/reports/public/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    page.check("input[name=kind][value=illegal]")
    page.fill("#id_title", "工人无证进行电焊作业")
    page.fill("#id_description", "厂区东侧钢棚内，两名工人无证电焊，旁边堆放油漆桶。")
    page.locator("#report-map").click()  # the middle of the map
    assert page.input_value("#id_longitude") and page.input_value("#id_latitude")
    assert "已选位置" in page.inner_text("#picked")
    page.set_input_files("#id_photos", str(picture))
    page.click("#submit-report")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    report = PublicReport.objects.get()
    assert code == report.display_code
    assert report.place == world["region"]["village000"]
    assert report.kind == "illegal" and report.photos.count() == 1

    page.click("text=查询举报进度")
    page.fill("#id_code", code.replace("-", "").lower())
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#progress-status")
    assert page.inner_text("#progress-status") == "待受理"
    assert problems == []
