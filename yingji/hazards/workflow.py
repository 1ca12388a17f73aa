"""The hazard closed loop (隐患闭环, S2 and D3): states, moves, who may make them, and the services.

This is the only module that changes a hazard's ``status``. Every service locks the hazard, checks
the move against :data:`TRANSITIONS` and the actor against :data:`WHO`, validates its input, writes
the hazard, records a :class:`~yingji.hazards.models.HazardEvent` and updates the hazard's deadlines
(``yingji.deadlines``), all in one transaction. A refused move raises :class:`WorkflowError` (a
stable ``code`` and a Chinese message) or ``AccessDenied`` (code ``step_not_allowed``).

::

    reported ──confirm──▶ confirmed ──assign──▶ assigned ──progress──▶ rectifying
       │  │                  │                     │                      │
       │  └──dismiss──▶ dismissed                  └────────rectify───────┤
       │                     │                                            ▼
       └──fix_immediately────┴──────────▶ closed ◀──close── verified ◀──verify── rectified
                                                                 (reject: back to rectifying)
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from yingji.framework.access import (
    AccessDenied,
    allows_object,
    assignment_matches,
    assignments_of,
    check_object,
)
from yingji.framework.roles import ROLES, Role
from yingji.hazards import config
from yingji.hazards.choices import Action, DisasterType, Grade, HazardKind, PhotoStage, Source, Status
from yingji.hazards.criteria import STANDARDS

# --- errors -----------------------------------------------------------------------------------------


class WorkflowError(Exception):
    """A refused step: ``code`` is stable for the API, ``message`` is for people, ``fields`` per field.

    Codes: ``invalid_transition``, ``missing_five_items``, ``missing_plan``, ``grade_required``,
    ``major_standard_required``, ``major_criterion_required``, ``reason_required``, ``note_required``,
    ``evidence_required``, ``due_in_past``, ``place_required``, ``only_major``, ``only_general``,
    ``invalid_value``, ``supervised_elsewhere``.
    """

    def __init__(self, message: str, code: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}

    @property
    def messages(self):  # so that pages can show it like a ValidationError
        return [self.message]


def _field_error(field: str, message: str, code: str) -> WorkflowError:
    return WorkflowError(message, code, {field: [{"code": code, "message": message}]})


# --- the state machine ------------------------------------------------------------------------------

S = Status
#: step → (states it may start from, state it leads to; None = stays / decided by the step)
TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    Action.CONFIRM: (frozenset({S.REPORTED}), S.CONFIRMED),
    Action.DISMISS: (frozenset({S.REPORTED}), S.DISMISSED),
    Action.FIX_IMMEDIATELY: (frozenset({S.REPORTED, S.CONFIRMED}), S.CLOSED),
    Action.ASSIGN: (frozenset({S.CONFIRMED}), S.ASSIGNED),
    Action.PROGRESS: (frozenset({S.ASSIGNED, S.RECTIFYING}), S.RECTIFYING),
    Action.RECTIFY: (frozenset({S.ASSIGNED, S.RECTIFYING}), S.RECTIFIED),
    Action.VERIFY: (frozenset({S.RECTIFIED}), None),  # rectified (next level) or verified (last level)
    Action.REJECT: (frozenset({S.RECTIFIED}), S.RECTIFYING),
    Action.CLOSE: (frozenset({S.VERIFIED}), S.CLOSED),
    Action.SUPERVISE: (frozenset({S.CONFIRMED, S.ASSIGNED, S.RECTIFYING, S.RECTIFIED, S.VERIFIED}), None),
    Action.PHOTO: (
        frozenset({S.REPORTED, S.CONFIRMED, S.ASSIGNED, S.RECTIFYING, S.RECTIFIED, S.VERIFIED}),
        None,
    ),
}

#: Regulators: 应急管理局、行业部门、执法人员 — in place scope (and department scope where they have one).
OFFICER_ROLES = frozenset({Role.BUREAU_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENFORCEMENT_OFFICER})
#: Roles that report hazards (the ``add`` right on hazards, in scope).
REPORTER_ROLES = frozenset(
    {*OFFICER_ROLES, Role.GRID_WORKER, Role.DISASTER_INFO_OFFICER, Role.ENTERPRISE_USER}
)

#: Who may make each step (platform administrators may make every step). The kinds of actor:
#:
#: * ``officer`` — a bureau/department/enforcement officer whose scope contains the hazard;
#: * ``senior_officer`` — such an officer assigned at county or city level (third review level);
#: * ``bureau`` — a bureau officer in scope (挂牌督办 is a government act);
#: * ``enterprise`` — an enterprise user of the hazard's enterprise;
#: * ``responsible`` — the user account of the 整改责任人;
#: * ``local`` — an officer in scope, only for hazards without an enterprise (disaster risks, public places);
#: * ``reporter`` — anyone who may report a hazard at that place (``add`` right in scope).
WHO: dict[str, frozenset] = {
    Action.REPORT: frozenset({"reporter"}),
    Action.CONFIRM: frozenset({"officer"}),
    Action.DISMISS: frozenset({"officer"}),
    Action.FIX_IMMEDIATELY: frozenset({"officer", "enterprise"}),
    Action.ASSIGN: frozenset({"officer"}),
    Action.PROGRESS: frozenset({"enterprise", "responsible", "local"}),
    Action.RECTIFY: frozenset({"enterprise", "responsible", "local"}),
    # verification level 1 = the enterprise's own acceptance; 2 = the regulator; 3 = the higher level
    "verify:1": frozenset({"enterprise", "responsible", "local"}),
    "verify:2": frozenset({"officer"}),
    "verify:3": frozenset({"senior_officer"}),
    Action.CLOSE: frozenset({"officer"}),
    Action.SUPERVISE: frozenset({"bureau"}),
    Action.PHOTO: frozenset({"reporter", "officer", "enterprise", "responsible"}),
}

_SENIOR_LEVELS = ("county", "city")


def who_key(step: str, hazard) -> str:
    """The key of :data:`WHO` for ``step`` on ``hazard`` (verification depends on the level reached)."""
    if step in (Action.VERIFY, Action.REJECT):
        return f"verify:{min(hazard.reviews_passed + 1, config.MAX_REVIEW_LEVELS)}"
    return step


def _kinds_of(actor, hazard) -> set[str]:
    """Which kinds of actor (see :data:`WHO`) ``actor`` is for ``hazard``; ``{"*"}`` for administrators."""

    if actor is None:
        return {"*"}
    kinds = set()
    for a in assignments_of(actor):
        spec = ROLES.get(a.role)
        if spec is None:
            continue
        if spec.global_scope:
            return {"*"}
        if a.role in OFFICER_ROLES and assignment_matches(a, hazard, "change"):
            kinds.add("officer")
            if hazard.enterprise_id is None:
                kinds.add("local")
            if a.place_id is not None and a.place.level in _SENIOR_LEVELS:
                kinds.add("senior_officer")
            if a.role == Role.BUREAU_OFFICER:
                kinds.add("bureau")
        if (
            a.role == Role.ENTERPRISE_USER
            and hazard.enterprise_id is not None
            and a.enterprise_id == hazard.enterprise_id
        ):
            kinds.add("enterprise")
    if hazard.responsible_id and getattr(actor, "person_id", None) == hazard.responsible_id:
        kinds.add("responsible")
    if allows_object(actor, "add", hazard):
        kinds.add("reporter")
    return kinds


def may(actor, step: str, hazard) -> bool:
    """Whether ``actor`` may make ``step`` on ``hazard`` now (state and person)."""
    if step != Action.REPORT:
        starts, _to = TRANSITIONS[step]
        if hazard.status not in starts:
            return False
    kinds = _kinds_of(actor, hazard)
    return "*" in kinds or bool(kinds & WHO[who_key(step, hazard)])


def next_steps(actor, hazard) -> list[str]:
    """The steps ``actor`` may make on ``hazard`` now, in the order of the loop (for the detail page)."""
    order = (
        Action.CONFIRM,
        Action.DISMISS,
        Action.FIX_IMMEDIATELY,
        Action.ASSIGN,
        Action.PROGRESS,
        Action.RECTIFY,
        Action.VERIFY,
        Action.CLOSE,
        Action.SUPERVISE,
        Action.PHOTO,
    )
    steps = [s for s in order if may(actor, s, hazard)]
    if Action.SUPERVISE in steps and hazard.grade != Grade.MAJOR:
        steps.remove(Action.SUPERVISE)
    return steps


def check_step(actor, step: str, hazard) -> None:
    """Refuse ``step`` unless the hazard's state allows it and ``actor`` may make it."""
    if actor is not None:
        check_object(actor, "view", hazard)  # outside scope: the caller already answers 404
    if step != Action.REPORT:
        starts, _to = TRANSITIONS[step]
        if hazard.status not in starts:
            allowed = "、".join(str(Status(s).label) for s in sorted(starts, key=list(Status).index))
            raise WorkflowError(
                _("隐患当前状态为“%(state)s”，不能执行“%(step)s”（只能在%(allowed)s状态下执行）。")
                % {"state": hazard.get_status_display(), "step": Action(step).label, "allowed": allowed},
                "invalid_transition",
            )
    kinds = _kinds_of(actor, hazard)
    if "*" not in kinds and not kinds & WHO[who_key(step, hazard)]:
        raise AccessDenied(
            _("您不能对该隐患执行“%(step)s”：%(who)s。")
            % {"step": Action(step).label, "who": who_text(step, hazard)},
            code="step_not_allowed",
        )


