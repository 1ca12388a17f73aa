"""Risk points, the enterprise grade, change reports and periodic reports (services)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yingji.framework.access import SYSTEM, AccessDenied
from yingji.framework.roles import Role
from yingji.risks import reporting
from yingji.risks.models import RiskPoint, RiskProfile, RiskReport
from yingji.risks.services import (
    delete_risk_point,
    place_risk_point,
    recompute_all_grades,
    recompute_enterprise_grade,
    save_risk_point,
    submit_report,
)

TZ = dt.timezone(dt.timedelta(hours=8))


def _profile(enterprise):
    return RiskProfile.objects.get(enterprise=enterprise)


def test_saving_a_point_grades_it_and_its_enterprise(make_point):
    point = make_point(level="general", method="lec", lec_l=3, lec_e=6, lec_c=15)
    assert point.score == 270
    assert point.level == "large"
    assert (point.ls_l, point.ls_s) == (None, None)
    profile = _profile(point.enterprise)
    assert profile.level == "large"
    assert profile.large_count == 1


def test_grade_follows_changes_and_deletes(make_point, make_enterprise):
    enterprise = make_enterprise()
    low = make_point(enterprise, level="low")
    major = make_point(enterprise, level="major")
    assert _profile(enterprise).level == "major"
    major.ls_l, major.ls_s = 3, 3
    save_risk_point(major, actor=SYSTEM)
    assert _profile(enterprise).level == "general"
    delete_risk_point(major, actor=SYSTEM)
    profile = _profile(enterprise)
    assert profile.level == "low"
    assert (profile.general_count, profile.low_count) == (0, 1)
    assert RiskPoint.objects.filter(pk=low.pk).exists()


def test_a_point_with_a_value_outside_the_table_is_not_saved(make_enterprise):
    point = RiskPoint(
        enterprise=make_enterprise(),
        name="x",
        accident_types=["fire"],
        method="lec",
        lec_l=4,
        lec_e=6,
        lec_c=15,
    )
    with pytest.raises(ValidationError) as info:
        save_risk_point(point, actor=SYSTEM)
    assert info.value.error_dict["lec_l"][0].code == "not_in_table"
    assert not RiskPoint.objects.exists()


def test_accident_type_is_required_and_must_be_gb6441(make_enterprise):
    base = {"enterprise": make_enterprise(), "name": "x", "method": "ls", "ls_l": 2, "ls_s": 2}
    with pytest.raises(ValidationError) as info:
        save_risk_point(RiskPoint(accident_types=[], **base), actor=SYSTEM)
    assert info.value.error_dict["accident_types"][0].code == "accident_type_required"
    with pytest.raises(ValidationError):
        save_risk_point(RiskPoint(accident_types=["meteor"], **base), actor=SYSTEM)


def test_flags_raise_the_grade_when_the_enterprise_changes(make_point, make_enterprise):
    from yingji.orgs.services import save_enterprise

    enterprise = make_enterprise()
    make_point(enterprise, level="general")
    assert _profile(enterprise).level == "general"
    enterprise.risk_flags = ["major_hazard_source"]
    save_enterprise(enterprise, actor=SYSTEM)
    profile = _profile(enterprise)
    assert profile.level == "large"
    assert profile.raised_by == ["major_hazard_source"]
    enterprise.risk_flags = ["confined_space"]
    save_enterprise(enterprise, actor=SYSTEM)
    assert _profile(enterprise).level == "general"


def test_periodic_safety_net_catches_bulk_flag_changes(make_point, make_enterprise):
    from yingji.orgs.models import Enterprise

    enterprise = make_enterprise()
    make_point(enterprise, level="large")
    Enterprise.objects.filter(pk=enterprise.pk).update(risk_flags=",hazardous_process,")
    assert _profile(enterprise).level == "large"
    assert recompute_all_grades() == 1
    assert _profile(enterprise).level == "major"
    assert recompute_all_grades() == 0


def test_periodic_safety_net_reads_all_enterprises_at_once(
    make_point, make_enterprise, django_assert_num_queries
):
    from yingji.orgs.models import Enterprise

    enterprises = [make_enterprise() for _ in range(4)]
    for n, enterprise in enumerate(enterprises):
        make_point(enterprise, level=("low", "general", "large", "major")[n])
    with django_assert_num_queries(3):  # points, profiles, enterprises: none changed, none written
        assert recompute_all_grades() == 0
    Enterprise.objects.filter(pk=enterprises[1].pk).update(risk_flags=",hazardous_process,")
    assert recompute_all_grades() == 1
    assert [_profile(e).level for e in enterprises] == ["low", "large", "large", "major"]


def test_recompute_checks_the_actors_scope(make_point, make_user, region):
    point = make_point()
    outsider = make_user(Role.BUREAU_OFFICER, place=region["county1"])
    with pytest.raises(AccessDenied):
        recompute_enterprise_grade(point.enterprise, actor=outsider)


def test_enterprise_user_writes_only_its_own_points(make_enterprise, make_user):
    mine, other = make_enterprise(), make_enterprise()
    user = make_user(Role.ENTERPRISE_USER, enterprise=mine)
    fields = {"name": "配电室", "accident_types": ["electric_shock"], "method": "ls", "ls_l": 2, "ls_s": 4}
    assert save_risk_point(RiskPoint(enterprise=mine, **fields), actor=user).level == "low"
    with pytest.raises(AccessDenied):
        save_risk_point(RiskPoint(enterprise=other, **fields), actor=user)
    officer = make_user(Role.BUREAU_OFFICER, place=mine.place)
    with pytest.raises(AccessDenied):
        save_risk_point(RiskPoint(enterprise=mine, **fields), actor=officer)


def test_placing_a_point_on_the_site_plan(make_point):
    point = make_point()
    place_risk_point(point, x=12.345, y="99.5", actor=SYSTEM)
    point.refresh_from_db()
    assert (point.plan_x, point.plan_y) == (12.35, 99.5)
    for x, y in ((100.1, 5), (-0.1, 5), ("a", 5)):
        with pytest.raises(ValidationError) as info:
            place_risk_point(point, x=x, y=y, actor=SYSTEM)
        assert info.value.error_dict["plan_x"][0].code == "position_invalid"
    place_risk_point(point, x=None, y=None, actor=SYSTEM)
    point.refresh_from_db()
    assert point.plan_x is None


# --- change reports ----------------------------------------------------------------------------------
def test_a_new_large_risk_opens_a_change_report_a_low_one_does_not(make_point, make_enterprise):
    enterprise = make_enterprise()
    make_point(enterprise, level="general")
    assert _profile(enterprise).change_due_since is None
    point = make_point(enterprise, level="large")
    assert _profile(enterprise).change_due_since is not None
    submit_report(RiskReport(enterprise=enterprise, kind="change", reason="新增"), actor=SYSTEM)
    assert _profile(enterprise).change_due_since is None
    point.name = "改名不改等级"
    save_risk_point(point, actor=SYSTEM)
    assert _profile(enterprise).change_due_since is None
    point.ls_l = 5  # 5×4 = 20: large → major
    save_risk_point(point, actor=SYSTEM)
    assert _profile(enterprise).change_due_since is not None


def test_change_report_needs_a_reason_and_is_late_after_the_allowed_days(make_point, make_enterprise):
    enterprise = make_enterprise()
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=TZ)):
        make_point(enterprise, level="major")
    with pytest.raises(ValidationError) as info:
        submit_report(RiskReport(enterprise=enterprise, kind="change"), actor=SYSTEM)
    assert info.value.error_dict["reason"][0].code == "reason_required"
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=TZ)):  # 31 days later
        report = submit_report(RiskReport(enterprise=enterprise, kind="change", reason="新增"), actor=SYSTEM)
    assert report.late is True
    assert report.period == "2026"


def test_change_report_is_tracked_by_the_deadline_engine(make_point, make_enterprise):
    from yingji.deadlines.models import Deadline

    enterprise = make_enterprise()
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=TZ)):
        make_point(enterprise, level="large")
    deadline = Deadline.objects.get(rule="risks.change_report")
    assert deadline.enterprise_id == enterprise.pk and deadline.place_id == enterprise.place_id
    assert deadline.due_at.astimezone(TZ).date() == dt.date(2026, 3, 31)
    assert deadline.status == "open"
    submit_report(RiskReport(enterprise=enterprise, kind="change", reason="新增"), actor=SYSTEM)
    deadline.refresh_from_db()
    assert deadline.status == "met"


# --- periodic reports ---------------------------------------------------------------------------------
def test_report_snapshots_only_large_and_major_risks(make_point, make_enterprise):
    enterprise = make_enterprise()
    make_point(enterprise, level="major", name="液氨储罐", measures=[("engineering", "设置氨气泄漏报警")])
    make_point(enterprise, level="large", name="粉尘除尘器")
    make_point(enterprise, level="general", name="叉车")
    report = submit_report(RiskReport(enterprise=enterprise, period="2026"), actor=SYSTEM)
    assert [p["name"] for p in report.snapshot] == ["液氨储罐", "粉尘除尘器"]
    assert report.snapshot[0]["measures"] == [{"kind": "engineering", "content": "设置氨气泄漏报警"}]
    assert (report.major_count, report.large_count) == (1, 1)


@pytest.mark.parametrize(
    ("when", "late"),
    [(dt.datetime(2026, 1, 31, 23, 59, tzinfo=TZ), False), (dt.datetime(2026, 2, 1, 0, 1, tzinfo=TZ), True)],
)
def test_yearly_report_is_due_on_january_31(make_point, when, late):
    point = make_point(level="large")
    with time_machine.travel(when):
        report = submit_report(RiskReport(enterprise=point.enterprise, period="2026"), actor=SYSTEM)
    assert report.late is late


def test_one_periodic_report_per_period_and_none_in_advance(make_point):
    point = make_point(level="large")
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=TZ)):
        submit_report(RiskReport(enterprise=point.enterprise, period="2026"), actor=SYSTEM)
        with pytest.raises(ValidationError) as info:
            submit_report(RiskReport(enterprise=point.enterprise, period="2026"), actor=SYSTEM)
        assert info.value.error_dict["period"][0].code == "period_reported"
        with pytest.raises(ValidationError) as info:
            submit_report(RiskReport(enterprise=point.enterprise, period="2027"), actor=SYSTEM)
        assert info.value.error_dict["period"][0].code == "period_future"
        with pytest.raises(ValidationError) as info:
            submit_report(RiskReport(enterprise=point.enterprise, period="26"), actor=SYSTEM)
        assert info.value.error_dict["period"][0].code == "period_invalid"
    assert RiskReport.objects.count() == 1


def test_submitted_reports_cannot_be_changed(make_point):
    point = make_point(level="large")
    report = submit_report(RiskReport(enterprise=point.enterprise, period="2026"), actor=SYSTEM)
    report.note = "改"
    with pytest.raises(ValidationError):
        submit_report(report, actor=SYSTEM)


def test_quarterly_periods(settings):
    settings.YINGJI_RISKS_REPORT_PERIOD = "quarter"
    settings.YINGJI_RISKS_REPORT_DUE_DAYS = 15
    assert reporting.period_of(dt.date(2026, 5, 3)) == "2026Q2"
    assert reporting.due_date("2026Q2") == dt.date(2026, 4, 16)
    settings.YINGJI_RISKS_REPORT_PERIOD = "half"
    assert reporting.period_of(dt.date(2026, 7, 1)) == "2026H2"
    assert reporting.period_start("2026H2") == dt.date(2026, 7, 1)


def test_report_status_per_enterprise_place_and_industry(make_point, make_enterprise, make_user, region):
    on_time = make_enterprise(name="按时", industry="26")
    late_reported = make_enterprise(name="补报", industry="26", place=region["village010"])
    missing = make_enterprise(name="未报", industry="31", place=region["village100"])
    not_required = make_enterprise(name="只有一般风险")
    for enterprise in (on_time, late_reported, missing):
        make_point(enterprise, level="large")
    make_point(not_required, level="general")
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=TZ)):
        submit_report(RiskReport(enterprise=on_time, period="2026"), actor=SYSTEM)
        early = reporting.report_status(SYSTEM, "2026")
        assert {r["enterprise"].name: r["state"] for r in early["rows"]}["未报"] == "due"
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=TZ)):
        submit_report(RiskReport(enterprise=late_reported, period="2026"), actor=SYSTEM)
        status = reporting.report_status(SYSTEM, "2026")
        states = {r["enterprise"].name: r["state"] for r in status["rows"]}
        assert states == {"按时": "on_time", "补报": "reported_late", "未报": "late"}
        assert (status["required"], status["reported"], status["late"]) == (3, 2, 1)
        assert status["rate"] == 66.7
        by_place = {r["code"]: r for r in status["by_place"]}
        assert by_place["320602000000"]["rate"] == 100.0
        assert by_place["320612000000"]["rate"] == 0.0
        by_industry = {r["code"]: r["rate"] for r in status["by_industry"]}
        assert by_industry == {"C": 66.7}
        officer = make_user(Role.BUREAU_OFFICER, place=region["county1"])
        scoped = reporting.report_status(officer, "2026")
        assert [r["enterprise"].name for r in scoped["rows"]] == ["未报"]


def test_report_status_keeps_a_low_risk_enterprise_that_reported_anyway(make_point, make_enterprise, region):
    volunteer = make_enterprise(name="主动报告", place=region["village010"])
    quiet = make_enterprise(name="一般风险未报")
    make_point(volunteer, level="general")
    make_point(quiet, level="low")
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=TZ)):
        submit_report(RiskReport(enterprise=volunteer, period="2026"), actor=SYSTEM)
        status = reporting.report_status(SYSTEM, "2026")
        assert {r["enterprise"].name: r["state"] for r in status["rows"]} == {"主动报告": "on_time"}
        assert (status["required"], status["reported"], status["rate"]) == (1, 1, 100.0)
        assert reporting.report_status(SYSTEM, "2025")["rows"] == []
