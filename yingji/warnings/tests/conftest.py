"""Fixtures of the warnings tests: officers of town 00 in each role and a warning factory."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from yingji.framework.roles import Role


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officers(make_user, region):
    """Two bureau officers, a duty officer, a leader and a department officer of town 00; a bureau
    officer of county 1 (out of scope)."""
    town = region["town00"]
    return {
        "author": make_user(Role.BUREAU_OFFICER, username="author", place=town),
        "approver": make_user(Role.BUREAU_OFFICER, username="approver", place=town),
        "duty": make_user(Role.DUTY_OFFICER, username="duty", place=town),
        "leader": make_user(Role.LEADER, username="leader", place=town),
        "department": make_user(Role.DEPARTMENT_OFFICER, username="dept", place=town),
        "outsider": make_user(Role.BUREAU_OFFICER, username="outsider", place=region["county1"]),
    }


@pytest.fixture
def make_warning(region, officers):
    """``make_warning(**fields)`` → a draft composed by ``officers["author"]`` through the service."""
    from yingji.warnings.lifecycle import save_warning
    from yingji.warnings.models import Warning

    def factory(area_places=None, actor=None, **fields):
        now = timezone.now()
        data = {
            "warning_type": "typhoon",
            "level": "red",
            "headline": "台风红色预警信号",
            "description": "受今年第9号台风影响，预计未来6小时内沿江地区平均风力将达12级以上。",
            "effective_at": now,
            "expires_at": now + dt.timedelta(hours=24),
            "place": region["town00"],
        }
        data.update(fields)
        return save_warning(Warning(**data), actor=actor or officers["author"], area_places=area_places)

    return factory


@pytest.fixture
def publish_now(officers):
    """Take a draft through submit → approve → publish."""
    from yingji.warnings import lifecycle

    def run(warning):
        lifecycle.submit(warning, actor=warning.created_by or officers["author"])
        lifecycle.approve(warning, actor=officers["approver"])
        return lifecycle.publish(warning, actor=officers["duty"])

    return run