_KIND_TEXT = {
    "officer": "属地应急管理局、行业部门或执法人员",
    "senior_officer": "县（区）或市级监管人员",
    "bureau": "属地应急管理局",
    "enterprise": "隐患所在企业的企业用户",
    "responsible": "整改责任人",
    "local": "属地监管人员（无企业的隐患）",
    "reporter": "有上报权限的人员",
}


def who_text(step: str, hazard) -> str:
    kinds = WHO[who_key(step, hazard)]
    return _("只能由%(who)s执行") % {"who": "、".join(_KIND_TEXT[k] for k in sorted(kinds))}


# --- helpers ----------------------------------------------------------------------------------------


def _now():
    return timezone.now()


def _lock(hazard):
    from yingji.hazards.models import Hazard

    return (
        Hazard.objects.select_for_update(of=("self",)).select_related("place", "enterprise").get(pk=hazard.pk)
    )


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


def record_event(hazard, action, *, actor, from_status="", to_status="", note="", data=None, at=None):
    from yingji.hazards.models import HazardEvent

    user = _actor_user(actor)
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        actor=user,
        actor_name=(user.get_full_name() or user.username) if user else _("系统"),
        at=at or _now(),
        note=note or "",
        data=data or {},
    )


def _move(hazard, step, *, actor, to=None, note="", data=None, save_fields=None):
    """Set the new state, save and record the event; returns the event."""
    before = hazard.status
    to = to or TRANSITIONS[step][1] or before
    hazard.status = to
    hazard.save()
    return record_event(hazard, step, actor=actor, from_status=before, to_status=to, note=note, data=data)


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def _as_due(value):
    """A due date/datetime from a form or JSON value: a date means 24:00 (end) of that day."""
    from yingji.deadlines import calendar

    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = value.strip()
        try:
            parsed = parse_date(value) if len(value) == 10 else parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise _field_error("due_at", _("期限格式应为 2026-12-31。"), "invalid_value")
        value = parsed
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
    return calendar.end_of_day(value)


