"""Write services of public reports (群众举报, S9).

* :func:`submit_public_report` — what the public page does (no account): checks, routing to a place and
  the emergency department in charge, photos, tracking code, the 受理 deadline.
* :func:`accept_report`, :func:`reject_report`, :func:`convert_to_hazard`, :func:`mark_clue`,
  :func:`decide_reward`, :func:`close_report` — what officers do (pages and API call the same
  functions); each checks the actor's ``change`` right on the report, runs in one transaction and
  refuses moves the state machine (:data:`TRANSITIONS`) does not allow with a clear message.
* :func:`save_report` — officers' plain edits (re-routing to another department, internal notes).
* :func:`find_by_code` / :func:`public_progress` — the reporter's view through the tracking code.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.deadlines import services as deadlines
from yingji.framework.access import check_object
from yingji.framework.errors import field_error
from yingji.framework.uploads import stored_name, validate_image
from yingji.places.models import Place
from yingji.reports import conf
from yingji.reports.choices import ReportKind, ReportStatus, RewardDecision
from yingji.reports.models import PublicReport, ReportPhoto
from yingji.utilities.identifiers import IdentifierError, validate_mobile

RULE_ACCEPT = "reports.accept"
RULE_HANDLE = "reports.handle"

#: operation → states it may start from (the state machine of a report, in one place)
TRANSITIONS = {
    "accept": {ReportStatus.SUBMITTED},
    "reject": {ReportStatus.SUBMITTED},
    "convert_to_hazard": {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED},
    "mark_clue": {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED},
    "decide_reward": {ReportStatus.ACCEPTED, ReportStatus.CLOSED},
    "close": {ReportStatus.ACCEPTED},
}


class InvalidTransition(ValidationError):
    """The report is not in a state that allows this operation (a form error / HTTP 400)."""

    def __init__(self, message: str, code: str = "invalid_transition"):
        super().__init__(message, code=code)


def register_rules() -> None:
    """The deadline rules of reports (called from ``ReportsConfig.ready``)."""
    import datetime as dt

    from yingji.deadlines.rules import register_rule

    register_rule(
        RULE_ACCEPT,
        _("群众举报受理"),
        working_days=conf.ACCEPT_WORKING_DAYS,
        remind_before=dt.timedelta(days=1),
        source="平台默认值（可配置 YINGJI_REPORTS_ACCEPT_WORKING_DAYS）",
    )
    register_rule(
        RULE_HANDLE,
        _("群众举报核查办结"),
        calendar_days=conf.HANDLE_DAYS,
        remind_before=dt.timedelta(days=3),
        source="地方安全生产举报奖励办法：自受理之日起30日内完成核查处理（可配置 YINGJI_REPORTS_HANDLE_DAYS）",
    )


# --- tracking codes -------------------------------------------------------------------------------
def new_tracking_code() -> str:
    """A random code of :data:`conf.CODE_LENGTH` characters from an unambiguous alphabet (~59 bits)."""
    return "".join(secrets.choice(conf.CODE_ALPHABET) for _i in range(conf.CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed → the stored form: upper case, without spaces and dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -_\t")


def find_by_code(raw: str) -> PublicReport | None:
    code = normalise_code(raw)
    if len(code) != conf.CODE_LENGTH or any(ch not in conf.CODE_ALPHABET for ch in code):
        return None
    return PublicReport.objects.select_related("hazard").filter(tracking_code=code).first()


# --- routing --------------------------------------------------------------------------------------
def locate(longitude, latitude, fallback_place: Place | None) -> Place:
    """The village containing the point, else the chosen town or county; a clear error otherwise."""
    from yingji.places.services import locate_point

    if longitude is not None and latitude is not None:
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise field_error(
                "longitude", _("经纬度超出范围，请在地图上重新选择位置。"), "coordinates_invalid"
            )
        village = locate_point(longitude, latitude)
        if village is not None:
            return village
    if fallback_place is not None:
        if fallback_place.level not in ("town", "county"):
            raise field_error("area", _("请选择所在的镇（街道）或县（区）。"), "area_level")
        return fallback_place
    if longitude is not None and latitude is not None:
        raise field_error(
            "area", _("所选位置不在本市范围内：请重新选择位置，或选择所在的镇（街道）。"), "outside_region"
        )
    raise field_error("area", _("请在地图上选择位置，或选择所在的镇（街道）。"), "location_required")


def route(place: Place):
    """The emergency department (应急管理部门) in charge of ``place``: that of its county, else its
    town, else the city (order configurable with ``YINGJI_REPORTS_ROUTE_LEVELS``); None if none exists."""
    from yingji.orgs.choices import DepartmentKind
    from yingji.orgs.models import Department

    codes = [c for c in place.path.split("/") if c]
    candidates = {
        d.place.level: d
        for d in Department.objects.filter(kind=DepartmentKind.EMERGENCY, place__code__in=codes)
        .select_related("place")
        .defer("place__boundary")
        .order_by("-id")
    }
    for level in conf.ROUTE_LEVELS:
        if level in candidates:
            return candidates[level]
    return None


# --- the public submission ------------------------------------------------------------------------
def _clean_mobile(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return validate_mobile(raw)
    except IdentifierError as exc:
        raise field_error(
            "reporter_mobile", _("手机号码格式不正确，请填写11位手机号码。"), "mobile_invalid"
        ) from exc


def check_photos(photos) -> list[str]:
    """Validate the uploaded photos; return their extensions. Raises ValidationError on ``photos``."""
    photos = list(photos or ())
    if len(photos) > conf.MAX_PHOTOS:
        raise field_error("photos", _("最多上传 %(n)d 张照片。") % {"n": conf.MAX_PHOTOS}, "too_many_photos")
    exts = []
    for upload in photos:
        try:
            exts.append(validate_image(upload, max_bytes=conf.MAX_PHOTO_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": [exc]}) from exc
    return exts


def submit_public_report(
    *,
    kind: str,
    title: str,
    description: str,
    address: str = "",
    longitude=None,
    latitude=None,
    area: Place | None = None,
    enterprise_name: str = "",
    reporter_name: str = "",
    reporter_mobile: str = "",
    photos=(),
) -> PublicReport:
    """File a report from the public (no account): locate and route it, store its photos, start the
    受理 deadline; returns it with its new tracking code. Nothing is written when anything is wrong."""
    if kind not in ReportKind.values:
        raise field_error("kind", _("请选择举报类别。"), "invalid_choice")
    if not (title or "").strip():
        raise field_error("title", _("请简要填写举报事项。"), "required")
    if not (description or "").strip():
        raise field_error("description", _("请填写具体情况。"), "required")
    mobile = _clean_mobile(reporter_mobile)
    exts = check_photos(photos)
    place = locate(longitude, latitude, area)
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _create(
                    place=place,
                    kind=kind,
                    title=title.strip()[:100],
                    description=description.strip(),
                    address=(address or "").strip()[:200],
                    longitude=longitude,
                    latitude=latitude,
                    enterprise_name=(enterprise_name or "").strip()[:200],
                    reporter_name=(reporter_name or "").strip()[:50],
                    reporter_mobile=mobile,
                    photos=list(zip(photos or (), exts, strict=True)),
                )
        except IntegrityError:  # pragma: no cover - a tracking-code collision (1 in ~10^17)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _create(*, place, photos, **fields) -> PublicReport:
    now = timezone.now()
    report = PublicReport(
        tracking_code=new_tracking_code(),
        place=place,
        department=route(place),
        submitted_at=now,
        status=ReportStatus.SUBMITTED,
        **fields,
    )
    report.full_clean(exclude=["tracking_code"])
    report.save()
    for upload, ext in photos:
        photo = ReportPhoto(report=report)
        photo.image.save(stored_name("reports", ext), upload, save=False)
        photo.save()
    deadlines.track(
        report,
        rule=RULE_ACCEPT,
        start=now,
        actor=None,
        title=_("受理群众举报 %(code)s") % {"code": report.display_code},
    )
    return report


# --- officers' operations -------------------------------------------------------------------------
def _lock(report: PublicReport, actor, operation: str) -> PublicReport:
    check_object(actor, "change", report)
    locked = PublicReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in TRANSITIONS[operation]:
        messages = {
            "accept": _("该举报当前状态为“%(status)s”，不能受理。"),
            "reject": _("该举报当前状态为“%(status)s”，不能作不予受理处理。"),
            "convert_to_hazard": _("该举报当前状态为“%(status)s”，不能转为隐患。"),
            "mark_clue": _("该举报当前状态为“%(status)s”，不能转为执法线索。"),
            "decide_reward": _("该举报当前状态为“%(status)s”，不能作奖励决定：请先受理。"),
            "close": _("该举报当前状态为“%(status)s”，不能办结：请先受理。"),
        }
        raise InvalidTransition(messages[operation] % {"status": locked.get_status_display()})
    return locked


def _accept(report: PublicReport, actor, now) -> None:
    report.status = ReportStatus.ACCEPTED
    report.accepted_at = now
    report.save()
    deadlines.meet(report, actor=actor, rule=RULE_ACCEPT, at=now)
    deadlines.track(
        report,
        rule=RULE_HANDLE,
        start=now,
        actor=actor,
        title=_("核查办结群众举报 %(code)s") % {"code": report.display_code},
    )


@transaction.atomic
def accept_report(report: PublicReport, *, actor, note: str = "") -> PublicReport:
    """受理: the department takes the report on; the 办结 deadline starts."""
    report = _lock(report, actor, "accept")
    now = timezone.now()
    if note:
        report.handling_note = _append(report.handling_note, note)
    _accept(report, actor, now)
    _notify_reporter(report, _("您的举报已受理，查询码 %(code)s。") % {"code": report.display_code})
    return report


@transaction.atomic
def reject_report(report: PublicReport, *, actor, reason: str) -> PublicReport:
    """不予受理, with the reason the reporter will read."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("请填写不予受理的理由。"), "required")
    report = _lock(report, actor, "reject")
    now = timezone.now()
    report.status = ReportStatus.REJECTED
    report.rejected_at = now
    report.reject_reason = reason[:500]
    report.save()
    deadlines.meet(report, actor=actor, rule=RULE_ACCEPT, at=now)
    _notify_reporter(
        report, _("您的举报（查询码 %(code)s）不予受理，可凭查询码查看理由。") % {"code": report.display_code}
    )
    return report


