"""Writes of incidents: every operation is one function with a keyword-only ``actor``; each records
what it did on the incident's timeline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object, check_object
from yingji.framework.errors import field_error
from yingji.incidents import grading
from yingji.incidents.choices import (
    CATEGORY_OF,
    STATUS_TRANSITIONS,
    DutyRole,
    Grade,
    ResponseLevel,
    Status,
    TimelineKind,
)
from yingji.incidents.models import (
    Casualties,
    DepartmentDuty,
    Incident,
    IncidentChecklistItem,
    IncidentReview,
    PlanDuty,
    Reminder,
    ResponsePlan,
    TimelineEntry,
)
from yingji.incidents.signals import incident_changed


class InvalidTransition(ValidationError):
    """A status change the state machine does not allow (code ``invalid_transition``)."""

    def __init__(self, incident, target):
        super().__init__(
            _("事件状态不能从“%(from)s”变为“%(to)s”。")
            % {
                "from": incident.get_status_display(),
                "to": Status(target).label if target in Status.values else target,
            },
            code="invalid_transition",
        )


def add_timeline(incident, kind: str, text: str, *, actor=None, at=None, link: str = "") -> TimelineEntry:
    """Append an entry to the incident's timeline (every service that changes an incident calls this).

    ``text`` is cut to the field's 500 characters; ``link`` points at the related record's page."""
    return TimelineEntry.objects.create(
        incident=incident,
        kind=kind,
        text=str(text)[:500],
        actor=actor if getattr(actor, "pk", None) else None,
        at=at or timezone.now(),
        link=link or "",
    )


def apply_rules(incident: Incident) -> list[str]:
    """Derive the category from the type and, for production-safety accidents, the grade from the
    counts (493号令 第三条). Returns the names of the fields that changed."""
    changed = []
    category = CATEGORY_OF.get(incident.event_type)
    if category and incident.category != category:
        incident.category = category
        changed.append("category")
    if grading.is_graded_by_rule(incident.event_type):
        grade = grading.accident_grade(incident.deaths, incident.serious_injuries, incident.direct_loss_wan)
        if incident.grade != grade:
            incident.grade = grade
            changed.append("grade")
    return changed


@transaction.atomic
def create_incident(*, actor, **fields) -> Incident:
    """Record a new incident (from the duty room's 接报 or by hand), numbered ``SJ-<year>-<000123>``.

    ``fields`` are model fields (``place``, ``event_type``, ``title``, ``occurred_at`` …). The actor
    must be allowed to add incidents at the place. Raises ``ValidationError`` for bad input and
    ``AccessDenied`` outside the actor's scope; nothing is written then."""
    incident = Incident(**fields)
    if actor is not None and getattr(actor, "is_authenticated", False):
        if getattr(actor, "pk", None):  # a user, not the system actor
            incident.created_by = actor
        if not allows_object(actor, "add", incident):
            raise AccessDenied(_("您无权在该地区登记突发事件。"), code="out_of_scope")
    apply_rules(incident)
    incident.full_clean(exclude=["number"])
    if incident.occurred_at and incident.received_at and incident.occurred_at > incident.received_at:
        raise field_error("occurred_at", _("发生时间不能晚于接报时间。"), "occurred_after_received")
    incident.save()
    year = timezone.localtime(incident.occurred_at).year
    incident.number = f"SJ-{year}-{incident.pk:06d}"
    incident.save(update_fields=["number"])
    add_timeline(
        incident,
        TimelineKind.CREATED,
        _("登记事件：%(title)s（%(grade)s）")
        % {"title": incident.title, "grade": incident.get_grade_display()},
        actor=actor,
        at=incident.received_at,
    )
    return incident


# --- edits and counts ---------------------------------------------------------------------------

#: Fields whose change is a casualty/loss update (timeline CASUALTIES, grade recomputed).
COUNT_FIELDS = (*Casualties.COUNT_FIELDS, "trapped", "evacuated")


def _grade_label(value: str) -> str:
    return str(Grade(value).label) if value in Grade.values else value


def _require(actor, incident, action="change"):
    check_object(actor, action, incident)


def _after_grade_change(incident, old_grade, actor):
    if old_grade and incident.grade != old_grade:
        add_timeline(
            incident,
            TimelineKind.GRADE,
            _("等级由%(old)s调整为%(new)s")
            % {"old": _grade_label(old_grade), "new": _grade_label(incident.grade)},
            actor=actor,
        )


#: Clock skew allowed between a duty officer's device and the server when checking "not in the future".
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def _check_not_in_future(incident) -> None:
    """Information cannot have been received later than now (and so, occurred later either)."""
    if incident.received_at and incident.received_at > timezone.now() + FUTURE_TOLERANCE:
        raise field_error("received_at", _("接报时间不能晚于当前时间。"), "received_in_future")
    if incident.occurred_at and incident.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise field_error("occurred_at", _("发生时间不能晚于当前时间。"), "occurred_in_future")


@transaction.atomic
def save_incident(incident: Incident, *, actor) -> Incident:
    """The object type's save (edit page, API): new incidents go through :func:`create_incident`;
    an edit re-derives the category and the 493号令 grade and writes GRADE/CASUALTIES entries.
    Times later than now are refused here, where a person types them."""
    _check_not_in_future(incident)
    if incident._state.adding:
        fields = {
            f.name: getattr(incident, f.name)
            for f in Incident._meta.concrete_fields
            if f.name not in ("id", "created", "updated", "number", "created_by")
            and (not f.is_relation or getattr(incident, f.attname) is not None)
        }
        return create_incident(actor=actor, **fields)
    old = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, old)
    apply_rules(incident)
    incident.full_clean()
    _require(actor, incident)
    if incident.occurred_at and incident.received_at and incident.occurred_at > incident.received_at:
        raise field_error("occurred_at", _("发生时间不能晚于接报时间。"), "occurred_after_received")
    incident.save()
    changed = [f for f in COUNT_FIELDS if getattr(old, f) != getattr(incident, f)]
    if changed:
        add_timeline(incident, TimelineKind.CASUALTIES, casualty_line(incident), actor=actor)
    _after_grade_change(incident, old.grade, actor)
    incident_changed.send(sender=Incident, incident=incident)
    return incident


