"""The reporting rules (pure functions, no database): which upward reports an incident requires,
when each is due, and whether a report was late (迟报) or missing (漏报).

Sources (see docs/reporting.md):
- 生产安全事故: 《生产安全事故报告和调查处理条例》(国务院令第493号) 第九条 (unit → 县级以上应急管理部门
  within 1 hour), 第十条 (how far up by grade), 第十一条 (≤ 2 hours per level), 第十二条 (contents),
  第十三条 (补报 of casualty changes within 30 days, 7 for road traffic and fire).
- 自然灾害: 《自然灾害情况统计调查制度》(应急〔2020〕19号) and provincial plans: 初报 by the county within
  2 hours of the disaster, then within 2 hours of receipt per level; direct report to the province and
  the ministry at ≥ 10 dead + missing; daily 续报 (county 09:00, city 10:00, data to 24:00 of the
  previous day); 核报 in working days after stabilisation.
- Other categories: a configurable default (``REPORTING_RULES["other_hours"]``), like a general
  accident chain.

Definitions: **迟报** = a report made after its due time (``reported_at > due_at``; made exactly at
the due time is on time). **漏报** = a required report not made by its due time; while outstanding
it shows as 漏报 (overdue) and the periodic check stores the flag, which stays when the report is
finally made (then it is also 迟报).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.conf import settings

from yingji.incidents.choices import SHORT_SUPPLEMENT_WINDOW, Category, EventType, Grade
from yingji.reporting.choices import RecipientLevel, ReportKind, ReportState

TZ = ZoneInfo("Asia/Shanghai")
HOUR = dt.timedelta(hours=1)

#: 493号令 第九条: the unit reports to the county-level emergency department within 1 hour
UNIT_REPORT_HOURS = 1
#: 493号令 第十一条 / 应急〔2020〕19号: each level passes a report up within 2 hours of receiving it
LEVEL_HOURS = 2
#: 493号令 第十三条: casualty changes are reported within 30 days (7 for road traffic and fire)
SUPPLEMENT_DAYS, SHORT_SUPPLEMENT_DAYS = 30, 7
#: 应急〔2020〕19号 (§6): direct report to the province and the ministry at ≥ 10 dead + missing
DIRECT_REPORT_DEAD_MISSING = 10

#: Configurable defaults (override with settings.REPORTING_RULES = {...}). [U] = unverified, see docs.
DEFAULTS = {
    # 续报 of natural disasters: county by 09:00, city by 10:00 (data to 24:00 of the previous day)
    "natural_daily_county": dt.time(9, 0),
    "natural_daily_city": dt.time(10, 0),
    # drought: 续报 every 10 days instead of daily
    "drought_interval_days": 10,
    # 核报 [U]: working days after stabilisation, county → city, then city → province
    "verified_working_days_county": 5,
    "verified_working_days_city": 3,
    # 重大/特别重大 accidents: the city also reports directly (越级, 493号令 第十条 last paragraph) to the
    # ministry at the same time as to the province (platform default, can be switched off)
    "accident_city_direct_to_ministry": True,
    # other categories (公共卫生, 社会安全): hours per level and the levels by grade (like accidents)
    "other_hours": 2,
}


def setting(name):
    return getattr(settings, "REPORTING_RULES", {}).get(name, DEFAULTS[name])


# --- the basic predicates ----------------------------------------------------------------------
def is_late(due_at: dt.datetime | None, reported_at: dt.datetime | None) -> bool:
    """迟报: made after the due time (exactly at the due time is on time)."""
    return due_at is not None and reported_at is not None and reported_at > due_at


def is_missing(due_at: dt.datetime | None, reported_at: dt.datetime | None, now: dt.datetime) -> bool:
    """漏报 (now): a required report not made and its due time passed (at the due time exactly: not yet)."""
    return due_at is not None and reported_at is None and now > due_at


def report_state(due_at, reported_at, now) -> str:
    if reported_at is None:
        return ReportState.OVERDUE if is_missing(due_at, reported_at, now) else ReportState.PENDING
    if due_at is None:
        return ReportState.UNTIMED
    return ReportState.LATE if is_late(due_at, reported_at) else ReportState.ON_TIME


def unit_report_due(occurred_at: dt.datetime) -> dt.datetime:
    """493号令 第九条: the accident unit reports to the county-level emergency department within 1 hour."""
    return occurred_at + UNIT_REPORT_HOURS * HOUR


def unit_report_late(category: str, occurred_at, received_at) -> bool:
    """An accident first received more than 1 hour after it happened: the unit reported late."""
    return category == Category.ACCIDENT and is_late(unit_report_due(occurred_at), received_at)


def supplement_window_end(event_type: str, occurred_at: dt.datetime) -> dt.datetime:
    """493号令 第十三条: casualty changes within 30 days (7 for road traffic / fire) must be 补报."""
    days = SHORT_SUPPLEMENT_DAYS if event_type in SHORT_SUPPLEMENT_WINDOW else SUPPLEMENT_DAYS
    return occurred_at + dt.timedelta(days=days)


def accident_levels(grade: str) -> list[str]:
    """493号令 第十条: how far up an accident is reported: 一般 → 设区的市级, 较大 → 省级,
    重大/特别重大 → 国务院应急管理部门 (levels above the city are outside the platform)."""
    if grade == Grade.ORDINARY:
        return [RecipientLevel.CITY]
    if grade == Grade.LARGER:
        return [RecipientLevel.CITY, RecipientLevel.PROVINCE]
    return [RecipientLevel.CITY, RecipientLevel.PROVINCE, RecipientLevel.MINISTRY]


# --- the chain ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One required report: from a level of the platform (``county`` or ``city``) to a level."""

    kind: str
    from_level: str
    recipient_level: str
    due_at: dt.datetime
    rule: str  # key: identifies the obligation (stable across recomputations)
    basis: str
    period_date: dt.date | None = None

    @property
    def key(self) -> tuple:
        return (self.rule, self.from_level, self.recipient_level)


