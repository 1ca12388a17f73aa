"""Missed-period computation at day, week and month boundaries (clock frozen)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from yingji.checklists import periods, services
from yingji.checklists.models import CheckRecord
from yingji.checklists.tests.conftest import at

D = dt.date


@pytest.mark.parametrize(
    "frequency, day, start",
    [
        ("daily", D(2026, 11, 23), D(2026, 11, 23)),
        ("weekly", D(2026, 11, 23), D(2026, 11, 23)),  # a Monday starts its own week
        ("weekly", D(2026, 11, 29), D(2026, 11, 23)),  # Sunday belongs to the week before
        ("weekly", D(2027, 1, 1), D(2026, 12, 28)),  # ISO week 2026-W53 spans the new year
        ("monthly", D(2026, 12, 31), D(2026, 12, 1)),
        ("monthly", D(2027, 1, 1), D(2027, 1, 1)),
    ],
)
def test_period_start(frequency, day, start):
    assert periods.period_start(frequency, day) == start


def test_next_period_count_and_label_across_year_and_month_ends():
    assert periods.next_period("monthly", D(2026, 12, 1)) == D(2027, 1, 1)
    assert periods.next_period("monthly", D(2027, 1, 1)) == D(2027, 2, 1)
    assert periods.period_end("monthly", D(2028, 2, 1)) == D(2028, 2, 29)  # leap year
    assert periods.label("weekly", D(2026, 12, 28)) == "2026-W53"
    assert periods.label("monthly", D(2026, 12, 1)) == "2026-12"
    assert periods.count_periods("weekly", D(2026, 12, 31), D(2027, 1, 4)) == 2
    assert periods.count_periods("monthly", D(2026, 11, 30), D(2027, 2, 1)) == 4
    assert periods.count_periods("daily", D(2026, 11, 2), D(2026, 11, 1)) == 0
    for f in ("daily", "weekly", "monthly"):
        assert periods.count_periods(f, D(2026, 1, 15), D(2027, 3, 3)) == len(
            periods.periods_between(f, D(2026, 1, 15), D(2027, 3, 3))
        )


def record(plan, day):
    return CheckRecord.objects.create(
        plan=plan, period_start=periods.period_start(plan.frequency, day), performed_at=timezone.now()
    )


def labels(plan):
    return [periods.label(plan.frequency, d) for d in services.missed_periods(plan)]


@pytest.mark.django_db
def test_daily_today_is_due_not_missed_until_midnight(make_plan):
    plan = make_plan("daily", start=D(2026, 11, 20))
    record(plan, D(2026, 11, 21))
    with time_machine.travel(at(2026, 11, 23, 23, 59), tick=False):
        assert labels(plan) == ["2026-11-20", "2026-11-22"]
    with time_machine.travel(at(2026, 11, 24, 0, 0), tick=False):
        assert labels(plan) == ["2026-11-20", "2026-11-22", "2026-11-23"]
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        assert labels(plan) == []  # the first day is still running


@pytest.mark.django_db
def test_weekly_counts_the_week_the_plan_starts_in_and_misses_it_only_after_sunday(make_plan):
    plan = make_plan("weekly", start=D(2026, 11, 4))  # a Wednesday: its week starts Monday 2026-11-02
    record(plan, D(2026, 11, 12))  # any day of the week records the week
    with time_machine.travel(at(2026, 11, 22, 23, 59), tick=False):  # Sunday
        assert labels(plan) == ["2026-W45"]
    with time_machine.travel(at(2026, 11, 23, 0, 0), tick=False):  # Monday
        assert labels(plan) == ["2026-W45", "2026-W47"]


@pytest.mark.django_db
def test_monthly_at_month_and_year_ends(make_plan):
    plan = make_plan("monthly", start=D(2026, 10, 31))
    with time_machine.travel(at(2026, 11, 30, 23), tick=False):
        assert labels(plan) == ["2026-10"]
    record(plan, D(2026, 10, 31))
    with time_machine.travel(at(2027, 1, 1, 0, 0), tick=False):
        assert labels(plan) == ["2026-11", "2026-12"]


@pytest.mark.django_db
def test_inactive_plans_miss_nothing_and_counts_agree_with_the_lists(make_plan, shop):
    daily = make_plan("daily", start=D(2026, 11, 1))
    weekly = make_plan("weekly", start=D(2026, 9, 30), name="周检")
    monthly = make_plan("monthly", start=D(2026, 1, 1), enterprise=shop["other"], name="月检")
    inactive = make_plan("daily", start=D(2026, 1, 1), active=False, name="停用")
    for day in (D(2026, 11, 3), D(2026, 11, 4), D(2026, 11, 23)):
        record(daily, day)
    record(weekly, D(2026, 10, 1))
    record(monthly, D(2026, 6, 15))
    with time_machine.travel(at(2026, 11, 23, 12), tick=False):
        assert services.missed_periods(inactive) == []
        from yingji.checklists.models import CheckPlan

        counts = services.missed_counts(CheckPlan.objects.all())
        expected = {p.pk: len(services.missed_periods(p)) for p in (daily, weekly, monthly, inactive)}
        assert counts == expected
        assert counts[daily.pk] == 22 - 2  # 1–22 November, two recorded (the 23rd is today)
        assert counts[monthly.pk] == 10 - 1  # January–October, June recorded
        rows = services.missed_by_enterprise(CheckPlan.objects.all())
        by_name = {r["enterprise"].name: r for r in rows}
        assert by_name["甲化工"]["missed"] == counts[daily.pk] + counts[weekly.pk]
        assert by_name["甲化工"]["plans"] == 3 and by_name["甲化工"]["active"] == 2
        assert rows[0]["missed"] >= rows[-1]["missed"]
