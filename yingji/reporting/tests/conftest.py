import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from yingji.framework.roles import Role

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def county_duty(make_user, region):
    """A duty officer of county 0 (崇川区)."""
    return make_user(Role.DUTY_OFFICER, place=region["county0"])


@pytest.fixture
def city_duty(make_user, region):
    return make_user(Role.DUTY_OFFICER, place=region["city"])


@pytest.fixture
def record(region, county_duty):
    """``record(**fields)`` → IncomingInfo recorded by the county duty officer (an accident in village 000)."""
    from yingji.reporting import services

    def factory(actor=None, **fields):
        now = dt.datetime.now(TZ)
        base = {
            "source": "phone",
            "event_type": "work_safety",
            "place": region["village000"],
            "occurred_at": now - dt.timedelta(minutes=30),
            "received_at": now,
            "description": "车间起火",
        }
        base.update(fields)
        return services.record_incoming(actor=actor or county_duty, **base)

    return factory