def responsible_user(hazard, fallback=None):
    """The account reminded of the rectification deadline: the 责任人's account, else an enterprise user."""
    from yingji.accounts.models import User

    if hazard.responsible_id:
        user = User.objects.filter(person_id=hazard.responsible_id, is_active=True).first()
        if user:
            return user
    if hazard.enterprise_id:
        user = (
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.ENTERPRISE_USER,
                role_assignments__enterprise_id=hazard.enterprise_id,
            )
            .order_by("pk")
            .first()
        )
        if user:
            return user
    return _actor_user(fallback)


def _due_arg(due):
    """A due time as ``yingji.deadlines`` wants it: the end of a day is passed as that day (a date), so
    reminders and escalations of day deadlines are sent at 08:00, not at midnight."""
    from yingji.deadlines import calendar

    day = timezone.localtime(due).date()
    return day if calendar.end_of_day(day) == due else due


def _rectify_rule(hazard) -> str:
    return "hazards.rectify_major" if hazard.grade == Grade.MAJOR else "hazards.rectify_general"


def _track_rectification(hazard, *, actor):
    from yingji.deadlines import services as deadlines

    deadlines.track(
        hazard,
        rule=_rectify_rule(hazard),
        start=None,
        due=_due_arg(hazard.due_at),
        actor=None,
        responsible=responsible_user(hazard, actor),
        supervisor=_actor_user(actor),
        title=_("隐患整改：%(hazard)s") % {"hazard": hazard},
    )


