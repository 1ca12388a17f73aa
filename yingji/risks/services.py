"""Write services of the risk app (S1). Views, API, imports and tasks call these functions.

Every service checks scope inside and runs in one transaction. Saving or deleting a risk point
recomputes its enterprise's overall grade (:func:`recompute_enterprise_grade`) in the same
transaction and, when a 较大以上 risk appears, disappears or changes level, opens the enterprise's
change-report obligation (变更报告, domain-facts §3.3).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import check_object
from yingji.framework.errors import field_error
from yingji.framework.services import delete_object, save_object
from yingji.risks import grading, reporting
from yingji.risks.choices import REPORTABLE_LEVELS, ReportKind, RiskLevel
from yingji.risks.models import RegionRisk, RiskPoint, RiskProfile, RiskReport

#: the deadline-engine rule of the change report (registered in apps.py)
CHANGE_REPORT_RULE = "risks.change_report"

_COUNT_FIELDS = {
    RiskLevel.MAJOR: "major_count",
    RiskLevel.LARGE: "large_count",
    RiskLevel.GENERAL: "general_count",
    RiskLevel.LOW: "low_count",
}


# --- enterprise grade ------------------------------------------------------------------------------
@transaction.atomic
def recompute_enterprise_grade(enterprise, *, actor=None) -> RiskProfile:
    """Recompute (and create if missing) the enterprise's risk profile from its risk points and flags.

    ``actor=None`` means the platform itself (after a service that already checked its rights, or
    the periodic safety net); otherwise the actor must be able to view the enterprise's profile.
    The profile is written only when something changed, so repeated calls leave no change-log noise.
    """
    profile = RiskProfile.objects.select_for_update().filter(enterprise=enterprise).first()
    if profile is None:
        profile = RiskProfile(enterprise=enterprise)
    if actor is not None:
        check_object(actor, "view", profile)
    levels = list(RiskPoint.objects.filter(enterprise=enterprise).values_list("level", flat=True))
    values = _grade_values(levels, enterprise.risk_flags)
    if profile._state.adding or _differs(profile, values):
        for key, value in values.items():
            setattr(profile, key, value)
        profile.computed_at = timezone.now()
        profile.save()
    return profile


def _grade_values(levels, flags) -> dict:
    """The stored fields of a profile for an enterprise with risk points of ``levels`` and ``flags``."""
    grade = grading.enterprise_grade(levels, flags)
    return {
        "level": grade.level,
        "base_level": grade.base_level,
        "raised_by": list(grade.raised_by),
        "reason": grade.reason[:300],
        **{field: sum(1 for lv in levels if lv == level) for level, field in _COUNT_FIELDS.items()},
    }


def _differs(profile, values: dict) -> bool:
    return any(getattr(profile, k) != v for k, v in values.items())


def recompute_all_grades() -> int:
    """The periodic safety net: recompute every enterprise that has risk points or a profile (catches
    changes of risk flags made outside the risk services). Returns how many profiles changed.

    Three queries compare every enterprise's stored grade with the rule; only the enterprises whose
    grade differs go through :func:`recompute_enterprise_grade` (row lock, save, change log)."""
    from collections import defaultdict

    from yingji.orgs.models import Enterprise

    levels: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, level in RiskPoint.objects.values_list("enterprise_id", "level").order_by():
        levels[enterprise_id].append(level)
    profiles = {
        p.enterprise_id: p
        for p in RiskProfile.objects.only(
            "enterprise_id", "updated", "level", "base_level", "raised_by", "reason", *_COUNT_FIELDS.values()
        ).order_by()
    }
    changed = 0
    for enterprise in Enterprise.objects.filter(pk__in=set(levels) | set(profiles)).only(
        "pk", "risk_flags", "place_id", "regulator_id"
    ):
        profile = profiles.get(enterprise.pk)
        if profile is not None and not _differs(
            profile, _grade_values(levels[enterprise.pk], enterprise.risk_flags)
        ):
            continue
        before = profile.updated if profile is not None else None
        changed += recompute_enterprise_grade(enterprise).updated != before
    return changed


def _open_change_report(enterprise) -> None:
    profile = recompute_enterprise_grade(enterprise)
    if profile.change_due_since is None:
        from yingji.deadlines.services import track

        profile.change_due_since = timezone.now()
        profile.save(update_fields=["change_due_since", "updated"])
        track(
            profile,
            rule=CHANGE_REPORT_RULE,
            start=profile.change_due_since,
            actor=None,
            title=_("%(name)s 安全风险变更报告") % {"name": enterprise.name},
        )


# --- risk points -----------------------------------------------------------------------------------
@transaction.atomic
def save_risk_point(point: RiskPoint, *, actor) -> RiskPoint:
    """Create or update a risk point: assess (LEC/LS, table values only), check scope, save, regrade."""
    grading.assess_object(point)
    point.full_clean()
    check_object(actor, "add" if point._state.adding else "change", point)
    old = None
    if not point._state.adding:
        old = RiskPoint.objects.filter(pk=point.pk).values("level", "enterprise_id").first()
    point.save()
    old_level = old["level"] if old else None
    if old and old["enterprise_id"] != point.enterprise_id:
        from yingji.orgs.models import Enterprise

        recompute_enterprise_grade(Enterprise.objects.get(pk=old["enterprise_id"]))
        old_level = None
    recompute_enterprise_grade(point.enterprise)
    reportable = {str(lv) for lv in REPORTABLE_LEVELS}
    if old_level != point.level and (point.level in reportable or (old_level or "") in reportable):
        _open_change_report(point.enterprise)
    return point


@transaction.atomic
def delete_risk_point(point: RiskPoint, *, actor) -> None:
    enterprise, level = point.enterprise, point.level
    delete_object(point, actor=actor)
    recompute_enterprise_grade(enterprise)
    if level in REPORTABLE_LEVELS:
        _open_change_report(enterprise)


@transaction.atomic
def place_risk_point(point: RiskPoint, *, x, y, actor) -> RiskPoint:
    """Put a risk point on the site plan at (x %, y %) from the top-left corner; None, None removes it."""
    if x is None and y is None:
        point.plan_x = point.plan_y = None
    else:
        try:
            x, y = float(x), float(y)
        except (TypeError, ValueError):
            raise field_error("plan_x", _("位置须为 0–100 之间的百分比。"), "position_invalid") from None
        if not (0 <= x <= 100 and 0 <= y <= 100):
            raise field_error("plan_x", _("位置须为 0–100 之间的百分比。"), "position_invalid")
        point.plan_x, point.plan_y = round(x, 2), round(y, 2)
    check_object(actor, "change", point)
    point.save(update_fields=["plan_x", "plan_y", "updated"])
    return point


# --- profile ---------------------------------------------------------------------------------------
@transaction.atomic
def save_risk_profile(profile: RiskProfile, *, actor) -> RiskProfile:
    """Save the editable part of a profile (note); creating one computes the enterprise's grade."""
    if profile._state.adding and RiskProfile.objects.filter(enterprise_id=profile.enterprise_id).exists():
        raise field_error("enterprise", _("该企业已有风险等级记录，请直接打开它。"), "profile_exists")
    profile = save_object(profile, actor=actor)
    return recompute_enterprise_grade(profile.enterprise)


