import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yingji.audit.models import ObjectChange
from yingji.deadlines import rules, services
from yingji.deadlines.choices import CalendarDayKind, DeadlineStatus
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role

from .conftest import at

D = dt.date


@pytest.fixture
def admin(make_user):
    return make_user(Role.PLATFORM_ADMIN)


@time_machine.travel(at(2026, 2, 13, 9), tick=False)
def test_track_counts_working_days_across_the_spring_festival(test_rules, make_enterprise, admin, region):
    enterprise = make_enterprise(place=region["village010"])
    deadline = services.track(enterprise, rule="test.rectify", start=at(2026, 2, 13, 9), actor=admin)
    # Fri 02-13 + 5 working days: 02-14 (调休 Saturday), 02-24, 02-25, 02-26, 02-27
    assert deadline.due_at == at(2026, 2, 27, 23, 59, 59)
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.place == region["village010"]
    assert deadline.enterprise_id == enterprise.pk
    assert deadline.item == enterprise
    assert deadline.title == f"测试整改（5个工作日）：{enterprise}"
    assert deadline.due_computed and not deadline.calendar_estimated
    # day-based: reminded at 08:00 the day before the last day, escalated 08:00 the morning after
    assert deadline.remind_at == at(2026, 2, 26, 8)
    assert deadline.escalate_at == at(2026, 2, 28, 8)
    assert ObjectChange.objects.filter(content_type__model="deadline", object_id=str(deadline.pk)).exists()


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_tracking_again_updates_the_active_deadline_instead_of_adding_one(
    test_rules, make_enterprise, admin, make_user
):
    enterprise = make_enterprise()
    person = make_user(Role.GRID_WORKER, place=enterprise.place)
    first = services.track(
        enterprise, rule="test.rectify", start=D(2026, 11, 23), actor=admin, responsible=person
    )
    again = services.track(enterprise, rule="test.rectify", start=D(2026, 11, 30), actor=admin)
    assert again.pk == first.pk
    assert Deadline.objects.count() == 1
    assert again.due_at == at(2026, 12, 7, 23, 59, 59)
    assert again.responsible == person  # kept when not given
    # another rule on the same item is a separate deadline; a met one does not block a new one
    services.track(enterprise, rule="test.report", start=at(2026, 11, 23, 10), actor=admin)
    services.meet(enterprise, actor=admin, rule="test.rectify")
    third = services.track(enterprise, rule="test.rectify", start=D(2026, 12, 1), actor=admin)
    assert third.pk != first.pk
    assert Deadline.objects.count() == 3


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_the_database_refuses_two_active_deadlines_for_one_item_and_rule(test_rules, make_enterprise, admin):
    from django.db import IntegrityError, transaction

    enterprise = make_enterprise()
    deadline = services.track(enterprise, rule="test.rectify", start=D(2026, 11, 23), actor=admin)
    copy = Deadline.objects.get(pk=deadline.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_track_with_an_explicit_due_and_a_rule_without_period(test_rules, make_enterprise, admin):
    enterprise = make_enterprise()
    with pytest.raises(ValidationError) as exc:
        services.track(enterprise, rule="test.free", start=None, actor=admin)
    assert exc.value.error_dict["due_at"][0].code == "due_required"
    deadline = services.track(enterprise, rule="test.free", start=None, actor=admin, due=D(2026, 12, 15))
    assert deadline.due_at == at(2026, 12, 15, 23, 59, 59)
    assert not deadline.due_computed
    assert deadline.remind_at is None  # the rule has no reminder
    with pytest.raises(LookupError):
        services.track(enterprise, rule="test.unknown", start=None, actor=admin)


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_track_refuses_an_item_outside_the_actors_scope(test_rules, make_enterprise, make_user, region):
    enterprise = make_enterprise(place=region["village100"])
    town_officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    with pytest.raises(AccessDenied):
        services.track(enterprise, rule="test.rectify", start=None, actor=town_officer)
    assert not Deadline.objects.exists()
    inside = make_enterprise(place=region["village001"])
    assert (
        services.track(inside, rule="test.rectify", start=None, actor=town_officer).place
        == region["village001"]
    )


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_meet_and_cancel_follow_the_state_machine(test_rules, make_enterprise, admin):
    enterprise = make_enterprise()
    deadline = services.track(enterprise, rule="test.rectify", start=None, actor=admin)
    [met] = services.meet(deadline, actor=admin)
    assert met.status == DeadlineStatus.MET and met.met_at == at(2026, 11, 23, 10)
    assert not met.met_late
    assert services.meet(deadline, actor=admin)[0].met_at == met.met_at  # idempotent
    with pytest.raises(services.InvalidTransition):
        services.cancel(deadline, actor=admin, reason="重复")
    other = services.track(enterprise, rule="test.report", start=None, actor=admin)
    [cancelled] = services.cancel(enterprise, actor=admin, reason="企业已关闭")
    assert cancelled.pk == other.pk and cancelled.status == DeadlineStatus.CANCELLED
    assert cancelled.cancel_reason == "企业已关闭"
    with pytest.raises(services.InvalidTransition):
        services.meet(other, actor=admin)
    assert services.meet(enterprise, actor=admin) == []  # nothing active left


def test_meet_late_is_recorded(test_rules, make_enterprise, admin):
    enterprise = make_enterprise()
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        deadline = services.track(enterprise, rule="test.report", start=None, actor=admin)
    with time_machine.travel(at(2026, 11, 24, 10, 0, 1), tick=False):
        [met] = services.meet(deadline, actor=admin)
    assert met.met_late


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_a_deadline_acted_on_directly_needs_the_change_right_in_scope(
    test_rules, make_enterprise, make_user, admin, region
):
    enterprise = make_enterprise(place=region["village100"])
    deadline = services.track(enterprise, rule="test.rectify", start=None, actor=admin)
    grid = make_user(Role.GRID_WORKER, place=region["village100"])  # may view, not change
    other_town = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    for user in (grid, other_town):
        with pytest.raises(AccessDenied):
            services.meet(deadline, actor=user)
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN
    county = make_user(Role.BUREAU_OFFICER, place=region["county1"])
    assert services.meet(deadline, actor=county)[0].status == DeadlineStatus.MET


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_list_for_supervision(test_rules, make_enterprise, make_user, region, notified):
    enterprise = make_enterprise(place=region["village000"])
    responsible = make_user(Role.ENTERPRISE_USER, enterprise=enterprise)
    admin = make_user(Role.PLATFORM_ADMIN)
    deadline = services.track(
        enterprise, rule="test.rectify", start=None, actor=admin, responsible=responsible
    )
    town = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    county = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    # a town officer cannot list in the name of the county
    with pytest.raises(AccessDenied):
        services.list_for_supervision(deadline, actor=town, level_place=region["county0"], due_at=None)
    # the village is not a supervising level, another county does not contain the item
    with pytest.raises(ValidationError):
        services.list_for_supervision(deadline, actor=admin, level_place=region["village000"], due_at=None)
    with pytest.raises(ValidationError):
        services.list_for_supervision(deadline, actor=admin, level_place=region["county1"], due_at=None)
    with pytest.raises(ValidationError):  # a time limit in the past
        services.list_for_supervision(
            deadline, actor=county, level_place=region["county0"], due_at=D(2026, 11, 1)
        )
    listed = services.list_for_supervision(
        deadline, actor=county, level_place=region["county0"], due_at=D(2026, 12, 15), note="限期整改到位"
    )
    assert listed.listed_by == region["county0"] and listed.listed_at == at(2026, 11, 23, 10)
    assert listed.due_at == at(2026, 12, 15, 23, 59, 59) and not listed.due_computed
    assert listed.supervision_note == "限期整改到位"
    assert [c["subject"] for c in notified.to(responsible)] == [f"挂牌督办：{deadline.title}"]
    # listed by the county: the town (lower) may no longer re-list it, the city may
    with pytest.raises(ValidationError):
        services.list_for_supervision(deadline, actor=town, level_place=region["town00"], due_at=None)
    services.list_for_supervision(deadline, actor=admin, level_place=region["city"], due_at=None)
    assert Deadline.objects.get(pk=deadline.pk).listed_by == region["city"]
    assert [p.level for p in services.supervising_places(deadline, town)] == ["town"]


def test_entering_next_years_holidays_recomputes_estimated_deadlines(test_rules, make_enterprise, admin):
    enterprise = make_enterprise()
    with time_machine.travel(at(2026, 12, 28, 9), tick=False):
        deadline = services.track(enterprise, rule="test.rectify", start=None, actor=admin)
        # 12-29, 12-30, 12-31, 2027-01-01 (a Friday, unknown holiday), 01-04
        assert deadline.due_at == at(2027, 1, 4, 23, 59, 59)
        assert deadline.calendar_estimated
        fixed = services.track(enterprise, rule="test.free", start=None, actor=admin, due=D(2027, 1, 4))
        services.enter_calendar_days(
            start=D(2027, 1, 1), end=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦", actor=admin
        )
    deadline.refresh_from_db()
    assert deadline.due_at == at(2027, 1, 5, 23, 59, 59)
    assert not deadline.calendar_estimated
    fixed.refresh_from_db()
    assert fixed.due_at == at(2027, 1, 4, 23, 59, 59)  # an explicit time limit is not recomputed
    # deleting the entry brings the estimate back
    with time_machine.travel(at(2026, 12, 28, 10), tick=False):
        services.delete_calendar_day(CalendarDay.objects.get(date=D(2027, 1, 1)), actor=admin)
    deadline.refresh_from_db()
    assert deadline.due_at == at(2027, 1, 4, 23, 59, 59) and deadline.calendar_estimated


def test_calendar_writes_are_for_administrators_only(make_user, region):
    officer = make_user(Role.BUREAU_OFFICER, place=region["city"])
    with pytest.raises(AccessDenied):
        services.save_calendar_day(
            CalendarDay(date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY), actor=officer
        )
    with pytest.raises(AccessDenied):
        services.enter_calendar_days(start=D(2027, 1, 1), end=D(2027, 1, 3), kind="holiday", actor=officer)
    assert not CalendarDay.objects.exists()


def test_enter_calendar_days_validates_and_updates(make_user):
    admin = make_user(Role.PLATFORM_ADMIN)
    with pytest.raises(ValidationError):
        services.enter_calendar_days(start=D(2027, 2, 10), end=D(2027, 2, 5), kind="holiday", actor=admin)
    days = services.enter_calendar_days(
        start=D(2027, 2, 5), end=D(2027, 2, 8), kind="holiday", name="春节", actor=admin
    )
    assert [d.date.day for d in days] == [5, 6, 7, 8]
    services.enter_calendar_days(
        start=D(2027, 2, 7), end=D(2027, 2, 7), kind="workday", name="春节", actor=admin
    )
    assert CalendarDay.objects.count() == 4
    assert CalendarDay.objects.get(date=D(2027, 2, 7)).kind == "workday"
    with pytest.raises(ValidationError) as exc:
        services.save_calendar_day(CalendarDay(date=D(2027, 2, 5), kind="holiday"), actor=admin)
    assert "date" in exc.value.error_dict


def test_rule_registry():
    rule = rules.register_rule("test.once", "一次", working_days=3)
    try:
        assert rules.register_rule("test.once", "一次", working_days=3) == rule  # identical: fine
        with pytest.raises(ValueError):
            rules.register_rule("test.once", "一次", working_days=4)
        with pytest.raises(ValueError):
            rules.register_rule("test.two", "二", hours=1, working_days=1)
        assert ("test.once", "一次") in rules.rule_choices()
        assert rule.period_label == "3个工作日"
    finally:
        rules.unregister_rule("test.once")
    assert rules.find_rule("test.once") is None