def _meet(hazard, rule=None):
    from yingji.deadlines import services as deadlines

    deadlines.meet(hazard, actor=None, rule=rule)


def _save_photos(hazard, photos, *, stage, actor, event=None):
    for upload in photos or ():
        add_photo(hazard, actor=actor, image=upload, stage=stage, event=event, _checked=True)


# --- services ---------------------------------------------------------------------------------------

_REPORT_FIELDS = {
    "title",
    "description",
    "category",
    "kind",
    "disaster_type",
    "enterprise",
    "place",
    "department",
    "longitude",
    "latitude",
    "address",
    "found_at",
    "finder_name",
}


def _new_number(kind: str, found_at) -> str:
    prefix = "ZH" if kind == HazardKind.DISASTER else "YH"
    return f"{prefix}{timezone.localtime(found_at):%Y%m%d}{secrets.token_hex(3).upper()}"


@transaction.atomic
def report_hazard(*, actor, source, photos=(), **fields):
    """Record a newly found hazard (状态：已上报) and start its confirmation deadline; returns it.

    ``fields``: title (required), description, category, kind (work_safety/disaster), disaster_type
    (required for disaster hazards), enterprise (instance or id) or place (instance or 12-digit code)
    or longitude/latitude (the village containing the point is found), address, found_at (default
    now), finder_name, department. The place of an enterprise's hazard is the enterprise's village.
    ``actor=None`` is the platform itself (e.g. a converted public report after the caller's checks).
    """
    from yingji.hazards.models import Hazard
    from yingji.orgs.models import Department, Enterprise
    from yingji.places.models import Place
    from yingji.places.services import locate_point

    unknown = set(fields) - _REPORT_FIELDS
    if unknown:
        raise TypeError(f"report_hazard() got unexpected fields: {sorted(unknown)}")
    errors = {}

    def bad(field, message, code="invalid_value"):
        errors.setdefault(field, []).append({"code": code, "message": str(message)})

    if source not in Source.values:
        bad("source", _("请选择隐患来源。"), "invalid_choice")
    kind = fields.get("kind") or HazardKind.WORK_SAFETY
    if kind not in HazardKind.values:
        bad("kind", _("隐患类别只能是生产安全事故隐患或灾害风险隐患。"), "invalid_choice")
    disaster_type = _text(fields.get("disaster_type"))
    if kind == HazardKind.DISASTER and disaster_type not in DisasterType.values:
        bad("disaster_type", _("灾害风险隐患须选择灾害隐患类型。"), "required")
    if kind == HazardKind.WORK_SAFETY:
        disaster_type = ""
    title = _text(fields.get("title"))
    if not title:
        bad("title", _("请填写隐患名称。"), "required")
    elif len(title) > 200:
        bad("title", _("隐患名称不能超过200字。"), "max_length")

    enterprise = fields.get("enterprise")
    if enterprise is not None and not isinstance(enterprise, Enterprise):
        enterprise = Enterprise.objects.filter(pk=enterprise).first() if str(enterprise).isdigit() else None
        if enterprise is None:
            bad("enterprise", _("企业不存在。"), "does_not_exist")
    place = fields.get("place")
    if place is not None and not isinstance(place, Place):
        place = Place.objects.filter(code=str(place).strip()).defer("boundary").first()
        if place is None:
            bad("place", _("区划代码不存在。"), "does_not_exist")
    lon, lat = fields.get("longitude"), fields.get("latitude")
    try:
        lon = None if lon in (None, "") else float(lon)
        lat = None if lat in (None, "") else float(lat)
    except (TypeError, ValueError):
        bad("longitude", _("经纬度须为数字。"), "invalid_value")
        lon = lat = None
    if (lon is None) != (lat is None):
        bad("latitude", _("经度和纬度须同时填写。"), "invalid_value")
    elif lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        bad("longitude", _("经纬度超出范围。"), "invalid_value")
    if enterprise is not None:
        place = enterprise.place
    elif place is None and lon is not None and lat is not None and not errors:
        place = locate_point(lon, lat)
        if place is None:
            bad("longitude", _("该位置不在本市任何村（社区）范围内，请核对经纬度或选择所在区划。"), "outside")
    if place is None and "place" not in errors and "longitude" not in errors:
        bad("place", _("请选择企业、所在区划，或提供发现地点的经纬度。"), "place_required")
    found_at = fields.get("found_at") or _now()
    if isinstance(found_at, str):
        parsed = parse_datetime(found_at) or parse_date(found_at)
        if parsed is None:
            bad("found_at", _("发现时间格式应为 2026-11-23T10:00:00+08:00。"), "invalid_value")
            parsed = _now()
        found_at = parsed if isinstance(parsed, dt.datetime) else dt.datetime.combine(parsed, dt.time(12))
    if isinstance(found_at, dt.datetime) and timezone.is_naive(found_at):
        found_at = timezone.make_aware(found_at)
    if found_at > _now() + dt.timedelta(minutes=5):
        bad("found_at", _("发现时间不能晚于当前时间。"), "in_future")
    department = fields.get("department")
    if department is not None and not isinstance(department, Department):
        department = Department.objects.filter(pk=department).first()
    if department is None and enterprise is not None:
        department = enterprise.regulator
    if errors:
        raise WorkflowError(_("提交的隐患信息有误，请按字段提示修改。"), "validation_error", errors)

    user = _actor_user(actor)
    hazard = Hazard(
        number=_new_number(kind, found_at),
        kind=kind,
        disaster_type=disaster_type,
        source=source,
        enterprise=enterprise,
        industry=enterprise.industry if enterprise is not None else "",
        place=place,
        department=department,
        address=_text(fields.get("address"))[:200] or (enterprise.address if enterprise else ""),
        title=title,
        description=_text(fields.get("description")),
        category=_text(fields.get("category"))[:60],
        longitude=lon if lon is not None else (enterprise.longitude if enterprise else None),
        latitude=lat if lat is not None else (enterprise.latitude if enterprise else None),
        found_at=found_at,
        finder=user,
        finder_name=_text(fields.get("finder_name"))[:50]
        or ((user.get_full_name() or user.username) if user else ""),
    )
    if actor is not None:
        check_object(actor, "add", hazard)
    from yingji.deadlines import services as deadlines
    from yingji.hazards import tally

    with tally.deferred():  # the statistics' count last, so its row is locked only until the commit
        hazard.save()
        event = record_event(
            hazard, Action.REPORT, actor=actor, to_status=S.REPORTED, data={"source": source}, at=None
        )
        _save_photos(hazard, photos, stage=PhotoStage.FOUND, actor=actor, event=event)
        deadlines.track(
            hazard, rule="hazards.confirm", start=None, actor=None, title=_("隐患确认：%(h)s") % {"h": hazard}
        )
    return hazard


