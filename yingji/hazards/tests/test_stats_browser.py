"""The hazard statistics page in a real browser (Debian's Chromium): charts and the map run under the
CSP without errors, the map loads the hazard points of the user's scope."""

import datetime as dt

import pytest

from yingji.conftest import sign_in
from yingji.framework.roles import Role
from yingji.hazards import stats
from yingji.hazards.models import Hazard

pytestmark = [pytest.mark.browser]


@pytest.fixture
def scene(region, make_user, monkeypatch):
    monkeypatch.setattr(stats, "CACHE_SECONDS", 0)
    found = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    points = [
        ("village000", "reported", "major", 120.03, 32.02),
        ("village001", "closed", "general", 120.07, 32.08),
        ("village100", "rectifying", "general", 121.05, 32.02),
    ]
    for i, (village, status, grade, lon, lat) in enumerate(points):
        Hazard.objects.create(
            number=f"B{i:08d}", title=f"隐患{i}", source="grid", place=region[village], status=status,
            grade=grade, found_at=found, longitude=lon, latitude=lat,
            closed_at=found + dt.timedelta(days=2) if status == "closed" else None,
        )  # fmt: skip
    make_user(Role.PLATFORM_ADMIN, username="boss")
    make_user(Role.BUREAU_OFFICER, username="towner", place=region["town00"])


def test_stats_page_charts_and_map(browser_page, scene):
    page = browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, "towner")
    page.goto(page.base_url + "/hazards/stats/")
    for chart in ("grade", "status", "source", "place"):
        page.wait_for_selector(f'[data-chart="{chart}"] canvas')
    page.wait_for_function("document.getElementById('stats-map-status').textContent.includes('2')")
    assert "2" in page.inner_text("#stats-map-status")  # the town's two hazards, not the other county's
    assert errors == []