def casualty_line(incident) -> str:
    return _(
        "伤亡损失：死亡%(d)s人，失踪%(m)s人，重伤%(s)s人，轻伤%(i)s人，被困%(t)s人，转移%(e)s人，直接经济损失%(l)s万元"
    ) % {
        "d": incident.deaths,
        "m": incident.missing,
        "s": incident.serious_injuries,
        "i": incident.minor_injuries,
        "t": incident.trapped,
        "e": incident.evacuated,
        "l": incident.direct_loss_wan,
    }


@transaction.atomic
def update_casualties(incident: Incident, *, actor, **counts) -> Incident:
    """Change casualty counts and the direct loss (any of ``COUNT_FIELDS``); an accident is re-graded
    (493号令 第三条) and a grade change is written as "等级由一般调整为较大"."""
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        raise ValidationError(
            _("未知的字段：%(f)s") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    old_grade = incident.grade
    changed = False
    for name, value in counts.items():
        if value is None:
            continue
        if getattr(incident, name) != value:
            setattr(incident, name, value)
            changed = True
    if not changed:
        return incident
    apply_rules(incident)
    incident.full_clean()
    incident.save()
    add_timeline(incident, TimelineKind.CASUALTIES, casualty_line(incident), actor=actor)
    _after_grade_change(incident, old_grade, actor)
    incident_changed.send(sender=Incident, incident=incident)
    return incident


@transaction.atomic
def set_grade(incident: Incident, grade: str, *, actor) -> Incident:
    """Set the grade by hand (events not graded by the 493号令: natural disasters, health, social)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    if grading.is_graded_by_rule(incident.event_type):
        raise ValidationError(
            _("生产安全事故的等级按493号令第三条由伤亡和损失自动计算，不能手工设定。"), code="graded_by_rule"
        )
    if grade not in Grade.values:
        raise ValidationError(_("未知的事件等级。"), code="invalid_grade")
    old = incident.grade
    incident.grade = grade
    incident.save(update_fields=["grade", "updated"])
    _after_grade_change(incident, old, actor)
    incident_changed.send(sender=Incident, incident=incident)
    return incident


# --- status machine -----------------------------------------------------------------------------


def allowed_statuses(incident) -> tuple[str, ...]:
    return STATUS_TRANSITIONS.get(incident.status, ())


@transaction.atomic
def change_status(incident: Incident, status: str, *, actor, note: str = "") -> Incident:
    """Move the incident along reported → responding → recovery → closed (a reported incident that
    needs no response may be closed at once). Raises :class:`InvalidTransition` otherwise."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    if status not in allowed_statuses(incident):
        raise InvalidTransition(incident, status)
    old = incident.get_status_display()
    incident.status = status
    fields = ["status", "updated"]
    if status == Status.CLOSED:
        incident.closed_at = timezone.now()
        fields.append("closed_at")
    incident.save(update_fields=fields)
    text = _("状态由“%(old)s”变为“%(new)s”") % {"old": old, "new": incident.get_status_display()}
    if note:
        text += f"：{note}"
    add_timeline(incident, TimelineKind.STATUS, text, actor=actor)
    incident_changed.send(sender=Incident, incident=incident)
    return incident


# --- response level and 一图一表 ------------------------------------------------------------------


def plan_for(incident, level: str):
    """The applicable plan for ``level``: a plan of the incident's type, else of its category; among
    those, the one made by the nearest place above (or at) the incident's place."""
    if not level:
        return None
    paths = incident.place.chain_paths()
    candidates = list(
        ResponsePlan.objects.filter(active=True, level=level, place__path__in=paths)
        .filter(Q(event_type=incident.event_type) | Q(event_type="", category=incident.category))
        .select_related("place")
    )
    if not candidates:
        return None
    candidates.sort(
        key=lambda p: (p.event_type == incident.event_type, len(p.place.path), -p.pk), reverse=True
    )
    return candidates[0]


def _level_label(level: str) -> str:
    return str(ResponseLevel(level).label) if level in ResponseLevel.values else ""


def _copy_plan(incident, plan, start) -> int:
    """The plan's duty rows become checklist items (rows already copied are kept as they are)."""
    have = set(incident.checklist.filter(plan_duty__isnull=False).values_list("plan_duty_id", flat=True))
    items = []
    for duty in plan.duties.select_related("department").order_by("order", "pk"):
        if duty.pk in have:
            continue
        due = start + datetime.timedelta(minutes=duty.time_limit_minutes) if duty.time_limit_minutes else None
        items.append(
            IncidentChecklistItem(
                incident=incident,
                plan_duty=duty,
                level=plan.level,
                order=duty.order,
                role=duty.role,
                department=duty.department,
                who=duty.who[:200],
                text=duty.task,
                due_at=due,
            )
        )
    for item in items:
        item.save()
    return len(items)


@transaction.atomic
def set_response_level(incident: Incident, level: str, *, actor, note: str = "") -> Incident:
    """Start, change (``"1"``–``"4"``) or lift (``""``) the response. Starting records
    ``responded_at`` and moves a reported incident to responding; the applicable plan's duty rows
    become the checklist (a level change adds the new level's rows and keeps the earlier ones)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    level = level or ""
    if level and level not in ResponseLevel.values:
        raise field_error(
            "level", _("响应级别须为 1、2、3、4 之一（Ⅰ级最高），或留空表示解除响应。"), "invalid_level"
        )
    if incident.status == Status.CLOSED:
        raise ValidationError(_("事件已结束，不能再调整响应级别。"), code="incident_closed")
    if level == incident.response_level:
        return incident
    old = incident.response_level
    now = timezone.now()
    incident.response_level = level
    fields = ["response_level", "updated"]
    if level and incident.responded_at is None:
        incident.responded_at = now
        fields.append("responded_at")
    moved = False
    if level and incident.status == Status.REPORTED:
        incident.status = Status.RESPONDING
        fields.append("status")
        moved = True
    incident.save(update_fields=fields)
    if not level:
        text = _("解除%(old)s") % {"old": _level_label(old)}
    elif old:
        text = _("响应级别由%(old)s调整为%(new)s") % {"old": _level_label(old), "new": _level_label(level)}
    else:
        text = _("启动%(new)s") % {"new": _level_label(level)}
    if note:
        text += f"：{note}"
    add_timeline(incident, TimelineKind.LEVEL, text, actor=actor)
    if moved:
        add_timeline(
            incident,
            TimelineKind.STATUS,
            _("状态由“%(old)s”变为“%(new)s”")
            % {"old": Status.REPORTED.label, "new": Status.RESPONDING.label},
            actor=actor,
        )
    if level:
        plan = plan_for(incident, level)
        if plan is not None:
            n = _copy_plan(incident, plan, now)
            add_timeline(
                incident,
                TimelineKind.CHECKLIST,
                _("按“%(plan)s”生成处置清单%(n)s项") % {"plan": plan.name, "n": n},
                actor=actor,
                link=plan.get_absolute_url(),
            )
    return incident


@transaction.atomic
def tick_checklist_item(item: IncidentChecklistItem, *, actor, done: bool = True) -> IncidentChecklistItem:
    """Mark a checklist item done (time and who) or undo it; timeline CHECKLIST."""
    item = (
        IncidentChecklistItem.objects.select_for_update(of=("self",))
        .select_related("incident")
        .get(pk=item.pk)
    )
    _require(actor, item.incident)
    if done == (item.done_at is not None):
        return item
    if done:
        item.done_at = timezone.now()
        item.done_by = actor if getattr(actor, "pk", None) else None
        text = _("完成：%(who)s · %(text)s") % {"who": item.who, "text": item.text}
    else:
        item.done_at = None
        item.done_by = None
        text = _("撤销完成：%(who)s · %(text)s") % {"who": item.who, "text": item.text}
    item.save(update_fields=["done_at", "done_by", "updated"])
    add_timeline(item.incident, TimelineKind.CHECKLIST, text, actor=actor)
    return item


# --- command, notes, review ---------------------------------------------------------------------


@transaction.atomic
def set_command(
    incident: Incident, *, actor, commander: str = "", command_post: str = "", longitude=None, latitude=None
) -> Incident:
    """Name the on-site commander and the command post (with its location)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    if (longitude is None) != (latitude is None):
        raise field_error("latitude", _("指挥部经度和纬度须同时填写。"), "coordinates_required")
    if longitude is not None and not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise field_error("longitude", _("经纬度超出范围（WGS84）。"), "invalid_coordinates")
    incident.commander = (commander or "").strip()[:60]
    incident.command_post = (command_post or "").strip()[:200]
    incident.command_post_longitude = longitude
    incident.command_post_latitude = latitude
    incident.save(
        update_fields=[
            "commander",
            "command_post",
            "command_post_longitude",
            "command_post_latitude",
            "updated",
        ]
    )
    text = _("现场指挥：指挥长 %(c)s，指挥部 %(p)s") % {
        "c": incident.commander or "—",
        "p": incident.command_post or "—",
    }
    add_timeline(incident, TimelineKind.DECISION, text, actor=actor)
    return incident


@transaction.atomic
def add_note(incident: Incident, text: str, *, actor, decision: bool = False) -> TimelineEntry:
    """A decision (决策) or a note on the timeline."""
    _require(actor, incident)
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("请填写内容。"), "required")
    return add_timeline(incident, TimelineKind.DECISION if decision else TimelineKind.NOTE, text, actor=actor)


