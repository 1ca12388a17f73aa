"""Check periods: a daily plan has one period per day, a weekly plan one per ISO week (Monday to
Sunday), a monthly plan one per calendar month. A period is identified by its first day.

Pure date arithmetic, no database: :func:`period_start`, :func:`next_period`, :func:`periods_between`
and :func:`count_periods` are what the missed-check computation (``services.missed_periods``) is built on.
"""

from __future__ import annotations

import datetime as dt

from yingji.checklists.choices import Frequency


def period_start(frequency: str, day: dt.date) -> dt.date:
    """The first day of the period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.DAILY:
        return day
    if frequency == Frequency.WEEKLY:
        return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    raise ValueError(f"unknown frequency {frequency!r}")


def next_period(frequency: str, start: dt.date) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if frequency == Frequency.DAILY:
        return start + dt.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return start + dt.timedelta(days=7)
    if frequency == Frequency.MONTHLY:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    raise ValueError(f"unknown frequency {frequency!r}")


def period_end(frequency: str, start: dt.date) -> dt.date:
    """The last day of the period starting on ``start``."""
    return next_period(frequency, start) - dt.timedelta(days=1)


def count_periods(frequency: str, first: dt.date, last: dt.date) -> int:
    """How many periods start from ``first``'s period up to and including ``last``'s (0 if last < first)."""
    a, b = period_start(frequency, first), period_start(frequency, last)
    if b < a:
        return 0
    if frequency == Frequency.DAILY:
        return (b - a).days + 1
    if frequency == Frequency.WEEKLY:
        return (b - a).days // 7 + 1
    return (b.year - a.year) * 12 + b.month - a.month + 1


def periods_between(frequency: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the periods from ``first``'s period to ``last``'s, in order."""
    out = []
    start, stop = period_start(frequency, first), period_start(frequency, last)
    while start <= stop:
        out.append(start)
        start = next_period(frequency, start)
    return out


def label(frequency: str, start: dt.date) -> str:
    """How a period is written: ``2026-11-23``, ``2026-W48``, ``2026-11``."""
    if frequency == Frequency.DAILY:
        return start.isoformat()
    if frequency == Frequency.WEEKLY:
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"