@dataclass
class Change:
    """A change of the figures seen on the incident (at ``at``): new dead+missing and grade."""

    at: dt.datetime
    dead_missing: int
    grade: str


@dataclass
class ChainFacts:
    """What the rules need to know about an incident."""

    category: str
    event_type: str
    initial_grade: str  # grade of the first information
    has_county: bool  # the incident lies in a county (else at the city level itself)
    occurred_at: dt.datetime
    started_at: dt.datetime  # first information received
    initial_dead_missing: int = 0
    #: later figure changes, oldest first (the first information's figures are the start)
    changes: list[Change] = field(default_factory=list)
    stabilised_at: dt.datetime | None = None  # natural disasters: 灾情稳定
    #: reports already made: key -> reported_at (so the next level's clock starts at receipt)
    made: dict = field(default_factory=dict)


A_BASIS_9_11 = "493号令第十条、第十一条"
A_BASIS_13 = "493号令第十三条"
N_BASIS = "应急〔2020〕19号"


def _hop_chain(
    facts: ChainFacts, *, kind, rule, start, levels, hours, basis, direct_ministry=False
) -> list[Step]:
    """Level-by-level chain from the county (or the city) up to ``levels``; each level has
    ``hours`` from its receipt (the lower level's report when made, else its due time)."""
    steps = []
    hop = dt.timedelta(hours=hours)
    city_receipt = start
    if facts.has_county:
        s = Step(kind, RecipientLevel.COUNTY, RecipientLevel.CITY, start + hop, rule, basis)
        steps.append(s)
        city_receipt = facts.made.get(s.key) or s.due_at
    if RecipientLevel.PROVINCE in levels:
        steps.append(
            Step(kind, RecipientLevel.CITY, RecipientLevel.PROVINCE, city_receipt + hop, rule, basis)
        )
    if RecipientLevel.MINISTRY in levels and direct_ministry:
        steps.append(
            Step(kind, RecipientLevel.CITY, RecipientLevel.MINISTRY, city_receipt + hop, rule, basis)
        )
    return steps


def _accident_like(facts: ChainFacts, now: dt.datetime) -> list[Step]:
    is_accident = facts.category == Category.ACCIDENT
    hours = LEVEL_HOURS if is_accident else setting("other_hours")
    basis = A_BASIS_9_11 if is_accident else "平台默认规则"
    prefix = "accident" if is_accident else "other"
    direct = bool(setting("accident_city_direct_to_ministry"))
    first_grade = facts.initial_grade
    steps = _hop_chain(
        facts,
        kind=ReportKind.INITIAL,
        rule=f"{prefix}.initial",
        start=facts.started_at,
        levels=accident_levels(first_grade),
        hours=hours,
        basis=basis,
        direct_ministry=direct,
    )
    window_end = supplement_window_end(facts.event_type, facts.occurred_at) if is_accident else None
    reached = set(accident_levels(first_grade))
    for change in facts.changes:
        if is_accident and change.at > window_end:
            continue  # after the 补报 window (493号令 第十三条) a change requires no report
        new_levels = {lv for lv in accident_levels(change.grade) if lv not in reached}
        if not is_accident and not new_levels:
            continue  # other categories: only a higher grade requires a report
        stamp = change.at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
        for s in _hop_chain(
            facts,
            kind=ReportKind.CONTINUED,
            rule=f"{prefix}.change@{stamp}",
            start=change.at,
            levels=reached | new_levels,
            hours=hours,
            basis=A_BASIS_13 if is_accident else basis,
            direct_ministry=direct,
        ):
            # a level reached for the first time gets a 首报 (the chain extends, 493号令 第十条)
            steps.append(replace(s, kind=ReportKind.INITIAL) if s.recipient_level in new_levels else s)
        reached |= new_levels
    return steps