def add_decision(incident: Incident, text: str, *, actor) -> TimelineEntry:
    return add_note(incident, text, actor=actor, decision=True)


@transaction.atomic
def save_review(incident: Incident, *, actor, **fields) -> IncidentReview:
    """Record (or revise) the after-action review; only in recovery or closed. Timeline REVIEW."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _require(actor, incident)
    if incident.status not in (Status.RECOVERY, Status.CLOSED):
        raise ValidationError(_("事件进入善后恢复或结束后才能复盘。"), code="review_too_early")
    review = IncidentReview.objects.filter(incident=incident).first() or IncidentReview(incident=incident)
    new = review.pk is None
    allowed = {"summary", "causes", "went_well", "improvements", "lessons", "participants", "reviewed_at"}
    for name, value in fields.items():
        if name in allowed and value is not None:
            setattr(review, name, value)
    review.reviewed_by = actor if getattr(actor, "pk", None) else review.reviewed_by
    review.full_clean()
    review.save()
    add_timeline(
        incident,
        TimelineKind.REVIEW,
        _("记录复盘评估") if new else _("修改复盘评估"),
        actor=actor,
        link=incident.get_absolute_url() + "#review",
    )
    return review


# --- responsibilities (一键查职责) ----------------------------------------------------------------


def duties_for(incident, user=None):
    """Department duties for the incident's type (or its category) of the departments at the incident's
    place and above, nearest place first."""
    qs = DepartmentDuty.objects.all() if user is None else DepartmentDuty.objects.visible_to(user)
    qs = qs.filter(place__path__in=incident.place.chain_paths()).filter(
        Q(event_type=incident.event_type) | Q(event_type="", category=incident.category)
    )
    return qs.select_related("place", "department").order_by("-place__path", "department__name", "pk")


# --- one-click notify ---------------------------------------------------------------------------


def _ids(items):
    return {getattr(i, "pk", i) for i in items or ()}


def department_persons(departments):
    """The persons of the departments (their accounts reach the in-app inbox)."""
    from yingji.accounts.models import Person

    ids = _ids(departments)
    if not ids:
        return []
    return list(Person.objects.filter(department_id__in=ids).select_related("user").order_by("pk"))


@transaction.atomic
def notify_incident(
    incident: Incident,
    *,
    actor,
    subject: str = "",
    body: str = "",
    users=(),
    persons=(),
    places=(),
    departments=(),
    mobiles=(),
    channels=("inapp",),
):
    """一键通知: message chosen users, persons, places (loudspeakers, screens), departments (their
    persons) and further mobile numbers about the incident; recipients must be in the actor's scope.
    Timeline NOTIFY."""
    from yingji.accounts.models import Person, User
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify
    from yingji.orgs.models import Department
    from yingji.places.models import Place

    _require(actor, incident)
    for model, items in ((User, users), (Person, persons), (Place, places), (Department, departments)):
        ids = _ids(items)
        if ids and model.objects.visible_to(actor, "view").filter(pk__in=ids).count() != len(ids):
            raise AccessDenied(_("所选接收人不在您的管辖范围内。"), code="out_of_scope")
    all_persons = list(Person.objects.filter(pk__in=_ids(persons))) + department_persons(departments)
    if departments and not all_persons and not (users or places or mobiles):
        raise ValidationError(_("所选部门没有登记人员，无法通知。"), code="no_recipients")
    subject = (subject or "").strip() or _("【%(grade)s%(cat)s】%(title)s") % {
        "grade": incident.get_grade_display(),
        "cat": incident.get_category_display(),
        "title": incident.title,
    }
    message = notify(
        actor=actor,
        subject=subject[:200],
        body=body or incident.description,
        users=list(User.objects.filter(pk__in=_ids(users))),
        persons=all_persons,
        places=list(Place.objects.filter(pk__in=_ids(places))),
        mobiles=list(mobiles),
        channels=channels or ("inapp",),
        category=MessageCategory.GENERAL,
        about=incident,
    )
    count = message.deliveries.count() if hasattr(message, "deliveries") else 0
    add_timeline(
        incident,
        TimelineKind.NOTIFY,
        _("通知：%(s)s（%(n)s条发送）") % {"s": message.subject, "n": count},
        actor=actor,
    )
    return message


# --- one-click nearest resources ----------------------------------------------------------------

SEARCH_KINDS = ("team", "expert", "shelter", "material")


def incident_origin(incident) -> dict:
    """The search origin: the incident's point, else the command post, else its place's centre."""
    if incident.has_location:
        return {
            "longitude": f"{incident.longitude}",
            "latitude": f"{incident.latitude}",
            "place": incident.place.code,
        }
    if incident.command_post_longitude is not None and incident.command_post_latitude is not None:
        return {
            "longitude": f"{incident.command_post_longitude}",
            "latitude": f"{incident.command_post_latitude}",
            "place": incident.place.code,
        }
    return {"place": incident.place.code}


def search_resources(incident, user, *, limit: int = 5, kinds=SEARCH_KINDS) -> dict:
    """一键搜索: the nearest teams, experts, shelters and material warehouses the user may see, with
    distances (``yingji.resources.nearest``). Raises ``nearest.NearestError`` without a location."""
    from django.urls import reverse

    from yingji.resources import nearest

    params = {**incident_origin(incident), "limit": str(limit), "kinds": ",".join(kinds)}
    if "longitude" not in params:
        # the place's centre is used even when it lies outside the user's own scope
        place = incident.place
        if place.centroid_lon is None or place.centroid_lat is None:
            raise nearest.NearestError(
                _("事件没有位置，所在地区也没有中心点坐标。"), "no_location", "longitude"
            )
        params.update({"longitude": f"{place.centroid_lon}", "latitude": f"{place.centroid_lat}"})
    query = nearest.parse_query(params, user)
    results = nearest.search(user, query)
    dispatch_url = reverse("dispatch:task_add")
    for row in results.get("team", []):
        row["dispatch_url"] = f"{dispatch_url}?incident={incident.pk}&team={row['id']}"
    return {
        "origin": {
            "longitude": query.longitude,
            "latitude": query.latitude,
            "place": query.place_code or None,
        },
        "limit": query.limit,
        "results": results,
    }


# --- one-click remind and acknowledgements --------------------------------------------------------


def _departments_of_kind(kind, incident):
    """Departments of ``kind`` at the nearest place at or above the incident's place that has one."""
    from yingji.orgs.models import Department

    paths = incident.place.chain_paths()
    found = list(Department.objects.filter(kind=kind, place__path__in=paths).select_related("place"))
    if not found:
        return []
    deepest = max(len(d.place.path) for d in found)
    return [d for d in found if len(d.place.path) == deepest]


