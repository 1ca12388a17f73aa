import datetime as dt

import pytest

from yingji.checklists.models import CheckItem, CheckPlan
from yingji.framework.roles import Role

TZ = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, hh=10, mm=0):
    """A local (UTC+8) moment, for time_machine."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def shop(region, make_enterprise, make_user):
    """An enterprise of village000 with its user, another enterprise, and officers."""
    enterprise = make_enterprise(place=region["village000"], name="甲化工")
    other = make_enterprise(place=region["village100"], name="乙物流")
    return {
        "region": region,
        "enterprise": enterprise,
        "other": other,
        "user": make_user(Role.ENTERPRISE_USER, place=region["village000"], enterprise=enterprise),
        "other_user": make_user(Role.ENTERPRISE_USER, place=region["village100"], enterprise=other),
        "officer": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
        "leader": make_user(Role.LEADER, place=region["city"]),
        "grid": make_user(Role.GRID_WORKER, place=region["village000"]),
    }


@pytest.fixture
def make_plan(shop):
    def factory(
        frequency="daily",
        start=dt.date(2026, 11, 1),
        enterprise=None,
        items=("灭火器压力正常", "安全出口畅通"),
        **kw,
    ):
        plan = CheckPlan.objects.create(
            enterprise=enterprise or shop["enterprise"],
            name=kw.pop("name", "仓库日常检查"),
            post="仓库保管员",
            frequency=frequency,
            start_date=start,
            **kw,
        )
        for n, text in enumerate(items, 1):
            CheckItem.objects.create(plan=plan, order=n, text=text, category="消防安全")
        return plan

    return factory
