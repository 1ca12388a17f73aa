import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yingji.deadlines.models import Deadline
from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.incidents import services as incident_services
from yingji.incidents.models import Incident, TimelineEntry
from yingji.reporting import services, stats
from yingji.reporting.models import IncomingInfo, UpwardReport

TZ = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)
H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)

pytestmark = pytest.mark.django_db


def required(incident, **kw):
    return list(UpwardReport.objects.filter(incident=incident, required=True, **kw).order_by("due_at", "pk"))


@time_machine.travel(T0, tick=False)
def test_record_incoming_creates_the_incident_and_the_chain(record, region, county_duty):
    info = record(occurred_at=T0 - H / 2, received_at=T0, deaths=1)
    incident = info.incident
    assert incident.title == "崇川区0镇0村工矿商贸生产安全事故"
    assert incident.deaths == 1 and incident.grade == "ordinary"
    assert info.received_by == county_duty and info.category == "accident"
    (report,) = required(incident)
    assert (report.from_place, report.to_place, report.kind) == (region["county0"], region["city"], "initial")
    assert report.due_at == T0 + 2 * H
    deadline = Deadline.objects.get(rule=services.DEADLINE_RULE, object_id=str(report.pk))
    assert deadline.due_at == T0 + 2 * H and deadline.status == "open"


@time_machine.travel(T0, tick=False)
def test_record_incoming_links_an_existing_incident_and_takes_higher_counts(record):
    first = record(occurred_at=T0 - H, received_at=T0 - H / 2, deaths=1)
    incident = first.incident
    second = record(incident=incident, received_at=T0, deaths=3, source="120", description="又发现2名遇难者")
    incident.refresh_from_db()
    assert second.incident == incident and Incident.objects.count() == 1
    assert incident.deaths == 3 and incident.grade == "larger"  # 493号令 第三条: 3 deaths
    kinds = set(TimelineEntry.objects.filter(incident=incident).values_list("kind", flat=True))
    assert {"info", "casualties", "grade"} <= kinds
    # the chain extends: 续报 county → city and a first report city → province
    edges = {(r.kind, r.from_place.level, r.recipient_level) for r in required(incident)}
    assert ("continued", "county", "city") in edges
    assert ("initial", "city", "province") in edges
    # a lower count does not lower the incident's
    record(incident=incident, received_at=T0, deaths=2)
    incident.refresh_from_db()
    assert incident.deaths == 3


@time_machine.travel(T0, tick=False)
def test_taken_over_figures_are_written_like_an_edit_on_the_incident_page(record):
    incident = record(occurred_at=T0 - H, received_at=T0 - H, deaths=1).incident
    record(incident=incident, received_at=T0 - H / 2, deaths=3, source="120")
    incident.refresh_from_db()
    casualties = TimelineEntry.objects.get(incident=incident, kind="casualties")
    assert casualties.text == incident_services.casualty_line(incident)
    assert casualties.at == T0 - H / 2  # when the information came in, not when it was entered
    grade = TimelineEntry.objects.get(incident=incident, kind="grade")
    assert grade.text == "等级由一般调整为较大" and grade.at == T0 - H / 2


def test_record_incoming_refuses_bad_input_with_nothing_written(record, region):
    with pytest.raises(ValidationError) as exc:
        record(occurred_at=dt.datetime.now(TZ) + H)
    assert "occurred_at" in exc.value.error_dict
    assert not IncomingInfo.objects.exists() and not Incident.objects.exists()


def test_record_incoming_outside_scope_is_refused(record, region):
    with pytest.raises(AccessDenied):
        record(place=region["village100"])
    assert not Incident.objects.exists()


def test_unit_late_flag_at_one_hour(record):
    on_time = record(occurred_at=T0 - 60 * dt.timedelta(minutes=1), received_at=T0)
    late = record(occurred_at=T0 - dt.timedelta(minutes=60, seconds=1), received_at=T0)
    assert not on_time.unit_late and late.unit_late