def _on_duty(incident, role: str) -> list[dict]:
    """The people holding ``role`` (带班领导, 值班员, 备勤) on the shift now of the nearest duty room at
    or above the incident's place (the place's own room, not a department's); ``[{"person", "user"}]``.
    Without a roster there, the accounts holding the duty-officer role at the nearest level."""
    from yingji.accounts.models import User
    from yingji.duty.services import shifts_now

    paths = incident.place.chain_paths()
    for shift in sorted(
        shifts_now().filter(room__department__isnull=True, room__place__path__in=paths),
        key=lambda s: -len(s.room.place.path),
    ):
        people = [m.person for m in shift.members.all() if m.role == role]
        if people:
            users = {u.person_id: u for u in User.objects.filter(person__in=people, is_active=True)}
            return [{"person": p, "user": users.get(p.pk)} for p in people]
    return [{"person": getattr(u, "person", None), "user": u} for u in _duty_officers(incident)]


def _duty_officers(incident):
    """Accounts holding the duty-officer role at the nearest level above the incident."""
    from yingji.accounts.models import RoleAssignment
    from yingji.framework.roles import Role

    paths = incident.place.chain_paths()
    rows = list(
        RoleAssignment.objects.filter(role=Role.DUTY_OFFICER, place__path__in=paths, user__is_active=True)
        .select_related("user", "place")
        .order_by("-place__path", "user_id")
    )
    if not rows:
        return []
    deepest = max(len(r.place.path) for r in rows)
    return list(dict.fromkeys(r.user for r in rows if len(r.place.path) == deepest))


