"""Deadlines of the loop (frozen clock): confirmation deadline on report, the rectification deadline on
assignment with its reminder before due and escalation to the assigning officer after due; met when
rectified; the supervision deadline of a listed major hazard."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yingji.deadlines.models import Deadline
from yingji.deadlines.services import check_deadlines
from yingji.framework.roles import Role
from yingji.hazards import workflow
from yingji.messaging.models import Notification

from .conftest import FIVE

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def run_at(django_capture_on_commit_callbacks):
    """``run_at(y, m, d, h, …)``: the periodic check at that instant, with its in-app deliveries (queued
    after commit) carried out although the test runs inside a transaction."""

    def run(*args):
        with time_machine.travel(at(*args), tick=False), django_capture_on_commit_callbacks(execute=True):
            return check_deadlines()

    return run


def subjects(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("message__subject", flat=True)
    )


@pytest.fixture
def responsible_user(town, make_user):
    user = make_user(Role.ENTERPRISE_USER, enterprise=town["enterprise"])
    user.person = town["person"]
    user.save()
    return user


def test_confirmation_deadline_runs_from_the_report(town):
    # Monday 2026-11-23 10:00: three working days → the end of Thursday
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        hazard = workflow.report_hazard(
            actor=town["grid"], source="grid", title="x", enterprise=town["enterprise"]
        )
    deadline = Deadline.objects.get(object_id=str(hazard.pk), rule="hazards.confirm")
    assert deadline.due_at == at(2026, 11, 26, 23, 59, 59)
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        workflow.confirm_hazard(hazard, actor=town["officer"], grade="general")
    deadline.refresh_from_db()
    assert deadline.status == "met" and deadline.met_at == at(2026, 11, 24, 9)


def test_reminder_before_due_and_escalation_after_due(town, responsible_user, run_at):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        hazard = workflow.report_hazard(
            actor=town["grid"], source="grid", title="消防通道堵塞", enterprise=town["enterprise"]
        )
        hazard = workflow.confirm_hazard(hazard, actor=town["officer"], grade="general")
        hazard = workflow.assign_rectification(
            hazard, actor=town["officer"], responsible=town["person"], due_at="2026-12-04", **FIVE
        )
    deadline = Deadline.objects.get(object_id=str(hazard.pk), rule="hazards.rectify_general")
    assert hazard.due_at == at(2026, 12, 4, 23, 59, 59)  # the end of the deadline day
    assert deadline.responsible == responsible_user and deadline.supervisor == town["officer"]
    # reminded two days before the deadline day ends, at 08:00
    assert run_at(2026, 12, 2, 7, 59)["reminded"] == 0
    assert run_at(2026, 12, 2, 8, 0)["reminded"] == 1
    assert subjects(responsible_user) == [f"期限提醒：{deadline.title}"]
    assert subjects(town["officer"]) == []
    # past due: overdue, then escalated to the officer who assigned it at the next 08:00
    assert run_at(2026, 12, 4, 23, 59, 59)["overdue"] == 0
    assert run_at(2026, 12, 5, 0, 0, 0) == {"overdue": 1, "reminded": 0, "escalated": 0}
    assert run_at(2026, 12, 5, 7, 59)["escalated"] == 0
    assert run_at(2026, 12, 5, 8, 0)["escalated"] == 1
    assert subjects(town["officer"]) == [f"逾期督办：{deadline.title}"]
    assert run_at(2026, 12, 6, 8, 0) == {"overdue": 0, "reminded": 0, "escalated": 0}


def test_rectification_on_time_stops_the_reminders(town, responsible_user, run_at):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        hazard = workflow.report_hazard(
            actor=town["grid"], source="grid", title="x", enterprise=town["enterprise"]
        )
        hazard = workflow.confirm_hazard(hazard, actor=town["officer"], grade="general")
        hazard = workflow.assign_rectification(
            hazard, actor=town["officer"], responsible=town["person"], due_at="2026-12-04", **FIVE
        )
    with time_machine.travel(at(2026, 11, 30, 15), tick=False):
        workflow.submit_rectification(hazard, actor=responsible_user, evidence="已疏通")
    deadline = Deadline.objects.get(object_id=str(hazard.pk), rule="hazards.rectify_general")
    assert deadline.status == "met"
    assert run_at(2026, 12, 2, 8) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert run_at(2026, 12, 6, 8) == {"overdue": 0, "reminded": 0, "escalated": 0}
    assert subjects(responsible_user) == []


def test_the_supervision_deadline_is_listed_and_met_on_closing(make_hazard, town):
    hazard = make_hazard("assigned", grade="major")
    hazard = workflow.list_for_supervision(
        hazard, actor=town["county_officer"], level_place=town["region"]["county0"], due_at="2099-06-30"
    )
    deadline = Deadline.objects.get(object_id=str(hazard.pk), rule="hazards.supervision")
    assert deadline.listed_by == town["region"]["county0"] and deadline.due_at == at(2099, 6, 30, 23, 59, 59)
    assert deadline.status == "open"
    hazard = workflow.submit_rectification(hazard, actor=town["company"], evidence="完成")
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    hazard = workflow.verify_hazard(hazard, actor=town["county_officer"], approve=True)
    workflow.close_hazard(hazard, actor=town["county_officer"])
    deadline.refresh_from_db()
    assert deadline.status == "met"
