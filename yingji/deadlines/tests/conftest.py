"""Fixtures of the deadline tests: test rules, a recorder standing in for the messaging centre."""

import datetime as dt
import sys
import types
from zoneinfo import ZoneInfo

import pytest

from yingji.deadlines import rules

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    """An aware Asia/Shanghai datetime: ``at(2026, 11, 23, 10)``."""
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def test_rules():
    """Three rules as a domain module would register them; removed again after the test."""
    made = {
        "report": rules.register_rule(
            "test.report",
            "测试报告（24小时）",
            hours=24,
            remind_before=dt.timedelta(hours=2),
            escalate_after=dt.timedelta(hours=1),
        ),
        "rectify": rules.register_rule(
            "test.rectify",
            "测试整改（5个工作日）",
            working_days=5,
            remind_before=dt.timedelta(days=1),
            escalate_after=dt.timedelta(0),
        ),
        "free": rules.register_rule("test.free", "测试自定义期限", remind_before=None),
    }
    yield made
    for rule in made.values():
        rules.unregister_rule(rule.code)


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)

    def to(self, user):
        return [c for c in self.calls if user in c["users"]]

    def subjects(self):
        return [c["subject"] for c in self.calls]


@pytest.fixture
def notified(monkeypatch):
    """Replace ``yingji.messaging.services.notify`` (written by another module) with a recorder."""
    recorder = Recorder()
    try:
        import yingji.messaging.services as messaging_services
    except ImportError:  # the messaging app is not there yet: provide the one function we call
        messaging_services = types.ModuleType("yingji.messaging.services")
        monkeypatch.setitem(sys.modules, "yingji.messaging.services", messaging_services)
    monkeypatch.setattr(messaging_services, "notify", recorder, raising=False)
    return recorder
