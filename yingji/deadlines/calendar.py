"""The working-day calendar (工作日历) every deadline is counted on.

Sources, in order of precedence for one date:

1. a day an administrator entered in the platform (:class:`~yingji.deadlines.models.CalendarDay`),
   which overrides everything else — used for years the package does not know yet (typically next
   year, after the State Council publishes 《国务院办公厅关于××年部分节假日安排的通知》) and for
   corrections;
2. the ``chinesecalendar`` package (import name ``chinese_calendar``), which carries the statutory
   holidays and adjusted working days (调休) of every year the State Council had announced when the
   package was released (1.11.0: 2004–2026);
3. the fallback for a year that is in neither: Monday–Friday work, Saturday–Sunday rest
   (《国务院关于职工工作时间的规定》第七条). The year is then reported as ``fallback`` and pages show
   "2027年法定节假日尚未录入，按周末推算" — a computation never fails for lack of data.

Counting convention (see docs/deadlines.md for the sources):

* periods in hours run from the start instant (《民法典》第二百零一条第二款), holidays included;
* periods in days do not count the start day (《民法典》第二百零一条第一款); a period in working days
  counts only working days (《行政许可法》第八十二条, 《行政处罚法》第八十五条: 工作日, 不含法定节假日);
* a period in calendar days whose last day is a rest day ends on the next working day
  (《民法典》第二百零三条第一款);
* the last day ends at 24:00 (《民法典》第二百零三条第二款), stored as 23:59:59 local time.

All results are aware datetimes in ``settings.TIME_ZONE`` (Asia/Shanghai); a naive input is read in
that zone, an aware input is converted to it before its date is taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from yingji.deadlines.choices import CalendarDayKind, CalendarSource, DayKind

#: The last day of a period ends at 24:00; stored as this local time of the last day.
END_OF_DAY = dt.time(23, 59, 59)
#: Guard against absurd inputs (about 40 years of working days).
MAX_DAYS = 10_000

_PACKAGE_FIRST_YEAR = min(chinese_calendar.holidays).year
_PACKAGE_LAST_YEAR = max(chinese_calendar.holidays).year
_HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


@cache
def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def package_years() -> range:
    """The years whose holidays the installed ``chinesecalendar`` knows."""
    return range(_PACKAGE_FIRST_YEAR, _PACKAGE_LAST_YEAR + 1)


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The calendar date of ``value`` in Asia/Shanghai (a plain date is returned as it is)."""
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    return value