def test_report_on_time_at_the_due_time_and_late_one_second_after(record, county_duty):
    with time_machine.travel(T0, tick=False):
        a = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
        b = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
    with time_machine.travel(T0 + 2 * H, tick=False):
        services.make_report(a, actor=county_duty, time_place_scene="x", course="y")
    with time_machine.travel(T0 + 2 * H + S, tick=False):
        services.make_report(b, actor=county_duty, time_place_scene="x", course="y")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.late, a.state) == (False, "on_time")
    assert (b.late, b.state) == (True, "late")
    assert Deadline.objects.get(object_id=str(a.pk), rule=services.DEADLINE_RULE).status == "met"


def test_missing_report_flagged_by_the_periodic_check_and_kept_when_made(record, county_duty):
    with time_machine.travel(T0, tick=False):
        report = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
    services.check_reports(now=T0 + 2 * H)
    report.refresh_from_db()
    assert not report.missed  # exactly at the due time: not yet
    services.check_reports(now=T0 + 2 * H + S)
    report.refresh_from_db()
    assert report.missed and report.missed_marked_at == T0 + 2 * H + S
    with time_machine.travel(T0 + 5 * H, tick=False):
        services.make_report(report, actor=county_duty)
    report.refresh_from_db()
    assert report.late and report.missed and report.state == "late"


def test_a_report_recorded_after_the_check_but_made_in_time_was_never_missing(record, county_duty):
    """Made by phone at 1:30 and entered at 5:00: on time, and the 漏报 flag of the 2:00:01 check goes."""
    with time_machine.travel(T0, tick=False):
        report = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
    services.check_reports(now=T0 + 2 * H + S)
    report.refresh_from_db()
    assert report.missed
    with time_machine.travel(T0 + 5 * H, tick=False):
        services.make_report(report, actor=county_duty, reported_at=T0 + H + H / 2)
    report.refresh_from_db()
    assert not report.late and not report.missed and report.missed_marked_at is None
    assert report.state == "on_time"


def test_department_report_is_copied_to_the_same_level_bureau(record, region, make_department, make_user):
    bureau = make_department(place=region["county0"], name="崇川区应急管理局", kind="emergency")
    housing = make_department(place=region["county0"], name="崇川区住建局", kind="industry")
    officer = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=housing)
    incident = record().incident
    report = services.make_report(
        actor=officer,
        incident=incident,
        kind="initial",
        from_place=region["county0"],
        from_department=housing,
        recipient_level="city",
        time_place_scene="工地",
        course="坍塌",
    )
    assert bureau in report.copies.all()
    assert not report.required and report.from_department == housing
    # a department officer cannot report in another department's name
    other = make_department(place=region["county0"], name="崇川区交通局")
    with pytest.raises(AccessDenied):
        services.make_report(
            actor=officer,
            incident=incident,
            kind="initial",
            from_place=region["county0"],
            from_department=other,
            recipient_level="city",
        )


def test_town_officer_cannot_report_for_the_county(record, region, make_user):
    town = make_user(Role.DUTY_OFFICER, place=region["town00"])
    report = required(record().incident)[0]
    with pytest.raises(AccessDenied):
        services.make_report(report, actor=town)


def test_report_made_twice_is_refused(record, county_duty):
    report = required(record().incident)[0]
    services.make_report(report, actor=county_duty)
    with pytest.raises(ValidationError):
        services.make_report(report, actor=county_duty)


def test_report_with_more_deaths_extends_the_chain(record, county_duty, city_duty):
    with time_machine.travel(T0, tick=False):
        incident = record(occurred_at=T0 - H / 2, received_at=T0, deaths=1).incident
        report = required(incident)[0]
    with time_machine.travel(T0 + H, tick=False):
        services.make_report(report, actor=county_duty, deaths=10)
    incident.refresh_from_db()
    assert incident.grade == "major"
    levels = {r.recipient_level for r in required(incident, kind="initial")}
    assert levels == {"city", "province", "ministry"}