@transaction.atomic
def confirm_hazard(
    hazard, *, actor, grade, major_standard="", major_criterion="", department=None, category=None, note=""
):
    """认定 a reported hazard and grade it 一般/重大; a major hazard names the standard it meets."""
    hazard = _lock(hazard)
    check_step(actor, Action.CONFIRM, hazard)
    if grade not in Grade.values:
        raise _field_error("grade", _("请确定隐患等级：一般隐患或重大隐患。"), "grade_required")
    if grade == Grade.MAJOR:
        if major_standard not in STANDARDS:
            raise _field_error(
                "major_standard", _("重大隐患须选择所依据的重大事故隐患判定标准。"), "major_standard_required"
            )
        if not _text(major_criterion):
            raise _field_error(
                "major_criterion",
                _("重大隐患须写明符合判定标准的哪一条款或情形。"),
                "major_criterion_required",
            )
        hazard.major_standard, hazard.major_criterion = major_standard, _text(major_criterion)[:200]
    else:
        hazard.major_standard, hazard.major_criterion = "", ""
    if department is not None:
        hazard.department = department
    if category is not None:
        hazard.category = _text(category)[:60]
    hazard.grade = grade
    hazard.review_levels = config.review_levels(grade)
    hazard.reviews_passed = 0
    hazard.confirmed_at = _now()
    if actor is not None:
        check_object(actor, "view", hazard)  # a new department must keep it in the actor's scope
    _move(hazard, Action.CONFIRM, actor=actor, note=note, data={"grade": grade, "standard": major_standard})
    _meet(hazard, "hazards.confirm")
    return hazard