@transaction.atomic
def upload_site_plan(profile: RiskProfile, upload, *, actor) -> RiskProfile:
    """Store the enterprise's site plan (平面布置图) after checking it is a real image of accepted size."""
    from yingji.framework.uploads import stored_name, validate_image

    check_object(actor, "change", profile)
    if upload is None:
        raise field_error("site_plan", _("请选择要上传的平面布置图。"), "required")
    try:
        ext = validate_image(upload)
    except ValidationError as exc:
        raise field_error("site_plan", exc.messages[0], exc.code) from exc
    old = profile.site_plan.name if profile.site_plan else ""
    profile.site_plan.save(stored_name("risks/site-plans", ext), upload, save=False)
    profile.site_plan_updated = timezone.now()
    profile.save()
    if old:
        transaction.on_commit(lambda: profile.site_plan.storage.delete(old))
    return profile


# --- reports ---------------------------------------------------------------------------------------
def report_snapshot(enterprise) -> list[dict]:
    """The enterprise's 较大以上 risk points and their measures, as stored in a report."""
    points = (
        RiskPoint.objects.filter(enterprise=enterprise, level__in=REPORTABLE_LEVELS)
        .prefetch_related("measures")
        .order_by("-score", "name")
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "area": p.area,
            "unit": p.unit,
            "post": p.post,
            "accident_types": p.accident_types,
            "method": p.method,
            "factors": p.factors,
            "score": p.score,
            "level": p.level,
            "control_level": p.control_level,
            "responsible_name": p.responsible_name,
            "measures": [{"kind": m.kind, "content": m.content} for m in p.measures.all()],
        }
        for p in points
    ]


@transaction.atomic
def submit_report(report: RiskReport, *, actor) -> RiskReport:
    """Submit a risk report: snapshot the 较大以上 risks; one periodic report per period; lateness
    is decided by the due date of the period (or of the open change obligation)."""
    if not report._state.adding:
        raise field_error("kind", _("已提交的报告不能修改；如有变化请提交变更报告。"), "report_submitted")
    now = timezone.now()
    report.submitted_at = now
    if report.kind == ReportKind.PERIODIC:
        start = reporting.period_start(report.period)
        if start > timezone.localdate(now):
            raise field_error("period", _("报告期尚未开始，不能提前报告。"), "period_future")
        report.period = report.period.strip()
    else:
        if not report.reason.strip():
            raise field_error("reason", _("变更报告请填写变更原因。"), "reason_required")
        report.period = report.period.strip() or reporting.period_of(timezone.localdate(now))
        reporting.period_start(report.period)
    report.full_clean(exclude=["submitted_by"], validate_constraints=False)
    check_object(actor, "add", report)
    if (
        report.kind == ReportKind.PERIODIC
        and RiskReport.objects.filter(
            enterprise=report.enterprise, kind=ReportKind.PERIODIC, period=report.period
        )
        .select_for_update()
        .exists()
    ):
        raise field_error("period", _("该企业本报告期的定期报告已提交。"), "period_reported")
    profile = recompute_enterprise_grade(report.enterprise)
    if report.kind == ReportKind.PERIODIC:
        report.late = reporting.is_late(report.period, now)
    else:
        since = profile.change_due_since
        report.late = bool(since) and timezone.localdate(now) > reporting.change_due_date(since)
    snapshot = report_snapshot(report.enterprise)
    report.snapshot = snapshot
    report.major_count = sum(1 for p in snapshot if p["level"] == RiskLevel.MAJOR)
    report.large_count = sum(1 for p in snapshot if p["level"] == RiskLevel.LARGE)
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.save()
    if profile.change_due_since is not None:
        from yingji.deadlines.services import meet

        profile.change_due_since = None
        profile.save(update_fields=["change_due_since", "updated"])
        meet(profile, rule=CHANGE_REPORT_RULE, actor=None)
    return report


# --- region risks ----------------------------------------------------------------------------------
@transaction.atomic
def save_region_risk(risk: RegionRisk, *, actor) -> RegionRisk:
    """Create or update a region risk (两张清单): same grading as enterprise risk points."""
    grading.assess_object(risk)
    return save_object(risk, actor=actor)
