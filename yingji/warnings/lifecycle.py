"""The lifecycle of a warning — the one place where ``Warning.status`` changes.

::

    draft ──submit──▶ review ──approve──▶ approved ──publish──▶ published ──(expires_at)──▶ expired
      ▲                 │                                          │
      └──(edit)── rejected ◀──reject──┘                             ├─ update: a NEW warning (msgType Update,
                                                                    │  references = this one) goes through the
                                                                    │  same steps; when it is published this
                                                                    │  one becomes ``updated``
                                                                    └─ cancel: a NEW warning (msgType Cancel) is
                                                                       published at once; this one becomes
                                                                       ``cancelled``

Rights (role matrix in ``apps.py``; docs/warnings.md): compose = ``add`` on ``warnings.warning``
(bureau officers, duty officers); edit a draft = ``change`` in scope; submit it = its author; approve
or reject = the ``approve`` right (bureau officers, leaders) and never someone who composed or edited
it (four-eyes); publish and cancel =
the ``publish`` right (bureau officers, duty officers). Every right is also limited to the actor's
scope (the warning's issuing place). Platform administrators hold every right but four-eyes still
applies. Every step writes a :class:`WarningEvent` and, through the model signals, the change log.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object, has_global
from yingji.warnings import catalogue
from yingji.warnings.choices import EventAction, Level, MsgType, Origin, Status, WarningType
from yingji.warnings.models import EDITABLE_STATUSES, Warning, WarningEvent

logger = logging.getLogger(__name__)

APPROVE, PUBLISH = "approve", "publish"

#: The allowed moves: action → (statuses it starts from, status it leads to).
TRANSITIONS = {
    EventAction.SUBMIT: ((Status.DRAFT, Status.REJECTED), Status.REVIEW),
    EventAction.APPROVE: ((Status.REVIEW,), Status.APPROVED),
    EventAction.REJECT: ((Status.REVIEW,), Status.REJECTED),
    EventAction.PUBLISH: ((Status.APPROVED,), Status.PUBLISHED),
    EventAction.UPDATE: ((Status.PUBLISHED,), Status.UPDATED),
    EventAction.CANCEL: ((Status.PUBLISHED,), Status.CANCELLED),
    EventAction.EXPIRE: ((Status.PUBLISHED,), Status.EXPIRED),
}


class TransitionError(ValidationError):
    """A step the warning's status does not allow (shown as a message; API code ``invalid_transition``)."""


def _refuse(message: str, code: str = "invalid_transition"):
    raise TransitionError(message, code=code)


def may(user, action: str, warning: Warning) -> bool:
    """Whether ``user`` holds ``action`` (view/add/change/delete/approve/publish) on this warning in scope."""
    if has_global(user, "change", Warning):
        return True
    return allows_object(user, action, warning)


def _require(user, action: str, warning: Warning, message: str):
    if not may(user, action, warning):
        raise AccessDenied(message, code="permission_denied")


def _is_author(user, warning: Warning) -> bool:
    return warning.created_by_id is not None and warning.created_by_id == getattr(user, "pk", None)


def _may_submit(user, warning: Warning) -> bool:
    """The author submits; a draft whose author is gone may be submitted by any editor in scope."""
    return _is_author(user, warning) or warning.created_by_id is None or has_global(user, "change", Warning)


def _wrote(user, warning: Warning) -> bool:
    """Whether ``user`` composed or edited this warning (four-eyes: they may not approve it)."""
    if _is_author(user, warning):
        return True
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and warning.events.filter(actor_id=pk, action__in=(EventAction.COMPOSE, EventAction.EDIT)).exists()
    )


def allowed_actions(user, warning: Warning) -> list[str]:
    """The next steps ``user`` may take on ``warning`` (drives the buttons on the page)."""
    out = []
    status = warning.status
    if warning.origin == Origin.LOCAL and status in EDITABLE_STATUSES and may(user, "change", warning):
        out.append("edit")
        if _may_submit(user, warning):
            out.append("submit")
    if status == Status.REVIEW and may(user, APPROVE, warning) and not _wrote(user, warning):
        out += ["approve", "reject"]
    if status == Status.APPROVED and may(user, PUBLISH, warning):
        out.append("publish")
    if status == Status.PUBLISHED and warning.msg_type != MsgType.CANCEL:
        if may(user, "add", warning):
            out.append("update")
        if may(user, PUBLISH, warning):
            out.append("cancel")
    return out