def responsible_for(incident) -> list[dict]:
    """Who must be reminded at the current level: ``[{"department"|"user", "recipient", "duties"}]`` —
    the departments and duty roles of the plan's duty table, and the departments whose duties
    (``DepartmentDuty``) apply at the incident's place level (the nearest level that has any)."""
    out: dict[tuple, dict] = {}

    def add(key, recipient, duty_text, **who):
        entry = out.setdefault(key, {"recipient": recipient, "duties": [], **who})
        if duty_text and duty_text not in entry["duties"]:
            entry["duties"].append(duty_text)

    level = incident.response_level
    if level:
        plan = plan_for(incident, level)
        if plan is not None:
            for duty in plan.duties.select_related("department").order_by("order", "pk"):
                limit = (
                    _("（%(m)s分钟内）") % {"m": duty.time_limit_minutes} if duty.time_limit_minutes else ""
                )
                text = f"{duty.task}{limit}"
                if duty.department_id:
                    add(("d", duty.department_id), str(duty.department), text, department=duty.department)
                elif duty.department_kind:
                    for dept in _departments_of_kind(duty.department_kind, incident):
                        add(("d", dept.pk), str(dept), text, department=dept)
                elif duty.role in (DutyRole.LEADER, DutyRole.OFFICER, DutyRole.STANDBY):
                    for who in _on_duty(incident, duty.role):
                        person, user = who["person"], who["user"]
                        name = person.name if person else (user.get_full_name() or user.username)
                        key = ("u", user.pk) if user else ("p", person.pk)
                        add(key, f"{duty.get_role_display()}·{name}", text, user=user, person=person)
    rows = list(duties_for(incident))
    named = [r for r in rows if r.department_id]
    deepest = max((len(r.place.path) for r in named), default=0)
    for row in rows:
        if row.department_id:
            if len(row.place.path) == deepest:  # the departments of the incident's place level
                add(("d", row.department_id), str(row.department), row.duties, department=row.department)
        else:  # a kind of department: the nearest ones of that kind (e.g. the town government)
            for dept in _departments_of_kind(row.department_kind, incident):
                add(("d", dept.pk), str(dept), row.duties, department=dept)
    return list(out.values())


