"""Reporting timeliness figures for a place and a month (used by the duty app's monthly evaluation
and the 报送督查 page).

``report_stats(place, month)`` counts the *required* upward reports whose sender (``from_place``)
is ``place`` and whose due time falls in the month of ``month`` (any date of it) and has passed:

- ``due``: reports that had to be made (due time in the month and already passed);
- ``on_time``: made by the due time;
- ``late`` (迟报): made after the due time;
- ``missing`` (漏报): not made yet (still outstanding after the due time);
- ``incomplete``: made reports lacking a required content element (493号令 第十二条 for accidents).

``on_time + late + missing == due``. A report that was flagged 漏报 and then made counts as late.
"""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from yingji.reporting.choices import ReportState
from yingji.reporting.models import UpwardReport
from yingji.reporting.rules import TZ


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the days ``first`` to ``last`` in local time (Asia/Shanghai)."""
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=TZ),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=TZ),
    )


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month of ``month`` in local time (Asia/Shanghai)."""
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return day_bounds(first, nxt - dt.timedelta(days=1))


def state_q(state: str, now=None) -> Q:
    """The reports in ``state`` (``rules.report_state`` as a query); ``now`` for pending and overdue."""
    if state == ReportState.ON_TIME:
        return Q(reported_at__isnull=False, reported_at__lte=F("due_at"))
    if state == ReportState.LATE:
        return Q(reported_at__gt=F("due_at"))
    if state == ReportState.UNTIMED:
        return Q(reported_at__isnull=False, due_at__isnull=True)
    if state == ReportState.OVERDUE:
        return Q(reported_at__isnull=True, due_at__lt=now)
    return Q(reported_at__isnull=True) & (Q(due_at__isnull=True) | Q(due_at__gte=now))


def flagged_q(now) -> Q:
    """Required reports late (迟报), once missed or missing now (漏报): the supervision's list."""
    return Q(required=True) & (Q(late=True) | Q(missed=True) | state_q(ReportState.OVERDUE, now))


def incomplete_q() -> Q:
    """Made reports lacking content: any report without 时间地点现场情况 or 简要经过; accidents also
    without 事故单位概况 or 已采取的措施 (493号令 第十二条 ①②③⑤)."""
    base = Q(time_place_scene="") | Q(course="")
    accident = Q(incident__category="accident") & (Q(unit_overview="") | Q(measures=""))
    return Q(reported_at__isnull=False) & (base | accident)


def passed_due(now) -> Q:
    """Required reports whose due time has passed: at the due time exactly a report not yet made is
    still pending, not missing (``rules.is_missing``), so it is not counted yet."""
    return Q(required=True, due_at__lt=now)


def counts() -> dict:
    """The five figures as conditional counts of one aggregate query (over :func:`passed_due` rows)."""
    return {
        "due": Count("pk"),
        "on_time": Count("pk", filter=state_q(ReportState.ON_TIME)),
        "late": Count("pk", filter=state_q(ReportState.LATE)),
        "missing": Count("pk", filter=Q(reported_at__isnull=True)),
        "incomplete": Count("pk", filter=incomplete_q()),
    }


def stats_for(queryset, *, now=None) -> dict:
    now = now or timezone.now()
    return queryset.filter(passed_due(now)).aggregate(**counts())


def report_stats(place, month: dt.date, *, now=None) -> dict:
    """Counts of the upward reports ``place`` had to make in the month of ``month``:
    ``{"due", "on_time", "late", "missing", "incomplete"}`` (see the module docstring)."""
    return report_stats_by_place([place], month, now=now)[place.pk]


def report_stats_by_place(places, month: dt.date, *, now=None) -> dict[int, dict]:
    """:func:`report_stats` for many places in one query: ``{place_id: counts}`` (zeros included)."""
    now = now or timezone.now()
    start, end = month_bounds(month)
    ids = [p.pk for p in places]
    out = {pk: {"due": 0, "on_time": 0, "late": 0, "missing": 0, "incomplete": 0} for pk in ids}
    rows = (
        UpwardReport.objects.filter(passed_due(now), from_place__in=ids, due_at__gte=start, due_at__lt=end)
        .values("from_place")
        .annotate(**counts())
        .order_by()
    )
    for row in rows:
        out[row.pop("from_place")] = row
    return out