def test_natural_disaster_daily_reports_and_stabilisation(record, region, county_duty):
    with time_machine.travel(T0, tick=False):
        incident = record(event_type="flood", occurred_at=T0 - H, received_at=T0).incident
    services.check_reports(now=dt.datetime(2026, 6, 2, 0, 5, tzinfo=TZ))
    daily = required(incident, kind="continued")
    assert {(r.from_place.level, timezone_hm(r.due_at)) for r in daily} == {
        ("county", "09:00"),
        ("city", "10:00"),
    }
    services.mark_stabilised(incident, actor=county_duty, at=dt.datetime(2026, 6, 2, 12, 0, tzinfo=TZ))
    assert len(required(incident, kind="verified")) == 2


def timezone_hm(value):
    return value.astimezone(TZ).strftime("%H:%M")


def test_report_stats_counts_a_month(record, region, county_duty):
    with time_machine.travel(T0, tick=False):
        a = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
        b = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)[0]
        required(record(occurred_at=T0 - H / 2, received_at=T0).incident)
    with time_machine.travel(T0 + H, tick=False):
        services.make_report(
            a,
            actor=county_duty,
            time_place_scene="地点",
            course="经过",
            unit_overview="单位",
            measures="措施",
        )
    with time_machine.travel(T0 + 3 * H, tick=False):
        services.make_report(b, actor=county_duty)  # late and without content
    figures = stats.report_stats(region["county0"], dt.date(2026, 6, 15), now=T0 + 10 * H)
    assert figures == {"due": 3, "on_time": 1, "late": 1, "missing": 1, "incomplete": 1}
    assert stats.report_stats(region["county0"], dt.date(2026, 5, 1), now=T0 + 10 * H)["due"] == 0
    assert stats.report_stats(region["city"], dt.date(2026, 6, 1), now=T0 + 10 * H)["due"] == 0
    # the bulk form (the duty evaluation) gives the same figures for every place at once
    bulk = stats.report_stats_by_place(
        [region["county0"], region["city"]], dt.date(2026, 6, 1), now=T0 + 10 * H
    )
    assert bulk[region["county0"].pk] == figures
    assert bulk[region["city"].pk]["due"] == 0


def test_misreport_finding(record, region, make_user):
    from yingji.reporting.models import MisReport

    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    incident = record().incident
    finding = services.record_misreport(
        actor=officer,
        incident=incident,
        kind="concealed",
        responsible_unit="某公司",
        description="隐瞒死亡1人",
    )
    assert finding.found_by == officer
    assert TimelineEntry.objects.filter(incident=incident, text__contains="瞒报").exists()
    duty = make_user(Role.DUTY_OFFICER, place=region["county0"])
    with pytest.raises(AccessDenied):
        services.record_misreport(
            actor=duty, incident=incident, kind="false", responsible_unit="x", description="y"
        )
    assert MisReport.objects.count() == 1


def test_report_stats_at_the_due_time_exactly_pending_not_missing(record, region, city_duty):
    """The statistics follow rules.is_missing: not made at 2:00:00 is still pending; 2:00:01 is 漏报."""
    from yingji.reporting.views import supervision_rows

    with time_machine.travel(T0, tick=False):
        (report,) = required(record(occurred_at=T0 - H / 2, received_at=T0).incident)
    due = report.due_at
    assert due == T0 + 2 * H
    empty = {"due": 0, "on_time": 0, "late": 0, "missing": 0, "incomplete": 0}
    assert stats.report_stats(region["county0"], T0.date(), now=due) == empty
    assert supervision_rows(city_duty, T0.date(), now=due) == []
    after = stats.report_stats(region["county0"], T0.date(), now=due + S)
    assert after == {**empty, "due": 1, "missing": 1}
    (row,) = supervision_rows(city_duty, T0.date(), now=due + S)
    assert (row["due"], row["missing"], row["missing_rate"]) == (1, 1, 100.0)
