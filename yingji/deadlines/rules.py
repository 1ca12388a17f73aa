"""The registry of deadline rules (期限规则).

A domain module registers each kind of due date it tracks once, from its ``AppConfig.ready()``::

    from datetime import timedelta
    from yingji.deadlines.rules import register_rule

    register_rule(
        "hazards.rectify_general", "一般隐患整改", working_days=10,
        remind_before=timedelta(days=2), escalate_after=timedelta(days=1),
        source="《安全生产事故隐患排查治理暂行规定》第十五条",
    )

and then calls :func:`yingji.deadlines.services.track` with ``rule="hazards.rectify_general"``. The
rule code is stored on every :class:`~yingji.deadlines.models.Deadline`; the period, reminder and
escalation offsets are applied when the deadline is tracked (and stored on it), so changing a rule
affects deadlines tracked afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yingji.deadlines import calendar

#: Reminders and escalations of day-based periods are sent at this local hour, never at night.
NOTIFY_HOUR = 8


@dataclass(frozen=True)
class Rule:
    """One kind of due date: its period (hours, working days or calendar days — or none, when the
    due time is always given by the caller), when to remind and when to escalate."""

    code: str
    label: str
    hours: float | None = None
    working_days: int | None = None
    calendar_days: int | None = None
    #: remind the responsible person this long before the due time (None: no reminder)
    remind_before: dt.timedelta | None = dt.timedelta(days=1)
    #: escalate to the supervisor this long after the due time has passed
    escalate_after: dt.timedelta = dt.timedelta(0)
    #: the legal or policy source of the period, shown in the docs and on the deadline page
    source: str = ""

    @property
    def has_period(self) -> bool:
        return any(v is not None for v in (self.hours, self.working_days, self.calendar_days))

    @property
    def day_based(self) -> bool:
        return self.working_days is not None or self.calendar_days is not None

    @property
    def period_label(self) -> str:
        if self.hours is not None:
            return f"{self.hours:g}小时"
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        if self.calendar_days is not None:
            return f"{self.calendar_days}日"
        return "按指定时间"

    def due_at(self, start, cal: calendar.WorkingCalendar | None = None) -> dt.datetime:
        """The due time of a period of this rule starting at ``start``."""
        if not self.has_period:
            raise ValueError(f"rule {self.code} has no period: give the due time")
        cal = cal or calendar.WorkingCalendar()
        return cal.due_at(
            start, hours=self.hours, working_days=self.working_days, calendar_days=self.calendar_days
        )


_rules: dict[str, Rule] = {}


def register_rule(
    code: str,
    label: str,
    *,
    hours=None,
    working_days=None,
    calendar_days=None,
    remind_before: dt.timedelta | None = dt.timedelta(days=1),
    escalate_after: dt.timedelta = dt.timedelta(0),
    source: str = "",
) -> Rule:
    """Register (or identically re-register) a rule; a different rule under a taken code is an error."""
    if sum(v is not None for v in (hours, working_days, calendar_days)) > 1:
        raise ValueError(f"rule {code}: give at most one of hours, working_days, calendar_days")
    for name, value in (("working_days", working_days), ("calendar_days", calendar_days)):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValueError(f"rule {code}: {name} must be a non-negative integer")
    if hours is not None and hours < 0:
        raise ValueError(f"rule {code}: hours must not be negative")
    if escalate_after < dt.timedelta(0):
        raise ValueError(f"rule {code}: escalate_after must not be negative")
    rule = Rule(code, str(label), hours, working_days, calendar_days, remind_before, escalate_after, source)
    existing = _rules.get(code)
    if existing is not None and existing != rule:
        raise ValueError(f"deadline rule {code!r} is already registered with a different definition")
    _rules[code] = rule
    return rule


def unregister_rule(code: str) -> None:
    """Remove a rule (tests; a module being retired). Deadlines keep their stored times."""
    _rules.pop(code, None)


def get_rule(code: str) -> Rule:
    try:
        return _rules[code]
    except KeyError:
        raise LookupError(f"unknown deadline rule {code!r}: register it with register_rule()") from None


def find_rule(code: str) -> Rule | None:
    return _rules.get(code)


def all_rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: r.code)


def rule_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered rule, for forms, filters and ``get_rule_display``."""
    return [(r.code, r.label) for r in all_rules()]


def remind_time(rule: Rule | None, due: dt.datetime, *, day_based: bool) -> dt.datetime | None:
    """When to remind: ``due - remind_before``; for day-based periods at 08:00 of that date."""
    before = rule.remind_before if rule else dt.timedelta(days=1)
    if before is None:
        return None
    at = calendar.to_local(due - before)
    if day_based:
        at = at.replace(hour=NOTIFY_HOUR, minute=0, second=0, microsecond=0)
    return at


def escalate_time(rule: Rule | None, due: dt.datetime, *, day_based: bool) -> dt.datetime:
    """When to escalate: ``due + escalate_after``; for day-based periods the next 08:00 at or after it."""
    after = rule.escalate_after if rule else dt.timedelta(0)
    at = calendar.to_local(due + after)
    if day_based:
        morning = at.replace(hour=NOTIFY_HOUR, minute=0, second=0, microsecond=0)
        at = morning if morning >= at else morning + dt.timedelta(days=1)
    return at