def daily_times(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The due times of the daily natural-disaster 续报 on ``day``: (county, city)."""
    county = dt.datetime.combine(day, setting("natural_daily_county"), tzinfo=TZ)
    city = dt.datetime.combine(day, setting("natural_daily_city"), tzinfo=TZ)
    return county, city


def _natural(facts: ChainFacts, now: dt.datetime, add_working_days: Callable | None) -> list[Step]:
    # 初报: the county reports within 2 hours of the disaster itself (灾害发生后2小时内, not of the first
    # information as for accidents); the city and the province each within 2 hours of their receipt
    steps = _hop_chain(
        facts,
        kind=ReportKind.INITIAL,
        rule="natural.initial",
        start=facts.occurred_at,
        levels=[RecipientLevel.CITY, RecipientLevel.PROVINCE],
        hours=LEVEL_HOURS,
        basis=N_BASIS + " 初报",
    )
    # ≥ 10 dead + missing: the county reports at the same time directly to the province and ministry
    severe_at = None
    if facts.initial_dead_missing >= DIRECT_REPORT_DEAD_MISSING:
        severe_at = facts.occurred_at  # also 灾害发生后2小时内; a later count: 2 hours from the change
    else:
        for change in facts.changes:
            if change.dead_missing >= DIRECT_REPORT_DEAD_MISSING:
                severe_at = change.at
                break
    if severe_at is not None:
        sender = RecipientLevel.COUNTY if facts.has_county else RecipientLevel.CITY
        for level in (RecipientLevel.PROVINCE, RecipientLevel.MINISTRY):
            if sender == RecipientLevel.CITY and level == RecipientLevel.PROVINCE:
                continue  # the city reports to the province anyway
            steps.append(
                Step(
                    ReportKind.INITIAL,
                    sender,
                    level,
                    severe_at + LEVEL_HOURS * HOUR,
                    "natural.direct",
                    N_BASIS + " 死亡失踪10人以上直报",
                )
            )
    # 续报: daily (drought every 10 days) until the disaster is stabilised, and not in the future
    interval = setting("drought_interval_days") if facts.event_type == EventType.DROUGHT else 1
    first_day = facts.started_at.astimezone(TZ).date() + dt.timedelta(days=1)
    today = now.astimezone(TZ).date()
    day = first_day
    while day <= today:  # a day's 续报 is required from 00:00 of that day (its data end then)
        county_due, city_due = daily_times(day)
        if facts.stabilised_at is not None and county_due > facts.stabilised_at:
            break
        period = day - dt.timedelta(days=1)
        rule = f"natural.daily@{day:%Y%m%d}"
        if facts.has_county:
            s = Step(
                ReportKind.CONTINUED,
                RecipientLevel.COUNTY,
                RecipientLevel.CITY,
                county_due,
                rule,
                N_BASIS + " 续报",
                period,
            )
            steps.append(s)
        steps.append(
            Step(
                ReportKind.CONTINUED,
                RecipientLevel.CITY,
                RecipientLevel.PROVINCE,
                city_due,
                rule,
                N_BASIS + " 续报",
                period,
            )
        )
        day += dt.timedelta(days=interval)
    # 核报 after stabilisation (working days, configurable [U])
    if facts.stabilised_at is not None and add_working_days is not None:
        city_receipt = facts.stabilised_at
        if facts.has_county:
            s = Step(
                ReportKind.VERIFIED,
                RecipientLevel.COUNTY,
                RecipientLevel.CITY,
                add_working_days(facts.stabilised_at, setting("verified_working_days_county")),
                "natural.verified",
                N_BASIS + " 核报",
            )
            steps.append(s)
            city_receipt = facts.made.get(s.key) or s.due_at
        steps.append(
            Step(
                ReportKind.VERIFIED,
                RecipientLevel.CITY,
                RecipientLevel.PROVINCE,
                add_working_days(city_receipt, setting("verified_working_days_city")),
                "natural.verified",
                N_BASIS + " 核报",
            )
        )
    return steps


def required_reports(
    facts: ChainFacts, now: dt.datetime, *, add_working_days: Callable | None = None
) -> list[Step]:
    """Every report the incident requires up to ``now`` (daily 续报 up to the next day), by rule."""
    if facts.category == Category.NATURAL:
        return _natural(facts, now, add_working_days)
    return _accident_like(facts, now)
