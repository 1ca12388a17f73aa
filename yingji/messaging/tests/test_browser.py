"""The inbox in a real browser (Debian's Chromium) on a phone: HTMX marks read under the CSP, the bell
follows, the send form works."""

import pytest

from yingji.conftest import sign_in
from yingji.framework.roles import Role
from yingji.messaging import services

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox_scene(region, make_user):
    admin = make_user(Role.PLATFORM_ADMIN, username="boss")
    worker = make_user(Role.GRID_WORKER, username="grid", place=region["village000"])
    services.notify(actor=admin, subject="请核查东港河堤防", body="今晚有强降雨", users=[worker])
    services.notify(actor=admin, subject="请上报本村灾情", users=[worker])
    return worker


def _errors(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_mark_read_on_a_phone(browser_page, inbox_scene):
    page = browser_page(viewport={"width": 375, "height": 740})
    errors = _errors(page)
    sign_in(page, "grid")
    page.goto(page.base_url + "/messages/")
    assert page.inner_text("#unread-count") == "2"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    first = page.locator(".list-group-item").first
    first.locator("button[type=submit]").click()
    page.wait_for_selector("#unread-count:text-is('1')")
    assert page.locator(".list-group-item .badge.text-bg-warning").count() == 1
    page.click("#read-all")
    page.wait_for_selector("#read-all", state="detached")
    assert services.unread_count(inbox_scene) == 0
    assert errors == []


def test_opening_a_notification_shows_it(browser_page, inbox_scene):
    page = browser_page()
    sign_in(page, "grid")
    page.goto(page.base_url + "/messages/")
    page.click("text=请核查东港河堤防")
    page.wait_for_selector("#notification-body")
    assert "今晚有强降雨" in page.inner_text("#notification-body")
    assert services.unread_count(inbox_scene) == 1