def _event(warning, action, from_status, *, actor, note="", at=None) -> WarningEvent:
    return WarningEvent.objects.create(
        warning=warning,
        action=action,
        from_status=from_status or "",
        to_status=warning.status,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or timezone.now(),
        note=note or "",
    )


def _move(warning: Warning, action: str, *, actor, note="", **fields) -> Warning:
    sources, target = TRANSITIONS[action]
    if warning.status not in sources:
        _refuse(
            _("当前状态“%(status)s”不能执行“%(action)s”。")
            % {"status": warning.get_status_display(), "action": EventAction(action).label}
        )
    before = warning.status
    warning.status = target
    for key, value in fields.items():
        setattr(warning, key, value)
    warning.save()
    _event(warning, action, before, actor=actor, note=note)
    return warning


# --- validation ---------------------------------------------------------------------------------


def _polygon_ring(polygon) -> list | None:
    if not isinstance(polygon, dict) or polygon.get("type") != "Polygon":
        return None
    coords = polygon.get("coordinates")
    if not isinstance(coords, list) or not coords or not isinstance(coords[0], list):
        return None
    ring = coords[0]
    try:
        ring = [[float(p[0]), float(p[1])] for p in ring]
    except (TypeError, ValueError, IndexError):
        return None
    if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in ring):
        return None
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    if len(ring) < 4:
        return None
    return ring


def validate_warning(warning: Warning) -> None:
    """The rules of a warning's content; raises a ValidationError per field with a stable code."""
    errors = {}
    for name in ("effective_at", "expires_at", "sent_at"):  # CAP times are whole seconds
        value = getattr(warning, name)
        if value is not None and hasattr(value, "microsecond"):
            setattr(warning, name, value.replace(microsecond=0))
    if (
        warning.warning_type
        and warning.level
        and not catalogue.level_allowed(warning.warning_type, warning.level)
    ):
        allowed = "、".join(str(Level(lv).label) for lv in catalogue.allowed_levels(warning.warning_type))
        errors["level"] = ValidationError(
            _("“%(type)s”预警没有%(level)s级别；可选：%(allowed)s。")
            % {
                "type": WarningType(warning.warning_type).label,
                "level": Level(warning.level).label,
                "allowed": allowed,
            },
            code="level_not_allowed",
        )
    if warning.effective_at and warning.expires_at and warning.expires_at <= warning.effective_at:
        errors["expires_at"] = ValidationError(
            _("失效时间必须晚于生效时间。"), code="expires_before_effective"
        )
    if warning.area_polygon not in (None, "", {}):
        ring = _polygon_ring(warning.area_polygon)
        if ring is None:
            errors["area_polygon"] = ValidationError(
                _("多边形应为 GeoJSON Polygon（经度在前），至少3个不同的顶点，坐标在有效范围内。"),
                code="invalid_polygon",
            )
        else:
            warning.area_polygon = {"type": "Polygon", "coordinates": [ring]}
    else:
        warning.area_polygon = None
    circle = (warning.area_circle_latitude, warning.area_circle_longitude, warning.area_circle_radius_km)
    if any(v is not None for v in circle):
        lat, lon, radius = circle
        if None in circle:
            errors["area_circle_radius_km"] = ValidationError(
                _("圆形区域需要同时填写圆心经度、纬度和半径。"), code="invalid_circle"
            )
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180) or not (0 < radius <= 1000):
            errors["area_circle_radius_km"] = ValidationError(
                _("圆心坐标超出范围，或半径不在 0–1000 公里之间。"), code="invalid_circle"
            )
    if errors:
        raise ValidationError(errors)


# --- compose and edit ---------------------------------------------------------------------------