@transaction.atomic
def convert_to_hazard(
    report: PublicReport, *, actor, enterprise=None, category: str = "", title: str = ""
) -> PublicReport:
    """转为隐患: register a hazard (source 群众举报) through the hazards service and link it; the
    reporter's tracking page then follows the hazard's closed loop. Accepts the report if needed."""
    report = _lock(report, actor, "convert_to_hazard")
    if report.hazard_id:
        raise InvalidTransition(_("该举报已转为隐患，不能重复转办。"), code="already_converted")
    try:
        from yingji.hazards.services import report_hazard
    except ImportError as exc:
        raise InvalidTransition(
            _("隐患排查治理模块尚未启用，暂不能转为隐患。"), code="hazards_unavailable"
        ) from exc
    now = timezone.now()
    if report.status == ReportStatus.SUBMITTED:
        _accept(report, actor, now)
    if enterprise is not None:
        check_object(actor, "view", enterprise)
    fields = {
        "title": (title or report.title)[:200],
        "description": report.description,
        "place": enterprise.place if enterprise is not None else report.place,
        "found_at": report.submitted_at,
        "address": report.address,
        "longitude": report.longitude,
        "latitude": report.latitude,
    }
    if enterprise is not None:
        fields["enterprise"] = enterprise
    elif report.department_id:
        fields["department"] = report.department
    if category:
        fields["category"] = category[:60]
    hazard = _call_hazards(report_hazard, actor=actor, source="public_report", **fields)
    report.hazard = hazard
    report.save()
    return report