def _reminder_key(department_id, user_id, person_id) -> tuple:
    if department_id:
        return ("d", department_id)
    return ("u", user_id) if user_id else ("p", person_id)


@transaction.atomic
def remind_responsible(incident: Incident, *, actor) -> list[Reminder]:
    """一键提醒: tell everyone responsible at the current level their duties (in-app and SMS) and track
    who acknowledges. Recipients already reminded at this level and not yet acknowledged are told
    again; those who acknowledged are not. Timeline REMIND."""
    from yingji.messaging.choices import MessageCategory
    from yingji.messaging.services import notify

    incident = Incident.objects.select_for_update(of=("self",)).select_related("place").get(pk=incident.pk)
    _require(actor, incident)
    targets = responsible_for(incident)
    if not targets:
        raise ValidationError(
            _("没有找到需要提醒的责任部门或人员：请先配置一图一表或部门应急职责。"), code="no_responsible"
        )
    level = incident.response_level
    existing = {
        _reminder_key(r.department_id, r.user_id, r.person_id): r
        for r in incident.reminders.filter(level=level)
    }
    now = timezone.now()
    sent = []
    for target in targets:
        dept, user, person = target.get("department"), target.get("user"), target.get("person")
        key = _reminder_key(dept and dept.pk, user and user.pk, person and person.pk)
        reminder = existing.get(key)
        if reminder is not None and reminder.acknowledged_at:
            continue
        duties = "\n".join(target["duties"])
        if reminder is None:
            reminder = Reminder(
                incident=incident,
                level=level,
                department=dept,
                user=user,
                person=person or (getattr(user, "person", None) if user is not None else None),
                recipient=target["recipient"][:200],
                duties=duties,
                sent_at=now,
            )
        else:
            reminder.duties, reminder.sent_at = duties, now
        reminder.save()
        persons = department_persons([dept]) if dept is not None else []
        if person is not None and user is None:
            persons = [person]  # on the roster without an account: SMS to the person
        if persons or user is not None:
            notify(
                actor=actor,
                subject=_("【职责提醒】%(title)s %(level)s")
                % {"title": incident.title, "level": _level_label(level)},
                body=_("请落实以下职责并点击确认：\n%(d)s") % {"d": duties},
                persons=persons,
                users=[user] if user is not None else [],
                channels=("inapp", "sms"),
                link=reminder.get_absolute_url(),
                category=MessageCategory.REMINDER,
                about=incident,
            )
        sent.append(reminder)
    add_timeline(
        incident,
        TimelineKind.REMIND,
        _("提醒责任部门和人员%(n)s个：%(who)s")
        % {
            "n": len(sent),
            "who": "、".join(r.recipient for r in sent[:10]) + ("…" if len(sent) > 10 else ""),
        },
        actor=actor,
    )
    return sent


