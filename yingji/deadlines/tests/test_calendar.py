"""The working-day calendar against the State Council holiday notices.

Expected dates are copied from the notices themselves, not from the code:
- 国办发明电〔2024〕12号 (2025): 春节 1月28日至2月4日放假调休，共8天，1月26日（周日）、2月8日（周六）上班；
  国庆节、中秋节 10月1日至8日放假调休，共8天，9月28日（周日）、10月11日（周六）上班。
- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): 元旦 1月1日至3日，1月4日（周日）上班；
  春节 2月15日至23日放假调休，共9天，2月14日（周六）、2月28日（周六）上班；
  中秋节 9月25日至27日；国庆节 10月1日至7日放假调休，共7天，9月20日（周日）、10月10日（周六）上班。
"""

import datetime as dt

import pytest

from yingji.deadlines import calendar
from yingji.deadlines.choices import CalendarDayKind, DayKind
from yingji.deadlines.models import CalendarDay

from .conftest import SH, at

pytestmark = pytest.mark.django_db

D = dt.date


def days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


def test_the_installed_package_covers_2025_and_2026_but_not_2027():
    assert calendar.coverage(2025) == "package"
    assert calendar.coverage(2026) == "package"
    assert calendar.coverage(2027) == "fallback"
    assert 2026 in calendar.package_years()


@pytest.mark.parametrize(
    ("first", "last", "adjusted"),
    [
        (D(2025, 1, 28), D(2025, 2, 4), [D(2025, 1, 26), D(2025, 2, 8)]),  # 2025 春节
        (D(2025, 10, 1), D(2025, 10, 8), [D(2025, 9, 28), D(2025, 10, 11)]),  # 2025 国庆、中秋
        (D(2026, 2, 15), D(2026, 2, 23), [D(2026, 2, 14), D(2026, 2, 28)]),  # 2026 春节
        (D(2026, 10, 1), D(2026, 10, 7), [D(2026, 9, 20), D(2026, 10, 10)]),  # 2026 国庆
    ],
)
def test_statutory_holidays_and_adjusted_working_days(first, last, adjusted):
    for day in days(first, last):
        assert not calendar.is_working_day(day), day
    # the days around the period are ordinary working days
    assert (
        calendar.is_working_day(first - dt.timedelta(days=1)) or (first - dt.timedelta(days=1)).weekday() >= 5
    )
    assert (
        calendar.is_working_day(last + dt.timedelta(days=1)) or (last + dt.timedelta(days=1)).weekday() >= 5
    )
    for day in adjusted:
        assert day.weekday() >= 5, "调休上班 days of these notices are weekends"
        assert calendar.is_working_day(day), day


def test_day_details_name_the_holiday_and_the_adjusted_workday():
    cal = calendar.WorkingCalendar()
    spring = cal.day(D(2026, 2, 17))
    assert (spring.working, spring.kind, spring.name, spring.source) == (
        False,
        DayKind.HOLIDAY,
        "春节",
        "package",
    )
    saturday = cal.day(D(2026, 2, 28))
    assert (saturday.working, saturday.kind, saturday.name) == (True, DayKind.ADJUSTED_WORKDAY, "春节")
    assert cal.day(D(2026, 1, 4)).kind == DayKind.ADJUSTED_WORKDAY  # 元旦调休，周日上班
    assert cal.day(D(2026, 11, 22)).kind == DayKind.WEEKEND
    assert cal.day(D(2026, 11, 23)).kind == DayKind.WORKDAY


def test_add_working_days_counts_from_the_next_day_and_ends_at_24h():
    # Monday 2026-11-23 10:00, one working day → Tuesday, end of day (start day not counted)
    assert calendar.add_working_days(at(2026, 11, 23, 10), 1) == at(2026, 11, 24, 23, 59, 59)
    # Friday + 1 → Monday
    assert calendar.add_working_days(at(2026, 11, 27, 16), 1) == at(2026, 11, 30, 23, 59, 59)
    # a plain date works the same way
    assert calendar.add_working_days(D(2026, 11, 23), 5) == at(2026, 11, 30, 23, 59, 59)