@transaction.atomic
def dismiss_hazard(hazard, *, actor, reason):
    """不予认定: the report is not a hazard (with the reason)."""
    hazard = _lock(hazard)
    check_step(actor, Action.DISMISS, hazard)
    reason = _text(reason)
    if not reason:
        raise _field_error("reason", _("请填写不予认定的理由。"), "reason_required")
    hazard.dismiss_reason = reason
    hazard.closed_at = _now()
    _move(hazard, Action.DISMISS, actor=actor, note=reason)
    _meet(hazard, "hazards.confirm")
    return hazard


@transaction.atomic
def fix_immediately(hazard, *, actor, evidence, photos=()):
    """立查立改: a general hazard fixed on the spot is closed at once, with the evidence."""
    hazard = _lock(hazard)
    check_step(actor, Action.FIX_IMMEDIATELY, hazard)
    if hazard.grade == Grade.MAJOR:
        raise WorkflowError(_("重大隐患不能立查立改，须制定治理方案并交办整改。"), "only_general")
    evidence = _text(evidence)
    if not evidence:
        raise _field_error("evidence", _("请说明现场整改情况（整改证据）。"), "evidence_required")
    now = _now()
    hazard.grade = Grade.GENERAL
    hazard.immediate = True
    hazard.rectification_note = evidence
    hazard.confirmed_at = hazard.confirmed_at or now
    hazard.rectified_at = hazard.verified_at = hazard.closed_at = now
    hazard.review_levels = hazard.reviews_passed = 1
    event = _move(hazard, Action.FIX_IMMEDIATELY, actor=actor, note=evidence)
    _save_photos(hazard, photos, stage=PhotoStage.RECTIFICATION, actor=actor, event=event)
    _meet(hazard)
    return hazard


FIVE_ITEMS = ("responsible", "measures", "funds", "due_at", "contingency_plan")