def _call_hazards(service, **kwargs):
    """Call a hazards service; its refusals (``WorkflowError``) become ValidationErrors with their codes."""
    from yingji.hazards.workflow import WorkflowError

    try:
        return service(**kwargs)
    except WorkflowError as exc:
        if exc.fields:
            raise ValidationError(
                {
                    name: [ValidationError(e["message"], code=e["code"]) for e in errors]
                    for name, errors in exc.fields.items()
                }
            ) from exc
        raise ValidationError(exc.message, code=exc.code) from exc


@transaction.atomic
def mark_clue(report: PublicReport, *, actor, text: str) -> PublicReport:
    """转为执法线索: record the clue for law enforcement (there is no enforcement module yet)."""
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("请填写线索内容。"), "required")
    report = _lock(report, actor, "mark_clue")
    now = timezone.now()
    if report.status == ReportStatus.SUBMITTED:
        _accept(report, actor, now)
    report.clue = True
    report.clue_text = text
    report.clue_at = now
    report.save()
    return report


@transaction.atomic
def decide_reward(
    report: PublicReport, *, actor, decision: str, amount=None, decided_on=None, note: str = ""
) -> PublicReport:
    """Record the reward decision (奖励决定): granted with an amount, or denied; who and when."""
    if decision not in RewardDecision.values:
        raise field_error("decision", _("请选择是否给予奖励。"), "invalid_choice")
    if decision == RewardDecision.GRANTED and (amount is None or amount <= 0):
        raise field_error("amount", _("给予奖励时请填写大于0的奖励金额。"), "amount_required")
    if decision == RewardDecision.DENIED:
        amount = None
    report = _lock(report, actor, "decide_reward")
    report.reward_decision = decision
    report.reward_amount = amount
    report.reward_decided_on = decided_on or timezone.localdate()
    report.reward_decided_by = actor if getattr(actor, "pk", None) else None
    report.reward_note = (note or "").strip()[:500]
    report.save()
    return report