def test_add_working_days_across_the_spring_festival_and_its_adjusted_saturdays():
    # Fri 2026-02-13: the next working day is the 调休 Saturday 02-14, then the holiday 02-15…23
    assert calendar.add_working_days(at(2026, 2, 13, 9), 1) == at(2026, 2, 14, 23, 59, 59)
    assert calendar.add_working_days(at(2026, 2, 13, 9), 2) == at(2026, 2, 24, 23, 59, 59)
    # Thu 02-26: Fri 02-27 is 1, the 调休 Saturday 02-28 is 2
    assert calendar.add_working_days(at(2026, 2, 26, 9), 2) == at(2026, 2, 28, 23, 59, 59)


def test_add_working_days_across_national_day():
    # Wed 2026-09-30 + 1 → Thu 10-08 (10-01…07 off); + 3 → 10-08, 10-09, 调休 Saturday 10-10
    assert calendar.add_working_days(at(2026, 9, 30, 15), 1) == at(2026, 10, 8, 23, 59, 59)
    assert calendar.add_working_days(at(2026, 9, 30, 15), 3) == at(2026, 10, 10, 23, 59, 59)
    # starting on a holiday: counting still starts the next working day
    assert calendar.add_working_days(D(2026, 10, 3), 1) == at(2026, 10, 8, 23, 59, 59)
    # 2025: Fri 09-26 + 1 → the 调休 Sunday 09-28
    assert calendar.add_working_days(D(2025, 9, 26), 1) == at(2025, 9, 28, 23, 59, 59)


def test_zero_working_days_means_the_same_working_day():
    assert calendar.add_working_days(at(2026, 11, 23, 8), 0) == at(2026, 11, 23, 23, 59, 59)
    assert calendar.add_working_days(D(2026, 11, 21), 0) == at(2026, 11, 23, 23, 59, 59)  # Saturday → Monday


def test_negative_or_non_integer_counts_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 11, 23), -1)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 11, 23), 1.5)


def test_the_local_date_of_an_aware_start_decides():
    # 17:00 UTC on 11-23 is 01:00 on 11-24 in Shanghai: the start day is the 24th
    utc_start = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)
    assert calendar.add_working_days(utc_start, 1) == at(2026, 11, 25, 23, 59, 59)
    # a naive start is read as Shanghai time
    assert calendar.add_working_days(dt.datetime(2026, 11, 23, 17, 0), 1) == at(2026, 11, 24, 23, 59, 59)
    assert calendar.add_working_days(utc_start, 1).utcoffset() == dt.timedelta(hours=8)


def test_working_days_between_is_the_inverse_of_add_working_days():
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert calendar.working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    start = D(2026, 1, 20)
    for offset in range(0, 60, 3):
        s = start + dt.timedelta(days=offset)
        for n in (1, 2, 5, 10):
            assert calendar.working_days_between(s, calendar.add_working_days(s, n)) == n


def test_due_at_in_hours_runs_through_holidays():
    # 民法典 第二百零一条第二款: hours count from the start time, holidays included
    assert calendar.due_at(at(2026, 10, 1, 9, 30), hours=2) == at(2026, 10, 1, 11, 30)
    assert calendar.due_at(at(2026, 2, 16, 22, 0), hours=24) == at(2026, 2, 17, 22, 0)
    assert calendar.due_at(at(2026, 11, 23, 10), working_days=1) == at(2026, 11, 24, 23, 59, 59)


def test_due_at_in_calendar_days_moves_a_last_rest_day_to_the_next_working_day():
    # Mon 2026-09-28 + 3 days = Thu 10-01, a holiday → ends Thu 10-08 (民法典 第二百零三条)
    assert calendar.due_at(D(2026, 9, 28), calendar_days=3) == at(2026, 10, 8, 23, 59, 59)
    # a period ending on a Saturday ends on Monday
    assert calendar.due_at(D(2026, 11, 23), calendar_days=5) == at(2026, 11, 30, 23, 59, 59)
    # … unless that Saturday is an adjusted working day
    assert calendar.due_at(D(2026, 2, 25), calendar_days=3) == at(2026, 2, 28, 23, 59, 59)