@transaction.atomic
def save_warning(warning: Warning, *, actor, area_places=None) -> Warning:
    """Compose a new warning (draft) or save the author's changes to a draft/rejected one."""
    from yingji.framework.access import check_object

    new = warning._state.adding
    if not new:
        stored = Warning.objects.select_for_update().get(pk=warning.pk)
        if stored.status not in EDITABLE_STATUSES or stored.origin != Origin.LOCAL:
            _refuse(_("只有草稿或被退回的预警可以修改。"), code="not_editable")
        warning.status = stored.status
    if not warning.instruction and warning.warning_type and warning.level:
        warning.instruction = catalogue.guidance(warning.warning_type, warning.level)
    if warning.issuer_id and not warning.sender_name:
        warning.sender_name = warning.issuer.name
    if new:
        warning.status = Status.DRAFT
        warning.origin = Origin.LOCAL
        if getattr(actor, "pk", None):
            warning.created_by = actor
        if warning.place_id:
            warning.identifier = catalogue.new_identifier(warning.place)
            warning.cap_sender = catalogue.issuer_code(warning.place)
    validate_warning(warning)
    warning.full_clean(exclude=["identifier"] if not warning.identifier else None)
    check_object(actor, "add" if new else "change", warning)
    warning.save()
    if area_places is not None:
        warning.area_places.set(area_places)
    _event(
        warning, EventAction.COMPOSE if new else EventAction.EDIT, "" if new else warning.status, actor=actor
    )
    return warning


# --- steps --------------------------------------------------------------------------------------


def _locked(warning: Warning) -> Warning:
    """Lock the row and bring ``warning`` (the caller's instance) up to date with it."""
    fresh = Warning.objects.select_for_update().get(pk=warning.pk)
    for field in Warning._meta.concrete_fields:
        setattr(warning, field.attname, getattr(fresh, field.attname))
    return warning


@transaction.atomic
def submit(warning: Warning, *, actor, note: str = "") -> Warning:
    """The author hands the draft in for review."""
    warning = _locked(warning)
    _require(actor, "change", warning, _("您无权提交该预警。"))
    if not _may_submit(actor, warning):
        raise AccessDenied(_("只有编制人可以提交审核。"), code="not_author")
    return _move(warning, EventAction.SUBMIT, actor=actor, note=note)


def _check_four_eyes(actor, warning):
    if _wrote(actor, warning):
        raise AccessDenied(
            _("不能审核自己编制的预警（双人审核）：请由另一位有审核权限的人员审核。"), code="four_eyes"
        )


@transaction.atomic
def approve(warning: Warning, *, actor, note: str = "") -> Warning:
    warning = _locked(warning)
    _require(actor, APPROVE, warning, _("您没有审核预警的权限。"))
    _check_four_eyes(actor, warning)
    return _move(warning, EventAction.APPROVE, actor=actor, note=note)


@transaction.atomic
def reject(warning: Warning, *, actor, note: str) -> Warning:
    if not (note or "").strip():
        raise ValidationError({"note": ValidationError(_("请填写退回原因。"), code="required")})
    warning = _locked(warning)
    _require(actor, APPROVE, warning, _("您没有审核预警的权限。"))
    _check_four_eyes(actor, warning)
    return _move(warning, EventAction.REJECT, actor=actor, note=note.strip())


def _schedule_fanout(warning: Warning) -> None:
    warning_id = warning.pk

    def start():
        try:
            from yingji.warnings.fanout import start_fanout
        except ImportError:
            logger.info("warnings: no fan-out module; warning %s published without fan-out", warning_id)
            return
        start_fanout(Warning.objects.get(pk=warning_id))

    transaction.on_commit(start)


@transaction.atomic
def publish(warning: Warning, *, actor, note: str = "") -> Warning:
    """Publish an approved warning: it becomes active, is sent out (fan-out after commit) and, for an
    Update, replaces the warning it references."""
    warning = _locked(warning)
    _require(actor, PUBLISH, warning, _("您没有发布预警的权限。"))
    now = timezone.now().replace(microsecond=0)
    if warning.expires_at <= now:
        _refuse(_("该预警的失效时间已过，不能发布：请更新失效时间后重新提交。"), code="already_expired")
    old = None
    if warning.msg_type == MsgType.UPDATE and warning.references_id:
        old = Warning.objects.select_for_update().get(pk=warning.references_id)
        if old.status in (Status.CANCELLED, Status.UPDATED):
            _refuse(
                _("所更新的预警已%(status)s，不能再发布对它的更新。") % {"status": old.get_status_display()},
                code="reference_closed",
            )
    _move(warning, EventAction.PUBLISH, actor=actor, note=note, sent_at=now)
    if old is not None and old.status == Status.PUBLISHED:
        _move(old, EventAction.UPDATE, actor=actor, note=_("由 %(id)s 更新") % {"id": warning.identifier})
    _schedule_fanout(warning)
    return warning


