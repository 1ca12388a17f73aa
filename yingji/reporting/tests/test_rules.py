"""The pure reporting rules at their boundaries (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from yingji.reporting import rules
from yingji.reporting.choices import RecipientLevel as L
from yingji.reporting.choices import ReportKind, ReportState

TZ = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)


def facts(**kw):
    base = {
        "category": "accident",
        "event_type": "work_safety",
        "initial_grade": "ordinary",
        "has_county": True,
        "occurred_at": T0 - H / 2,
        "started_at": T0,
    }
    base.update(kw)
    return rules.ChainFacts(**base)


def edges(steps, kind=None):
    return [(s.from_level, s.recipient_level) for s in steps if kind is None or s.kind == kind]


def test_late_is_strictly_after_the_due_time():
    due = T0 + 2 * H
    assert not rules.is_late(due, due)  # exactly at 2:00:00 is on time
    assert rules.is_late(due, due + S)
    assert not rules.is_late(due, None)
    assert not rules.is_late(None, due)


def test_missing_only_after_the_due_time_while_not_made():
    due = T0 + 2 * H
    assert not rules.is_missing(due, None, due)
    assert rules.is_missing(due, None, due + S)
    assert not rules.is_missing(due, due + H, due + 2 * H)  # made (late): no longer outstanding


def test_report_state():
    due = T0 + 2 * H
    assert rules.report_state(due, None, due) == ReportState.PENDING
    assert rules.report_state(due, None, due + S) == ReportState.OVERDUE
    assert rules.report_state(due, due, due + H) == ReportState.ON_TIME
    assert rules.report_state(due, due + S, due + H) == ReportState.LATE
    assert rules.report_state(None, due, due) == ReportState.UNTIMED


def test_unit_report_within_one_hour_of_the_accident():
    occurred = T0
    assert not rules.unit_report_late("accident", occurred, occurred + 60 * dt.timedelta(minutes=1))
    assert rules.unit_report_late("accident", occurred, occurred + dt.timedelta(minutes=60, seconds=1))
    assert rules.unit_report_late("accident", occurred, occurred + dt.timedelta(minutes=61))
    assert not rules.unit_report_late("natural", occurred, occurred + 5 * H)


def test_supplement_window_30_days_or_7_for_road_and_fire():
    assert rules.supplement_window_end("work_safety", T0) == T0 + dt.timedelta(days=30)
    assert rules.supplement_window_end("road_traffic", T0) == T0 + dt.timedelta(days=7)
    assert rules.supplement_window_end("fire", T0) == T0 + dt.timedelta(days=7)


def test_chain_length_depends_on_the_grade():
    ordinary = rules.required_reports(facts(initial_grade="ordinary"), T0)
    larger = rules.required_reports(facts(initial_grade="larger"), T0)
    major = rules.required_reports(facts(initial_grade="major"), T0)
    assert edges(ordinary) == [(L.COUNTY, L.CITY)]
    assert edges(larger) == [(L.COUNTY, L.CITY), (L.CITY, L.PROVINCE)]
    assert edges(major) == [(L.COUNTY, L.CITY), (L.CITY, L.PROVINCE), (L.CITY, L.MINISTRY)]


def test_each_level_has_two_hours_from_its_receipt():
    steps = rules.required_reports(facts(initial_grade="larger"), T0)
    county, city = steps
    assert county.due_at == T0 + 2 * H
    assert city.due_at == T0 + 4 * H  # the county's report not made yet: counted from its due time
    made = {county.key: T0 + H / 2}
    city = rules.required_reports(facts(initial_grade="larger", made=made), T0)[1]
    assert city.due_at == T0 + H / 2 + 2 * H  # the city received it at 10:30


def test_incident_at_city_level_starts_at_the_city():
    steps = rules.required_reports(facts(initial_grade="larger", has_county=False), T0)
    assert edges(steps) == [(L.CITY, L.PROVINCE)]
    assert steps[0].due_at == T0 + 2 * H


def test_more_deaths_extend_the_chain_to_the_province():
    change = rules.Change(T0 + 5 * H, 3, "larger")
    steps = rules.required_reports(facts(changes=[change]), T0 + 6 * H)
    extension = [s for s in steps if s.rule.startswith("accident.change")]
    assert [(s.kind, s.from_level, s.recipient_level) for s in extension] == [
        (ReportKind.CONTINUED, L.COUNTY, L.CITY),
        (ReportKind.INITIAL, L.CITY, L.PROVINCE),
    ]
    assert extension[0].due_at == change.at + 2 * H
    assert extension[1].due_at == change.at + 4 * H


def test_casualty_change_after_the_window_requires_no_report():
    occurred = T0 - H / 2
    inside = rules.Change(occurred + dt.timedelta(days=7), 2, "ordinary")
    outside = rules.Change(occurred + dt.timedelta(days=7) + S, 2, "ordinary")
    road = {"event_type": "road_traffic"}
    assert any(
        s.kind == ReportKind.CONTINUED for s in rules.required_reports(facts(changes=[inside], **road), T0)
    )
    assert not any(
        s.kind == ReportKind.CONTINUED for s in rules.required_reports(facts(changes=[outside], **road), T0)
    )
    # 30 days for other accidents
    assert any(s.kind == ReportKind.CONTINUED for s in rules.required_reports(facts(changes=[outside]), T0))
    day30 = rules.Change(occurred + dt.timedelta(days=30), 2, "ordinary")
    day30_late = rules.Change(occurred + dt.timedelta(days=30) + S, 2, "ordinary")
    assert any(s.kind == ReportKind.CONTINUED for s in rules.required_reports(facts(changes=[day30]), T0))
    assert not [
        s for s in rules.required_reports(facts(changes=[day30_late]), T0) if s.kind == ReportKind.CONTINUED
    ]


def natural(**kw):
    return facts(category="natural", event_type="flood", **kw)


def test_natural_initial_report_two_hours_from_the_disaster_then_per_level():
    # §6: the county reports 灾害发生后2小时内 — from the occurrence, not from the first information
    occurred = T0 - H / 2
    steps = rules.required_reports(natural(occurred_at=occurred), T0)
    assert edges(steps, ReportKind.INITIAL) == [(L.COUNTY, L.CITY), (L.CITY, L.PROVINCE)]
    county, city = [s for s in steps if s.kind == ReportKind.INITIAL]
    assert county.due_at == occurred + 2 * H
    assert city.due_at == occurred + 4 * H  # the county's report not made: from its due time
    assert rules.report_state(county.due_at, None, occurred + 2 * H) == ReportState.PENDING
    assert rules.report_state(county.due_at, None, occurred + 2 * H + S) == ReportState.OVERDUE
    made = {county.key: T0}  # the city received the county's report at T0: 2 hours from then
    steps = rules.required_reports(natural(occurred_at=occurred, made=made), T0)
    assert [s.due_at for s in steps if s.kind == ReportKind.INITIAL] == [occurred + 2 * H, T0 + 2 * H]


def test_natural_initial_report_received_late_is_already_due():
    occurred = T0 - 3 * H  # the information arrives 3 hours after the disaster
    (county, _city) = rules.required_reports(natural(occurred_at=occurred), T0)
    assert county.due_at == occurred + 2 * H < T0


def test_direct_report_at_ten_dead_and_missing():
    nine = rules.required_reports(natural(initial_dead_missing=9), T0)
    ten = rules.required_reports(natural(initial_dead_missing=10), T0)
    assert not [s for s in nine if s.rule == "natural.direct"]
    direct = [s for s in ten if s.rule == "natural.direct"]
    assert edges(direct) == [(L.COUNTY, L.PROVINCE), (L.COUNTY, L.MINISTRY)]
    assert all(s.due_at == T0 - H / 2 + 2 * H for s in direct)  # 2 hours from the disaster


def test_direct_report_when_a_later_figure_reaches_ten():
    change = rules.Change(T0 + 3 * H, 10, "ordinary")
    steps = rules.required_reports(natural(initial_dead_missing=4, changes=[change]), T0 + 4 * H)
    direct = [s for s in steps if s.rule == "natural.direct"]
    assert [s.due_at for s in direct] == [change.at + 2 * H] * 2


def test_daily_continued_reports_county_9_city_10():
    now = dt.datetime(2026, 6, 3, 8, 0, tzinfo=TZ)
    steps = [s for s in rules.required_reports(natural(), now) if s.kind == ReportKind.CONTINUED]
    # 6-2 and 6-3 (a day's reports are required from 00:00 of that day), not yet 6-4
    days = sorted({s.due_at.date() for s in steps})
    assert days == [dt.date(2026, 6, 2), dt.date(2026, 6, 3)]
    june2 = [s for s in steps if s.due_at.date() == dt.date(2026, 6, 2)]
    assert {(s.from_level, s.due_at.time()) for s in june2} == {(L.COUNTY, dt.time(9)), (L.CITY, dt.time(10))}
    assert all(s.period_date == dt.date(2026, 6, 1) for s in june2)  # data up to 24:00 of the day before


def test_daily_reports_stop_when_stabilised_and_verified_reports_follow():
    stabilised = dt.datetime(2026, 6, 3, 8, 0, tzinfo=TZ)
    now = dt.datetime(2026, 6, 10, 8, 0, tzinfo=TZ)

    def add_days(start, n):  # a plain calendar for the test: n days later, 24:00
        return dt.datetime.combine(start.date() + dt.timedelta(days=n), dt.time(23, 59, 59), tzinfo=TZ)

    steps = rules.required_reports(natural(stabilised_at=stabilised), now, add_working_days=add_days)
    daily = {s.due_at.date() for s in steps if s.kind == ReportKind.CONTINUED}
    assert daily == {dt.date(2026, 6, 2)}  # 6-3 09:00 is after the stabilisation at 08:00
    verified = [s for s in steps if s.kind == ReportKind.VERIFIED]
    assert edges(verified) == [(L.COUNTY, L.CITY), (L.CITY, L.PROVINCE)]
    assert verified[0].due_at.date() == dt.date(2026, 6, 8)  # 5 days (default, configurable)
    assert verified[1].due_at.date() == dt.date(2026, 6, 11)  # then 3 days


def test_drought_reports_every_ten_days(settings):
    now = dt.datetime(2026, 6, 25, 8, 0, tzinfo=TZ)
    steps = rules.required_reports(facts(category="natural", event_type="drought"), now)
    days = sorted({s.due_at.date() for s in steps if s.kind == ReportKind.CONTINUED})
    assert days == [dt.date(2026, 6, 2), dt.date(2026, 6, 12), dt.date(2026, 6, 22)]


def test_other_categories_use_the_configurable_default(settings):
    steps = rules.required_reports(facts(category="health", event_type="infectious"), T0)
    assert edges(steps) == [(L.COUNTY, L.CITY)]
    assert steps[0].due_at == T0 + 2 * H
    settings.REPORTING_RULES = {"other_hours": 1}
    assert rules.required_reports(facts(category="health", event_type="infectious"), T0)[0].due_at == T0 + H