@transaction.atomic
def assign_rectification(
    hazard,
    *,
    actor,
    responsible=None,
    measures="",
    funds=None,
    due_at=None,
    contingency_plan="",
    responsible_unit="",
    plan=None,
    note="",
):
    """交办整改 with the "五落实" (责任人、整改措施、资金、期限、应急预案); a major hazard also needs its 治理方案
    (``plan``: a dict of the six elements of :attr:`RectificationPlan.ELEMENTS`). Starts the deadline."""
    from yingji.accounts.models import Person
    from yingji.hazards.models import RectificationPlan

    hazard = _lock(hazard)
    check_step(actor, Action.ASSIGN, hazard)
    labels = {
        "responsible": _("整改责任人"),
        "measures": _("整改措施"),
        "funds": _("整改资金"),
        "due_at": _("整改期限"),
        "contingency_plan": _("应急预案（防范措施）"),
    }
    missing = {}
    if responsible is not None and not isinstance(responsible, Person):
        responsible = Person.objects.filter(pk=responsible).first() if str(responsible).isdigit() else None
    if responsible is not None and actor is not None:
        if not Person.objects.visible_to(actor).filter(pk=responsible.pk).exists():
            responsible = None
    values = {
        "responsible": responsible,
        "measures": _text(measures),
        "contingency_plan": _text(contingency_plan),
    }
    try:
        values["funds"] = None if funds in (None, "") else Decimal(str(funds))
        if values["funds"] is not None and (values["funds"] < 0 or not values["funds"].is_finite()):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise _field_error("funds", _("整改资金须为不小于0的金额（万元）。"), "invalid_value") from None
    values["due_at"] = _as_due(due_at)
    for name in FIVE_ITEMS:
        if values[name] in (None, ""):
            missing[name] = [{"code": "required", "message": _("请填写%(item)s。") % {"item": labels[name]}}]
    if missing:
        names = "、".join(str(labels[n]) for n in FIVE_ITEMS if n in missing)
        raise WorkflowError(
            _("交办整改须落实“五落实”，尚缺：%(names)s。") % {"names": names}, "missing_five_items", missing
        )
    if values["due_at"] <= _now():
        raise _field_error("due_at", _("整改期限须晚于当前时间。"), "due_in_past")
    if hazard.grade == Grade.MAJOR:
        plan = plan or {}
        plan_missing = {
            f"plan.{name}": [
                {
                    "code": "required",
                    "message": _("请填写治理方案的“%(e)s”。")
                    % {"e": RectificationPlan._meta.get_field(name).verbose_name},
                }
            ]
            for name in RectificationPlan.ELEMENTS
            if not _text(plan.get(name))
        }
        if plan_missing:
            raise WorkflowError(
                _(
                    "重大隐患须制定包含六项内容的治理方案（目标任务、方法措施、经费物资、机构人员、时限要求、"
                    "安全措施和应急预案）。"
                ),
                "missing_plan",
                plan_missing,
            )
        RectificationPlan.objects.update_or_create(
            hazard=hazard, defaults={name: _text(plan.get(name)) for name in RectificationPlan.ELEMENTS}
        )
    hazard.responsible = values["responsible"]
    hazard.measures = values["measures"]
    hazard.funds = values["funds"]
    hazard.due_at = values["due_at"]
    hazard.contingency_plan = values["contingency_plan"]
    hazard.responsible_unit = _text(responsible_unit)[:200] or (
        hazard.enterprise.name if hazard.enterprise_id else ""
    )
    _move(
        hazard,
        Action.ASSIGN,
        actor=actor,
        note=note,
        data={"due_at": values["due_at"].isoformat(), "responsible": values["responsible"].pk},
    )
    _track_rectification(hazard, actor=actor)
    return hazard


@transaction.atomic
def add_progress(hazard, *, actor, note, photos=()):
    """整改进展: a note (and photos) while rectifying; the first one moves 已交办 → 整改中."""
    hazard = _lock(hazard)
    check_step(actor, Action.PROGRESS, hazard)
    note = _text(note)
    if not note:
        raise _field_error("note", _("请填写整改进展情况。"), "note_required")
    event = _move(hazard, Action.PROGRESS, actor=actor, note=note)
    _save_photos(hazard, photos, stage=PhotoStage.RECTIFICATION, actor=actor, event=event)
    return hazard


@transaction.atomic
def submit_rectification(hazard, *, actor, evidence, photos=()):
    """整改完成: the evidence (text, photos) is submitted for verification; the deadline is met."""
    hazard = _lock(hazard)
    check_step(actor, Action.RECTIFY, hazard)
    evidence = _text(evidence)
    if not evidence:
        raise _field_error("evidence", _("请说明整改完成情况（整改证据）。"), "evidence_required")
    hazard.rectification_note = evidence
    hazard.rectified_at = _now()
    hazard.reviews_passed = 0
    event = _move(hazard, Action.RECTIFY, actor=actor, note=evidence)
    _save_photos(hazard, photos, stage=PhotoStage.RECTIFICATION, actor=actor, event=event)
    _meet(hazard, _rectify_rule(hazard))
    return hazard


@transaction.atomic
def verify_hazard(hazard, *, actor, approve: bool, note="", photos=()):
    """验收（复核）one level. Approval passes the level (the last level makes it 已验收); rejection sends it
    back to 整改中 and the verification starts again from level 1."""
    hazard = _lock(hazard)
    step = Action.VERIFY if approve else Action.REJECT
    check_step(actor, step, hazard)
    note = _text(note)
    level = hazard.reviews_passed + 1
    if approve:
        hazard.reviews_passed = level
        last = level >= hazard.review_levels
        if last:
            hazard.verified_at = _now()
        event = _move(
            hazard,
            Action.VERIFY,
            actor=actor,
            to=S.VERIFIED if last else S.RECTIFIED,
            note=note,
            data={"level": level, "levels": hazard.review_levels},
        )
    else:
        if not note:
            raise _field_error("note", _("验收不通过须写明原因和整改要求。"), "reason_required")
        hazard.reviews_passed = 0
        hazard.rectified_at = None
        event = _move(hazard, Action.REJECT, actor=actor, note=note, data={"level": level})
        _track_rectification(hazard, actor=actor)
    _save_photos(hazard, photos, stage=PhotoStage.VERIFICATION, actor=actor, event=event)
    return hazard


