"""The periodic check: reminders before due, overdue flags, escalation — each exactly once, at the
right instant (clock frozen at the boundaries)."""

import pytest
import time_machine

from yingji.deadlines import services
from yingji.deadlines.choices import DeadlineStatus
from yingji.deadlines.models import Deadline
from yingji.deadlines.tasks import check_deadlines
from yingji.framework.roles import Role

from .conftest import at


@pytest.fixture
def people(make_user, region, make_enterprise):
    enterprise = make_enterprise(place=region["village000"])
    return {
        "enterprise": enterprise,
        "admin": make_user(Role.PLATFORM_ADMIN),
        "responsible": make_user(Role.ENTERPRISE_USER, enterprise=enterprise),
        "supervisor": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
    }


def run_at(*args):
    with time_machine.travel(at(*args), tick=False):
        return check_deadlines()


def test_hour_rule_reminds_flags_and_escalates_once_each(test_rules, people, notified):
    responsible, supervisor = people["responsible"], people["supervisor"]
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.report",
            start=None,
            actor=people["admin"],
            responsible=responsible,
            supervisor=supervisor,
        )
    # 24 hours, remind 2 h before, escalate 1 h after
    assert deadline.due_at == at(2026, 11, 24, 10)
    assert deadline.remind_at == at(2026, 11, 24, 8)
    assert deadline.escalate_at == at(2026, 11, 24, 11)

    assert run_at(2026, 11, 24, 7, 59, 59) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert run_at(2026, 11, 24, 8) == {"overdue": 0, "reminded": 1, "escalated": 0}
    assert run_at(2026, 11, 24, 8, 5) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert [c["subject"] for c in notified.to(responsible)] == [f"期限提醒：{deadline.title}"]
    reminder = notified.calls[0]
    assert reminder["category"] == "deadline" and reminder["about"] == people["enterprise"]
    assert "2026年11月24日 10:00" in reminder["body"]

    # exactly at the due time it is not overdue yet; one second later it is
    assert run_at(2026, 11, 24, 10)["overdue"] == 0
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN
    assert run_at(2026, 11, 24, 10, 0, 1) == {"overdue": 1, "reminded": 0, "escalated": 0}
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OVERDUE
    assert notified.to(responsible)[-1]["subject"] == f"已逾期：{deadline.title}"
    assert notified.to(supervisor) == []

    # escalation one hour after the due time, once
    assert run_at(2026, 11, 24, 10, 59, 59)["escalated"] == 0
    assert run_at(2026, 11, 24, 11)["escalated"] == 1
    assert run_at(2026, 11, 24, 11, 5) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert [c["subject"] for c in notified.to(supervisor)] == [f"逾期督办：{deadline.title}"]
    assert len(notified.calls) == 3
    row = Deadline.objects.get(pk=deadline.pk)
    assert row.reminded_at == at(2026, 11, 24, 8) and row.escalated_at == at(2026, 11, 24, 11)


def test_working_day_rule_is_handled_in_the_morning(test_rules, people, notified):
    with time_machine.travel(at(2026, 9, 30, 15), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.rectify",
            start=None,
            actor=people["admin"],
            responsible=people["responsible"],
            supervisor=people["supervisor"],
        )
    # Wed 09-30 + 5 working days: 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    assert deadline.due_at == at(2026, 10, 13, 23, 59, 59)
    assert run_at(2026, 10, 12, 7, 59)["reminded"] == 0
    assert run_at(2026, 10, 12, 8)["reminded"] == 1
    assert run_at(2026, 10, 13, 23, 59, 59)["overdue"] == 0
    assert run_at(2026, 10, 14, 0, 0, 0) == {"overdue": 1, "reminded": 0, "escalated": 0}  # 24:00 has passed
    assert run_at(2026, 10, 14, 7, 59, 59)["escalated"] == 0  # nobody is woken at night
    assert run_at(2026, 10, 14, 8)["escalated"] == 1
    assert len(notified.to(people["supervisor"])) == 1


def test_met_or_cancelled_deadlines_are_left_alone(test_rules, people, notified):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.report",
            start=None,
            actor=people["admin"],
            responsible=people["responsible"],
        )
        services.meet(deadline, actor=people["admin"])
    assert run_at(2026, 11, 30, 12) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.MET
    assert notified.calls == []


def test_escalation_without_a_supervisor_goes_to_the_nearest_bureau_officers(
    test_rules, people, notified, make_user, region
):
    county = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        services.track(people["enterprise"], rule="test.report", start=None, actor=people["admin"])
    run_at(2026, 11, 24, 12)
    # the town officer is nearer than the county officer; no responsible person, so no other message
    assert len(notified.calls) == 1
    assert notified.calls[0]["users"] == [people["supervisor"]]
    assert county not in notified.calls[0]["users"]


def test_a_deadline_whose_item_was_deleted_is_cancelled(test_rules, people, notified):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.report",
            start=None,
            actor=people["admin"],
            responsible=people["responsible"],
        )
    people["responsible"].role_assignments.all().delete()
    people["enterprise"].delete()
    run_at(2026, 11, 25, 12)
    row = Deadline.objects.get(pk=deadline.pk)
    assert row.status == DeadlineStatus.CANCELLED and row.cancel_reason == "督办对象已被删除"
    assert notified.calls == []


def test_a_failing_notification_leaves_the_step_for_the_next_run(test_rules, people, monkeypatch, caplog):
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("messaging down")

    import yingji.messaging.services as messaging_services

    monkeypatch.setattr(messaging_services, "notify", broken)
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.report",
            start=None,
            actor=people["admin"],
            responsible=people["responsible"],
        )
    with caplog.at_level("ERROR", logger="yingji.deadlines.services"):
        assert run_at(2026, 11, 24, 8)["reminded"] == 0
    assert len(calls) == 1
    assert "retried at the next check" in caplog.text
    assert Deadline.objects.get(pk=deadline.pk).reminded_at is None  # rolled back with the failed send
    sent = []
    monkeypatch.setattr(messaging_services, "notify", lambda **kw: sent.append(kw))
    assert run_at(2026, 11, 24, 8, 5)["reminded"] == 1
    assert len(sent) == 1


def test_extending_a_deadline_re_arms_its_reminder(test_rules, people, notified):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(
            people["enterprise"],
            rule="test.report",
            start=None,
            actor=people["admin"],
            responsible=people["responsible"],
        )
    run_at(2026, 11, 24, 8)
    assert len(notified.calls) == 1
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        services.track(people["enterprise"], rule="test.report", start=None, actor=people["admin"])
    row = Deadline.objects.get(pk=deadline.pk)
    assert row.due_at == at(2026, 11, 25, 9) and row.reminded_at is None
    assert row.remind_at == at(2026, 11, 25, 7)
    assert run_at(2026, 11, 25, 7)["reminded"] == 1
    assert len(notified.calls) == 2