_COPIED = (
    "warning_type",
    "level",
    "issuer",
    "sender_name",
    "headline",
    "description",
    "instruction",
    "effective_at",
    "expires_at",
    "place",
    "area_polygon",
    "area_circle_longitude",
    "area_circle_latitude",
    "area_circle_radius_km",
    "area_description",
    "target_groups",
    "industries",
    "risk_flags",
    "channels",
)


def _follow_up(old: Warning, msg_type: str, *, actor) -> Warning:
    new = Warning(msg_type=msg_type, references=old)
    for name in _COPIED:
        setattr(new, name, getattr(old, name))
    new.created_by = actor if getattr(actor, "pk", None) else None
    new.origin = Origin.LOCAL
    new.identifier = catalogue.new_identifier(old.place)
    new.cap_sender = catalogue.issuer_code(old.place)
    return new


@transaction.atomic
def start_update(old: Warning, *, actor, **changes) -> Warning:
    """Open the update of a published warning: a new draft (msgType Update, references the old one) that
    goes through review and approval; ``changes`` are applied to the copy (level, times, texts …)."""
    old = _locked(old)
    if old.status != Status.PUBLISHED or old.msg_type == MsgType.CANCEL:
        _refuse(_("只有已发布的预警可以更新。"))
    _require(actor, "add", old, _("您无权更新该预警。"))
    new = _follow_up(old, MsgType.UPDATE, actor=actor)
    area_places = changes.pop("area_places", None)
    for key, value in changes.items():
        setattr(new, key, value)
    if "level" in changes and "instruction" not in changes:
        new.instruction = catalogue.guidance(new.warning_type, new.level)
    new.status = Status.DRAFT
    validate_warning(new)
    new.full_clean()
    new.save()
    new.area_places.set(area_places if area_places is not None else old.area_places.all())
    _event(new, EventAction.COMPOSE, "", actor=actor, note=_("更新 %(id)s") % {"id": old.identifier})
    return new


@transaction.atomic
def cancel(old: Warning, *, actor, note: str = "") -> Warning:
    """Lift (解除) a published warning: a Cancel document is published at once and the warning becomes
    ``cancelled``. Returns the Cancel document."""
    old = _locked(old)
    if old.status != Status.PUBLISHED or old.msg_type == MsgType.CANCEL:
        _refuse(_("只有已发布的预警可以解除。"))
    _require(actor, PUBLISH, old, _("您没有解除预警的权限。"))
    now = timezone.now().replace(microsecond=0)
    notice = _follow_up(old, MsgType.CANCEL, actor=actor)
    notice.headline = (_("解除：%(headline)s") % {"headline": old.headline})[:200]
    notice.description = note.strip() or _("%(sender)s解除%(headline)s。") % {
        "sender": old.sender_name,
        "headline": old.headline,
    }
    notice.instruction = ""
    notice.effective_at = now
    notice.expires_at = max(old.expires_at, now + dt.timedelta(hours=1))
    notice.status = Status.PUBLISHED
    notice.sent_at = now
    notice.save()
    notice.area_places.set(old.area_places.all())
    _event(notice, EventAction.PUBLISH, "", actor=actor, note=note)
    _move(old, EventAction.CANCEL, actor=actor, note=note or notice.identifier)
    _schedule_fanout(notice)
    return notice


def expire_due_warnings(now: dt.datetime | None = None) -> int:
    """Mark every published warning whose expiry time has passed as ``expired`` (periodic task)."""
    now = now or timezone.now()
    count = 0
    due = list(
        Warning.objects.filter(status=Status.PUBLISHED, expires_at__lte=now).values_list("pk", flat=True)[
            :1000
        ]
    )
    for pk in due:
        with transaction.atomic():
            warning = Warning.objects.select_for_update().get(pk=pk)
            if warning.status != Status.PUBLISHED or warning.expires_at > now:
                continue
            before = warning.status
            warning.status = Status.EXPIRED
            warning.save(update_fields=["status", "updated"])
            _event(warning, EventAction.EXPIRE, before, actor=None, at=now)
            count += 1
    return count