@transaction.atomic
def close_report(report: PublicReport, *, actor, result: str) -> PublicReport:
    """办结 with the handling result the reporter will read (no personal data in it)."""
    result = (result or "").strip()
    if not result:
        raise field_error("result", _("请填写办理结果。"), "required")
    report = _lock(report, actor, "close")
    now = timezone.now()
    report.status = ReportStatus.CLOSED
    report.result = result
    report.closed_at = now
    report.save()
    deadlines.meet(report, actor=actor, rule=RULE_HANDLE, at=now)
    _notify_reporter(
        report,
        _("您的举报（查询码 %(code)s）已办结，可凭查询码查看办理结果。") % {"code": report.display_code},
    )
    return report


@transaction.atomic
def save_report(report: PublicReport, *, actor) -> PublicReport:
    """Officers' edits (承办部门 re-routing, internal record): in scope before and after."""
    if report.pk is None:
        raise field_error("__all__", _("群众举报只能由群众通过举报页面提交。"), "public_only")
    old = PublicReport.objects.select_for_update().get(pk=report.pk)
    check_object(actor, "change", old)
    report.full_clean()
    check_object(actor, "change", report)
    report.save()
    return report


def _append(text: str, line: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return (text + "\n" if text else "") + f"[{stamp}] {line.strip()}"


def _notify_reporter(report: PublicReport, subject: str) -> None:
    """Text the reporter (if a mobile was given) through the messaging centre's SMS channel. The link
    is the public tracking page (the reporter has no account), never the officers' page."""
    if not report.reporter_mobile:
        return
    from django.urls import reverse

    from yingji.messaging.services import notify

    notify(
        actor=None,
        subject=subject,
        mobiles=[report.reporter_mobile],
        channels=("sms",),
        link=reverse("reports:public_track"),
        about=report,
        category="report",
    )


# --- the reporter's view --------------------------------------------------------------------------
def public_progress(report: PublicReport) -> dict:
    """What the tracking page shows: status, dates and outcomes only — never the reporter, the
    description, the internal record or the enforcement clue."""
    steps = [(_("提交举报"), report.submitted_at, "")]
    if report.accepted_at:
        steps.append((_("已受理"), report.accepted_at, ""))
    if report.rejected_at:
        steps.append((_("不予受理"), report.rejected_at, report.reject_reason))
    hazard = None
    if report.hazard_id:
        from yingji.hazards.choices import Status as HazardStatus

        h = report.hazard
        hazard = {
            "status": h.get_status_display(),
            "closed": h.status == HazardStatus.CLOSED,
            "closed_at": h.closed_at,
            "rectified_at": h.rectified_at,
            "dismissed": h.status == HazardStatus.DISMISSED,
        }
        steps.append((_("已转为隐患，督促整改"), h.created, ""))
        if h.rectified_at:
            steps.append((_("隐患已整改"), h.rectified_at, ""))
        if h.status == HazardStatus.CLOSED:
            steps.append((_("隐患已验收销号"), h.closed_at, ""))
    if report.closed_at:
        steps.append((_("已办结"), report.closed_at, report.result))
    steps.sort(key=lambda s: s[1] or report.submitted_at)
    deadline = None
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        from yingji.reports.filtersets import with_deadlines

        deadline = (
            with_deadlines(PublicReport.objects.filter(pk=report.pk))
            .values_list("open_due_at", flat=True)
            .first()
        )
    return {
        "code": report.display_code,
        "kind": report.get_kind_display(),
        "status": report.get_status_display(),
        "status_code": report.status,
        "submitted_at": report.submitted_at,
        "due_at": deadline,
        "steps": steps,
        "result": report.result,
        "reject_reason": report.reject_reason,
        "hazard": hazard,
        "reward": report.get_reward_decision_display() if report.reward_decision else "",
        "reward_amount": report.reward_amount if report.reward_decision == RewardDecision.GRANTED else None,
    }