@transaction.atomic
def close_hazard(hazard, *, actor, note=""):
    """销号. A hazard listed for supervision is closed only by the listing level (or a higher one)."""
    hazard = _lock(hazard)
    check_step(actor, Action.CLOSE, hazard)
    if hazard.supervised_by_id and actor is not None and "*" not in _kinds_of(actor, hazard):
        level = hazard.supervised_by
        if not any(
            a.role in OFFICER_ROLES and a.place_id is not None and level.path.startswith(a.place.path)
            for a in assignments_of(actor)
        ):
            raise AccessDenied(
                _("该隐患由%(level)s挂牌督办，只能由%(level)s（或上级）销号。") % {"level": level},
                code="supervised_elsewhere",
            )
    hazard.closed_at = _now()
    _move(hazard, Action.CLOSE, actor=actor, note=_text(note))
    _meet(hazard)
    return hazard


@transaction.atomic
def list_for_supervision(hazard, *, actor, level_place, due_at, note=""):
    """挂牌督办 of a major hazard by a 市/县/镇 with its own time limit (through ``yingji.deadlines``);
    afterwards only that level may close it."""
    from yingji.deadlines import services as deadlines

    hazard = _lock(hazard)
    check_step(actor, Action.SUPERVISE, hazard)
    if hazard.grade != Grade.MAJOR:
        raise WorkflowError(_("只有重大隐患可以挂牌督办。"), "only_major")
    due = _as_due(due_at)
    if due is None:
        raise _field_error("due_at", _("请填写督办时限。"), "required")
    if due <= _now():
        raise _field_error("due_at", _("督办时限须晚于当前时间。"), "due_in_past")
    deadline = deadlines.track(
        hazard,
        rule="hazards.supervision",
        start=None,
        due=_due_arg(due),
        actor=None,
        responsible=responsible_user(hazard, actor),
        supervisor=_actor_user(actor),
        title=_("挂牌督办：%(hazard)s") % {"hazard": hazard},
    )
    try:
        deadlines.list_for_supervision(deadline, actor=actor, level_place=level_place, note=_text(note))
    except Exception as exc:
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            raise _field_error(field, " ".join(errors[0].messages), errors[0].code or "invalid") from exc
        raise
    hazard.supervised_by = level_place
    hazard.supervised_at = _now()
    hazard.supervision_due_at = due
    hazard.supervision_note = _text(note)
    _move(
        hazard,
        Action.SUPERVISE,
        actor=actor,
        note=_text(note),
        data={"level_place": level_place.code, "due_at": due.isoformat()},
    )
    return hazard


@transaction.atomic
def add_photo(hazard, *, actor, image, stage=PhotoStage.FOUND, caption="", event=None, _checked=False):
    """Attach a checked photo (JPG/PNG/WebP, size-capped) to a hazard at a stage of the loop."""
    from django.core.exceptions import ValidationError

    from yingji.framework.uploads import stored_name, validate_image
    from yingji.hazards.models import HazardPhoto

    if stage not in PhotoStage.values:
        raise _field_error("stage", _("照片阶段只能是发现、整改或验收。"), "invalid_choice")
    if not _checked:
        hazard = _lock(hazard)
        check_step(actor, Action.PHOTO, hazard)
    try:
        ext = validate_image(image)
    except ValidationError as exc:
        raise _field_error("image", " ".join(exc.messages), exc.code or "image_invalid") from exc
    if event is None:
        event = record_event(
            hazard,
            Action.PHOTO,
            actor=actor,
            from_status=hazard.status,
            to_status=hazard.status,
            note=_text(caption),
            data={"stage": stage},
        )
    photo = HazardPhoto(
        hazard=hazard, stage=stage, caption=_text(caption)[:200], event=event, uploaded_by=_actor_user(actor)
    )
    photo.image.save(stored_name("hazards", ext), image, save=False)
    photo.save()
    return photo