def to_local(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware Asia/Shanghai datetime (naive values are read as local time)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz())
    return value.astimezone(tz())


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` (stored as 23:59:59 local time, 《民法典》第二百零三条第二款)."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=tz())


@dataclass(frozen=True)
class CalendarCoverage:
    """Whether the holidays of one year are known, and the warning to show when they are not."""

    year: int
    source: str

    @property
    def is_fallback(self) -> bool:
        return self.source == CalendarSource.FALLBACK

    @property
    def source_label(self) -> str:
        return str(CalendarSource(self.source).label)

    @property
    def message(self) -> str:
        if self.is_fallback:
            return _("%(year)d年法定节假日尚未录入，按周末推算") % {"year": self.year}
        if self.source == CalendarSource.ENTERED:
            return _("%(year)d年节假日按管理员录入的安排计算") % {"year": self.year}
        return _("%(year)d年节假日按国务院办公厅通知计算") % {"year": self.year}

    def __str__(self):
        return self.message

    def as_dict(self) -> dict:
        return {"year": self.year, "source": self.source, "message": self.message}


@dataclass(frozen=True)
class Day:
    """One date as the calendar sees it."""

    date: dt.date
    working: bool
    kind: str
    name: str
    source: str

    @property
    def kind_label(self) -> str:
        return str(DayKind(self.kind).label)

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "working": self.working,
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
        }


def _ordinary(day: dt.date, source: str) -> Day:
    if day.weekday() >= 5:
        return Day(day, False, DayKind.WEEKEND, "", source)
    return Day(day, True, DayKind.WORKDAY, "", source)


class WorkingCalendar:
    """One calendar session: reads the entered days of each year it touches once (one query per year).

    Create one per computation (the module-level functions do); it is not shared between requests, so
    an administrator's change is seen by the next computation in every process. ``fallback_years``
    collects the years that had to be counted by weekends only.
    """

    def __init__(self):
        self._entered: dict[int, dict[dt.date, tuple[str, str]]] = {}
        self.fallback_years: set[int] = set()

    # --- sources ---------------------------------------------------------------------------------
    def entered(self, year: int) -> dict[dt.date, tuple[str, str]]:
        """The days administrators entered for ``year``: {date: (kind, name)}."""
        if year not in self._entered:
            from yingji.deadlines.models import CalendarDay

            rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")
            self._entered[year] = {d: (kind, name) for d, kind, name in rows}
        return self._entered[year]

    def coverage(self, year: int) -> str:
        """``package`` (the package knows the year), ``entered`` (administrators entered days) or ``fallback``."""
        if _PACKAGE_FIRST_YEAR <= year <= _PACKAGE_LAST_YEAR:
            return CalendarSource.PACKAGE
        if self.entered(year):
            return CalendarSource.ENTERED
        return CalendarSource.FALLBACK

    def coverage_info(self, year: int) -> CalendarCoverage:
        return CalendarCoverage(year, self.coverage(year))

    def day(self, day: dt.date | dt.datetime) -> Day:
        day = local_date(day)
        override = self.entered(day.year).get(day)
        if override is not None:
            kind, name = override
            if kind == CalendarDayKind.HOLIDAY:
                return Day(day, False, DayKind.HOLIDAY, name, CalendarSource.ENTERED)
            adjusted = DayKind.ADJUSTED_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
            return Day(day, True, adjusted, name, CalendarSource.ENTERED)
        source = self.coverage(day.year)
        if source == CalendarSource.FALLBACK:
            self.fallback_years.add(day.year)
        if source != CalendarSource.PACKAGE:
            return _ordinary(day, source)
        if day in chinese_calendar.workdays:
            name = _HOLIDAY_NAMES.get(chinese_calendar.workdays[day], "")
            kind = DayKind.ADJUSTED_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
            return Day(day, True, kind, name, source)
        if day in chinese_calendar.holidays:
            return Day(
                day, False, DayKind.HOLIDAY, _HOLIDAY_NAMES.get(chinese_calendar.holidays[day], ""), source
            )
        return _ordinary(day, source)

    def is_working_day(self, day: dt.date | dt.datetime) -> bool:
        return self.day(day).working

    def next_working_day(self, day: dt.date, *, include: bool = True) -> dt.date:
        """``day`` itself when it is a working day and ``include``, else the first working day after it."""
        if not include:
            day += dt.timedelta(days=1)
        for _i in range(MAX_DAYS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no working day found")  # only with absurd entered data

    # --- counting --------------------------------------------------------------------------------
    def add_working_days(self, start: dt.date | dt.datetime, n: int) -> dt.datetime:
        """The end (24:00) of the ``n``-th working day after ``start``; the start day is not counted.

        ``n == 0`` means "the same day": the end of the start day, or of the next working day when
        the start day is a rest day.
        """
        _check_count(n)
        day = local_date(start)
        if n == 0:
            return end_of_day(self.next_working_day(day))
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return end_of_day(day)

    def working_days_between(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
        """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``).

        The inverse of :meth:`add_working_days`: ``working_days_between(s, add_working_days(s, n)) == n``.
        """
        a, b = local_date(a), local_date(b)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        if (b - a).days > MAX_DAYS:
            raise ValueError(_("日期跨度过大。"))
        count = sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + dt.timedelta(days=i)))
        return sign * count

    def add_calendar_days(self, start: dt.date | dt.datetime, n: int) -> dt.datetime:
        """The end of day ``start + n`` (start day not counted); a rest day moves it to the next working day."""
        _check_count(n)
        return end_of_day(self.next_working_day(local_date(start) + dt.timedelta(days=n)))

    def due_at(self, start, *, hours=None, working_days=None, calendar_days=None) -> dt.datetime:
        """The due time of a period given in exactly one of hours, working days or calendar days."""
        given = [v is not None for v in (hours, working_days, calendar_days)]
        if sum(given) != 1:
            raise ValueError("give exactly one of hours, working_days, calendar_days")
        if hours is not None:
            if hours < 0:
                raise ValueError(_("期限小时数不能为负数。"))
            if not isinstance(start, dt.datetime):
                start = dt.datetime.combine(start, dt.time(0, 0))
            return to_local(start) + dt.timedelta(hours=hours)
        if working_days is not None:
            return self.add_working_days(start, working_days)
        return self.add_calendar_days(start, calendar_days)

    # --- views -----------------------------------------------------------------------------------
    def year_days(self, year: int) -> list[Day]:
        day, out = dt.date(year, 1, 1), []
        while day.year == year:
            out.append(self.day(day))
            day += dt.timedelta(days=1)
        return out


def _check_count(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(_("天数须为整数。"))
    if n < 0 or n > MAX_DAYS:
        raise ValueError(_("天数须在 0 到 %(max)d 之间。") % {"max": MAX_DAYS})


# --- module-level shortcuts: one fresh calendar session per call ---------------------------------
def is_working_day(day: dt.date | dt.datetime) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: dt.date | dt.datetime, n: int) -> dt.datetime:
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    return WorkingCalendar().working_days_between(a, b)


def due_at(start, *, hours=None, working_days=None, calendar_days=None) -> dt.datetime:
    return WorkingCalendar().due_at(
        start, hours=hours, working_days=working_days, calendar_days=calendar_days
    )


def coverage(year: int) -> str:
    return WorkingCalendar().coverage(year)


def coverage_info(year: int) -> CalendarCoverage:
    return WorkingCalendar().coverage_info(year)


def coverage_warnings(years, calendar: WorkingCalendar | None = None) -> list[CalendarCoverage]:
    """The years among ``years`` whose holidays are unknown (counted by weekends), in order."""
    calendar = calendar or WorkingCalendar()
    return [info for info in (calendar.coverage_info(y) for y in sorted(set(years))) if info.is_fallback]


def relevant_years(today: dt.date, *extra_dates) -> set[int]:
    """The years a deadline page should check: this year, next year from October on (periods started
    now run into it and the State Council usually publishes its holidays in Oct–Dec), and the years
    of the given dates (e.g. the due dates of open deadlines)."""
    years = {today.year}
    if today.month >= 10:
        years.add(today.year + 1)
    years.update(local_date(d).year for d in extra_dates if d is not None)
    return years


def format_due(value: dt.datetime) -> str:
    """A due time as people read it: "2026年02月24日24时" for the end of a day, else date and time."""
    local = to_local(value)
    if local.time() == END_OF_DAY:
        return local.strftime("%Y年%m月%d日") + "24时"
    return local.strftime("%Y年%m月%d日 %H:%M")