def may_acknowledge(user, reminder: Reminder) -> bool:
    """The recipient acknowledges: the reminded account, the reminded person, or a person of the
    reminded department (its officer)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if reminder.user_id and reminder.user_id == user.pk:
        return True
    person = getattr(user, "person", None)
    if person is None:
        return False
    if reminder.person_id and reminder.person_id == person.pk:
        return True
    return bool(reminder.department_id and person.department_id == reminder.department_id)


def reminders_for(user):
    """The reminders this user may acknowledge (their own and their department's)."""
    if not getattr(user, "is_authenticated", False):
        return Reminder.objects.none()
    q = Q(user=user)
    person = getattr(user, "person", None)
    if person is not None:
        q |= Q(person=person)
        if person.department_id:
            q |= Q(department_id=person.department_id)
    return Reminder.objects.filter(q)


@transaction.atomic
def acknowledge_reminder(reminder: Reminder, *, actor) -> Reminder:
    """The recipient confirms the reminder (叫应); timeline REMIND. Acknowledging twice changes nothing."""
    reminder = Reminder.objects.select_for_update(of=("self",)).select_related("incident").get(pk=reminder.pk)
    if not may_acknowledge(actor, reminder):
        raise AccessDenied(_("只有被提醒的部门或人员可以确认。"), code="not_recipient")
    if reminder.acknowledged_at:
        return reminder
    reminder.acknowledged_at = timezone.now()
    reminder.acknowledged_by = actor
    reminder.save(update_fields=["acknowledged_at", "acknowledged_by", "updated"])
    add_timeline(
        reminder.incident,
        TimelineKind.REMIND,
        _("%(who)s已确认职责提醒") % {"who": reminder.recipient},
        actor=actor,
    )
    return reminder


# --- saves of the configuration types -----------------------------------------------------------


@transaction.atomic
def save_plan_duty(duty: PlanDuty, *, actor) -> PlanDuty:
    """A duty-table row is changed with its plan's rights (scope of the plan's place)."""
    duty.full_clean()
    check_object(actor, "add" if duty._state.adding else "change", duty)
    duty.save()
    return duty


@transaction.atomic
def save_department_duty(duty: DepartmentDuty, *, actor) -> DepartmentDuty:
    """A named department's duties belong to the department's own place (whatever place was sent):
    the scope check then asks whether the actor may act there, and the duties apply at that level."""
    if duty.department_id:
        duty.place = duty.department.place
    duty.full_clean()
    check_object(actor, "add" if duty._state.adding else "change", duty)
    duty.save()
    return duty


@transaction.atomic
def save_response_plan(plan: ResponsePlan, *, actor) -> ResponsePlan:
    if plan.event_type:
        plan.category = CATEGORY_OF.get(plan.event_type, plan.category)
    plan.full_clean()
    if not plan.step_list():
        raise field_error("steps", _("请至少填写一个处置步骤。"), "required")
    check_object(actor, "add" if plan._state.adding else "change", plan)
    plan.save()
    return plan