def test_due_at_needs_exactly_one_unit():
    with pytest.raises(ValueError):
        calendar.due_at(D(2026, 11, 23))
    with pytest.raises(ValueError):
        calendar.due_at(D(2026, 11, 23), hours=1, working_days=1)


def test_entered_days_override_the_package():
    CalendarDay.objects.create(date=D(2026, 11, 23), kind=CalendarDayKind.HOLIDAY, name="测试假日")
    CalendarDay.objects.create(date=D(2026, 11, 22), kind=CalendarDayKind.WORKDAY, name="测试调休")
    assert not calendar.is_working_day(D(2026, 11, 23))
    assert calendar.is_working_day(D(2026, 11, 22))  # a Sunday made a working day
    assert calendar.coverage(2026) == "package"  # overrides do not change where the year comes from
    day = calendar.WorkingCalendar().day(D(2026, 11, 23))
    assert (day.kind, day.name, day.source) == (DayKind.HOLIDAY, "测试假日", "entered")
    # Saturday 11-21 + 1 → the Sunday made a working day
    assert calendar.add_working_days(D(2026, 11, 21), 1) == at(2026, 11, 22, 23, 59, 59)
    # Sunday 11-22 + 1 → Monday is now a holiday → Tuesday
    assert calendar.add_working_days(D(2026, 11, 22), 1) == at(2026, 11, 24, 23, 59, 59)


def test_a_year_nobody_entered_falls_back_to_weekends_and_warns():
    info = calendar.coverage_info(2027)
    assert info.is_fallback
    assert info.message == "2027年法定节假日尚未录入，按周末推算"
    assert calendar.is_working_day(D(2027, 1, 1))  # a Friday: no holiday known
    assert not calendar.is_working_day(D(2027, 1, 2))  # Saturday
    cal = calendar.WorkingCalendar()
    # Mon 2026-12-28 + 5 working days: 12-29, 12-30, 12-31, 2027-01-01, 01-04
    assert cal.add_working_days(D(2026, 12, 28), 5) == at(2027, 1, 4, 23, 59, 59)
    assert cal.fallback_years == {2027}
    assert [w.year for w in calendar.coverage_warnings({2026, 2027})] == [2027]


def test_entering_days_of_next_year_makes_it_entered():
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦")
    assert calendar.coverage(2027) == "entered"
    assert calendar.coverage_warnings({2027}) == []
    assert not calendar.is_working_day(D(2027, 1, 1))
    cal = calendar.WorkingCalendar()
    assert cal.add_working_days(D(2026, 12, 28), 5) == at(2027, 1, 5, 23, 59, 59)
    assert cal.fallback_years == set()


def test_year_days_and_relevant_years():
    year = calendar.WorkingCalendar().year_days(2026)
    assert len(year) == 365
    # 2026: 365 days, 104 weekend days; 2026 notice: holidays on weekdays and 调休 weekends
    off_weekdays = [d for d in year if not d.working and d.date.weekday() < 5]
    worked_weekends = [d for d in year if d.working and d.date.weekday() >= 5]
    assert {d.date for d in worked_weekends} == {
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    }
    assert len(off_weekdays) == 19
    assert calendar.relevant_years(D(2026, 3, 1)) == {2026}
    assert calendar.relevant_years(D(2026, 11, 22)) == {2026, 2027}
    assert calendar.relevant_years(D(2026, 3, 1), at(2028, 1, 2)) == {2026, 2028}


def test_format_due():
    assert calendar.format_due(at(2026, 2, 24, 23, 59, 59)) == "2026年02月24日24时"
    assert calendar.format_due(dt.datetime(2026, 2, 24, 2, 30, tzinfo=dt.UTC)) == "2026年02月24日 10:30"
    assert SH.key == "Asia/Shanghai"
