"""Writes of information reporting: every operation is one function with a keyword-only ``actor``,
one transaction, permission and scope checked inside.

- ``record_incoming``: 接报登记 → creates or updates the incident and starts/refreshes its chain.
- ``sync_reports``: applies ``rules.required_reports`` to the incident (creates the required
  reports with their due times, tracks them in the deadline engine, flags 漏报).
- ``make_report``: 信息上报 (fills a required report or records an extra one).
- ``mark_stabilised``: a natural disaster is stabilised (续报 stop, 核报 become due).
- ``record_misreport``: 谎报/瞒报 finding.
- ``check_reports``: the periodic job (漏报 flags, daily 续报).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.deadlines import calendar as deadline_calendar
from yingji.deadlines import services as deadlines
from yingji.framework.access import AccessDenied, assignments_of, check_object
from yingji.framework.errors import field_error
from yingji.framework.roles import ROLES, role_allows
from yingji.framework.uploads import stored_name, validate_document, validate_image
from yingji.incidents import services as incident_services
from yingji.incidents.choices import CATEGORY_OF, Category, Grade, Status, TimelineKind
from yingji.incidents.models import Casualties, Incident
from yingji.orgs.choices import DepartmentKind
from yingji.orgs.models import Department
from yingji.places.choices import PlaceLevel
from yingji.places.models import Place
from yingji.places.services import ancestors
from yingji.reporting import rules
from yingji.reporting.choices import EXTERNAL_RECIPIENTS, RecipientLevel
from yingji.reporting.models import Attachment, IncomingInfo, MisReport, ReportChain, UpwardReport

DEADLINE_RULE = "reporting.upward"
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}
COUNT_FIELDS = Casualties.COUNT_FIELDS


# --- places of the chain -------------------------------------------------------------------------
def chain_places(place: Place) -> dict[str, Place | None]:
    """The platform levels an incident at ``place`` reports from: its county (None when the incident
    is at the city level) and the city."""
    chain = [*ancestors(place), place]
    by_level = {p.level: p for p in chain}
    return {
        RecipientLevel.COUNTY: by_level.get(PlaceLevel.COUNTY),
        RecipientLevel.CITY: by_level.get(PlaceLevel.CITY),
    }


def emergency_department(place: Place) -> Department | None:
    """The emergency management department (应急管理局) of a place, if registered."""
    return Department.objects.filter(place=place, kind=DepartmentKind.EMERGENCY).order_by("pk").first()


def _may_send(actor, from_place: Place, department=None) -> bool:
    """Whether ``actor`` may make reports for ``from_place`` (and ``department``)."""
    for a in assignments_of(actor):
        if not role_allows(a.role, "add", "reporting.upwardreport"):
            continue
        if ROLES[a.role].global_scope:
            return True
        if a.enterprise_id is not None:
            continue
        if a.place_id is not None and not from_place.path.startswith(a.place.path):
            continue
        if a.department_id is not None and (department is None or department.pk != a.department_id):
            continue
        return True
    return False


# --- the chain -----------------------------------------------------------------------------------
def _figures(incident: Incident) -> dict:
    return {"dm": incident.dead_and_missing, "grade": incident.grade, "counts": _counts(incident)}


def _counts(obj) -> dict:
    """The figures as comparable JSON values (the loss with its two decimals, however it was given)."""
    out = {f: int(getattr(obj, f) or 0) for f in COUNT_FIELDS if f != "direct_loss_wan"}
    out["direct_loss_wan"] = f"{Decimal(obj.direct_loss_wan or 0):.2f}"
    return out


def ensure_chain(incident: Incident, *, started_at=None) -> ReportChain:
    """The incident's reporting chain, started at ``started_at`` (default: the incident's 接报时间)."""
    chain = ReportChain.objects.filter(incident=incident).first()
    if chain is None:
        chain = ReportChain.objects.create(
            incident=incident,
            started_at=started_at or incident.received_at,
            counts={"initial": _figures(incident), "changes": []},
        )
    return chain


def note_figures(incident: Incident, chain: ReportChain, *, at=None) -> bool:
    """Record a change of the incident's figures (counts or grade) on its chain; True when changed."""
    current = _figures(incident)
    data = chain.counts or {}
    last = (data.get("changes") or [None])[-1] or data.get("initial")
    if last and last.get("counts") == current["counts"] and last.get("grade") == current["grade"]:
        return False
    at = at or timezone.now()
    data.setdefault("changes", []).append({**current, "at": at.isoformat()})
    chain.counts = data
    chain.save(update_fields=["counts", "updated"])
    return True


def facts_for(incident: Incident, chain: ReportChain, places: dict) -> rules.ChainFacts:
    data = chain.counts or {}
    initial = data.get("initial") or _figures(incident)
    made = {}
    for r in UpwardReport.objects.filter(incident=incident, required=True, reported_at__isnull=False).only(
        "rule", "from_place_id", "recipient_level", "reported_at"
    ):
        made[(r.rule, _level_of(r.from_place_id, places), r.recipient_level)] = r.reported_at
    return rules.ChainFacts(
        category=incident.category,
        event_type=incident.event_type,
        initial_grade=initial["grade"],
        has_county=places[RecipientLevel.COUNTY] is not None,
        occurred_at=incident.occurred_at,
        started_at=chain.started_at,
        initial_dead_missing=initial["dm"],
        changes=[
            rules.Change(dt.datetime.fromisoformat(c["at"]), c["dm"], c["grade"])
            for c in data.get("changes", [])
        ],
        stabilised_at=chain.stabilised_at,
        made=made,
    )


def _level_of(place_id, places) -> str | None:
    for level, place in places.items():
        if place is not None and place.pk == place_id:
            return level
    return None


def _recipient(level: str, places: dict) -> tuple[Place | None, str]:
    if level in (RecipientLevel.COUNTY, RecipientLevel.CITY):
        return places[level], ""
    return None, str(EXTERNAL_RECIPIENTS[level])


def _title(report: UpwardReport) -> str:
    return _("%(kind)s：%(incident)s（%(sender)s→%(recipient)s）") % {
        "kind": report.get_kind_display(),
        "incident": report.incident.title,
        "sender": report.from_place.name,
        "recipient": report.recipient_name,
    }


@transaction.atomic
def sync_reports(incident: Incident, *, now=None) -> list[UpwardReport]:
    """Bring the incident's required reports in line with the rules at ``now``: create the newly
    required ones, move the due time of outstanding ones, drop the no longer required outstanding ones
    (never one flagged 漏报), flag 漏报. Returns the outstanding required reports."""
    now = now or timezone.now()
    chain = ensure_chain(incident)
    if (
        incident.category == Category.NATURAL
        and chain.stabilised_at is None
        and incident.status in (Status.RECOVERY, Status.CLOSED)
    ):
        # 善后恢复 or closed: the disaster is stabilised (续报 stop, 核报 start)
        chain.stabilised_at = incident.closed_at or now
        chain.save(update_fields=["stabilised_at", "updated"])
    # figures or grade changed elsewhere (the incident page, another app) count as a change now
    note_figures(incident, chain, at=now)
    places = chain_places(incident.place)
    facts = facts_for(incident, chain, places)
    steps = rules.required_reports(facts, now, add_working_days=deadline_calendar.add_working_days)
    existing = {
        (r.rule, _level_of(r.from_place_id, places), r.recipient_level): r
        for r in UpwardReport.objects.filter(incident=incident, required=True).select_related("from_place")
    }
    wanted = set()
    for step in steps:
        sender = places.get(step.from_level)
        if sender is None:
            continue
        wanted.add(step.key)
        report = existing.get(step.key)
        if report is None:
            to_place, external = _recipient(step.recipient_level, places)
            report = UpwardReport(
                incident=incident,
                kind=step.kind,
                from_place=sender,
                recipient_level=step.recipient_level,
                to_place=to_place,
                external_recipient=external,
                required=True,
                rule=step.rule,
                basis=step.basis[:200],
                period_date=step.period_date,
                due_at=step.due_at,
            )
            report.save()
            _track(report, now)
        elif report.reported_at is None and report.due_at != step.due_at:
            report.due_at = step.due_at
            report.save(update_fields=["due_at", "updated"])
            _track(report, now)
    for key, report in existing.items():
        if key not in wanted and report.reported_at is None and not report.missed:
            deadlines.cancel(report, actor=None, reason=_("报送要求已变化"))
            report.delete()
    outstanding = []
    for report in UpwardReport.objects.filter(incident=incident, required=True, reported_at__isnull=True):
        if rules.is_missing(report.due_at, report.reported_at, now) and not report.missed:
            report.missed = True
            report.missed_marked_at = now
            report.save(update_fields=["missed", "missed_marked_at", "updated"])
        outstanding.append(report)
    chain.last_checked = now
    chain.save(update_fields=["last_checked", "updated"])
    return outstanding


def _track(report: UpwardReport, now) -> None:
    deadlines.track(
        report,
        rule=DEADLINE_RULE,
        start=now,
        actor=None,
        place=report.from_place,
        title=_title(report),
        due=report.due_at,
    )


# --- 接报 -----------------------------------------------------------------------------------------
def _check_uploads(attachments) -> list[tuple]:
    checked = []
    for upload in attachments or ():
        ext = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
        if ext in IMAGE_EXTENSIONS:
            checked.append((upload, validate_image(upload), True))
        else:
            checked.append((upload, validate_document(upload), False))
    return checked


#: the earliest year a time of occurrence, receipt or report may have (earlier ones are typing errors,
#: and years near 1 leave the calendar when converted to UTC)
EARLIEST_YEAR = 1900
#: clock skew tolerated for times said to be "now" (receipt, report)
CLOCK_SKEW = dt.timedelta(minutes=5)


def _check_times(received_at, occurred_at, now) -> None:
    if received_at.year < EARLIEST_YEAR:
        raise field_error("received_at", _("接报时间超出有效范围。"), "out_of_range")
    if received_at > now + CLOCK_SKEW:
        raise field_error("received_at", _("接报时间不能晚于当前时间。"), "received_in_future")
    if occurred_at is not None and occurred_at.year < EARLIEST_YEAR:
        raise field_error("occurred_at", _("发生时间超出有效范围。"), "out_of_range")


def _check_coordinates(longitude, latitude) -> None:
    """WGS84 bounds, both or neither (as the incident's command post, incidents.services)."""
    if (longitude is None) != (latitude is None):
        raise field_error("latitude", _("经度和纬度须同时填写。"), "coordinates_required")
    if longitude is not None and not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise field_error("longitude", _("经纬度超出范围（WGS84）。"), "invalid_coordinates")


def _default_title(info: IncomingInfo) -> str:
    return f"{info.place.name}{info.get_event_type_display()}"


@transaction.atomic
def record_incoming(*, actor, incident: Incident | None = None, attachments=(), title: str = "", **fields):
    """Record incoming information (接报登记) and create a new incident from it (``incident`` None)
    or add it to ``incident`` (higher figures are taken over, with a timeline entry).

    ``fields`` are IncomingInfo fields (``source``, ``place``, ``event_type``, ``occurred_at``,
    ``deaths`` …). Starts or refreshes the incident's reporting chain. Raises ValidationError for bad
    input and AccessDenied outside the actor's scope; nothing is written then."""
    now = timezone.now()
    if fields.get("received_at") is None:
        fields["received_at"] = now
    _check_times(fields["received_at"], fields.get("occurred_at"), now)
    _check_coordinates(fields.get("longitude"), fields.get("latitude"))
    info = IncomingInfo(**fields)
    if getattr(actor, "pk", None) is not None:
        info.received_by = actor
    info.category = CATEGORY_OF.get(info.event_type, "")
    check_object(actor, "add", info)
    info.full_clean(exclude=["incident"])
    if info.occurred_at > info.received_at:
        raise field_error("occurred_at", _("发生时间不能晚于接报时间。"), "occurred_after_received")
    checked = _check_uploads(attachments)
    info.unit_late = rules.unit_report_late(info.category, info.occurred_at, info.received_at)
    if incident is None:
        incident = incident_services.create_incident(
            actor=actor,
            title=(title or _default_title(info))[:200],
            event_type=info.event_type,
            place=info.place,
            address=info.address,
            occurred_at=info.occurred_at,
            received_at=info.received_at,
            longitude=info.longitude,
            latitude=info.latitude,
            description=info.description,
            **{f: getattr(info, f) for f in COUNT_FIELDS},
        )
        info.incident = incident
        info.save()
        chain = ensure_chain(incident, started_at=info.received_at)
    else:
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not Incident.objects.visible_to(actor, "view").filter(pk=incident.pk).exists():
            raise AccessDenied(_("您无权查看该事件。"), code="out_of_scope")
        info.incident = incident
        info.save()
        chain = ensure_chain(incident, started_at=min(info.received_at, incident.received_at))
        raised = update_figures(incident, info, actor=actor, at=info.received_at)
        incident_services.add_timeline(
            incident,
            TimelineKind.INFO,
            _("接报（%(source)s）：%(text)s") % {"source": info.get_source_display(), "text": _summary(info)},
            actor=actor,
            at=info.received_at,
            link=info.get_absolute_url(),
        )
        if raised:
            note_figures(incident, chain, at=info.received_at)
    for upload, ext, is_image in checked:
        att = Attachment(info=info, name=(upload.name or "")[:200], is_image=is_image)
        att.file.save(stored_name("reporting", ext), upload, save=False)
        att.save()
    sync_reports(incident)
    return info


def _summary(info) -> str:
    parts = [info.description or info.get_event_type_display()]
    figures = [
        (info.deaths, _("死亡")),
        (info.missing, _("失踪")),
        (info.serious_injuries, _("重伤")),
        (info.minor_injuries, _("轻伤")),
    ]
    counted = "，".join(f"{label}{n}人" for n, label in figures if n)
    if counted:
        parts.append(counted)
    return "；".join(parts)


def update_figures(incident: Incident, source, *, actor, at=None) -> bool:
    """Take over the figures of ``source`` (incoming info or a report) where they are higher; the
    grade follows (493号令 第三条). Writes timeline entries; returns True when something changed."""
    changed = [
        f
        for f in COUNT_FIELDS
        if getattr(source, f) is not None and getattr(source, f) > getattr(incident, f)
    ]
    if not changed:
        return False
    old_grade = incident.grade
    for f in changed:
        setattr(incident, f, getattr(source, f))
    extra = incident_services.apply_rules(incident)
    incident.save(update_fields=[*changed, *extra, "updated"])
    # the same entries as a change on the incident page (incidents.services.update_casualties), at ``at``
    incident_services.add_timeline(
        incident, TimelineKind.CASUALTIES, incident_services.casualty_line(incident), actor=actor, at=at
    )
    if incident.grade != old_grade:
        incident_services.add_timeline(
            incident,
            TimelineKind.GRADE,
            _("等级由%(old)s调整为%(new)s")
            % {"old": _grade_label(old_grade), "new": incident.get_grade_display()},
            actor=actor,
            at=at,
        )
    return True


def _grade_label(value) -> str:
    return str(Grade(value).label) if value in Grade.values else value


# --- 上报 -----------------------------------------------------------------------------------------
CONTENT_FIELDS = ("unit_overview", "time_place_scene", "course", "measures", "other")


@transaction.atomic
def make_report(
    report: UpwardReport | None = None,
    *,
    actor,
    incident: Incident | None = None,
    kind: str | None = None,
    from_place: Place | None = None,
    recipient_level: str | None = None,
    external_recipient: str = "",
    from_department: Department | None = None,
    copies=(),
    copy_note: str = "",
    reported_at=None,
    **content,
) -> UpwardReport:
    """Make an upward report (信息上报). With ``report`` (a required, outstanding one) it is filled in;
    without, a report is recorded from ``from_place`` to ``recipient_level`` (matched to an outstanding
    required report of the same incident, kind, sender and recipient when there is one).

    ``content``: the 493号令 第十二条 elements (``unit_overview``, ``time_place_scene``, ``course``,
    ``measures``, ``other``) and the figures (``deaths`` …). A department's report is copied to the
    same-level emergency department automatically. Higher figures are taken over by the incident
    (the chain extends when the grade rises)."""
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now + CLOCK_SKEW:
        raise field_error("reported_at", _("报送时间不能晚于当前时间。"), "reported_in_future")
    if report is not None:
        report = (
            UpwardReport.objects.select_for_update()
            .select_related("incident", "from_place")
            .get(pk=report.pk)
        )
        if report.reported_at is not None:
            raise ValidationError(_("该报告已报送，不能重复报送。"), code="already_reported")
        incident = report.incident
    else:
        if incident is None or from_place is None or not recipient_level or not kind:
            raise ValidationError(_("请填写事件、报送类型、报送地区和接收层级。"), code="incomplete")
        places = chain_places(incident.place)
        if from_place.level not in (PlaceLevel.COUNTY, PlaceLevel.CITY):
            raise field_error("from_place", _("报送地区须为县（区）或市。"), "from_place_level")
        level_rank = {"county": 1, "city": 2, "province": 3, "ministry": 4}
        if level_rank.get(recipient_level, 0) <= level_rank[from_place.level]:
            raise field_error("recipient_level", _("接收层级须高于报送地区。"), "recipient_not_above")
        if from_place not in [p for p in places.values() if p is not None]:
            raise field_error(
                "from_place", _("报送地区须为事件发生地所属的县（区）或市。"), "from_place_not_in_chain"
            )
        match = None
        if from_department is None:
            match = (
                UpwardReport.objects.select_for_update()
                .filter(
                    incident=incident,
                    required=True,
                    reported_at__isnull=True,
                    kind=kind,
                    from_place=from_place,
                    recipient_level=recipient_level,
                )
                .order_by("due_at")
                .first()
            )
        if match is not None:
            report = match
        else:
            to_place, external = _recipient(recipient_level, places)
            report = UpwardReport(
                incident=incident,
                kind=kind,
                from_place=from_place,
                recipient_level=recipient_level,
                to_place=to_place,
                external_recipient=external_recipient or external,
                from_department=from_department,
            )
    if reported_at < incident.occurred_at:
        raise field_error("reported_at", _("报送时间不能早于事件发生时间。"), "reported_before_occurred")
    if external_recipient and report.to_place_id is None:
        report.external_recipient = external_recipient[:100]
    if not _may_send(actor, report.from_place, report.from_department):
        raise AccessDenied(_("您无权以该地区或部门的名义报送。"), code="out_of_scope")
    check_object(actor, "add" if report.pk is None else "change", report)
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(report, name, content.pop(name) or "")
    for name in COUNT_FIELDS:
        value = content.pop(name, None)
        setattr(report, name, value if value is not None else getattr(incident, name))
    if content:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(content)}, code="unknown_field")
    report.copy_note = copy_note[:200]
    report.reported_at = reported_at
    report.reported_by = actor if getattr(actor, "pk", None) else None
    report.late = rules.is_late(report.due_at, reported_at)
    if not report.late and report.missed:
        # recorded after a check flagged it, but made by its due time (e.g. by phone): never missing
        report.missed, report.missed_marked_at = False, None
    copy_list = list(copies or ())
    # 493号令 第十条: a level informs the departments of its own level (公安、人社、工会、检察院 …)
    if report.from_department_id and report.from_department.place_id != report.from_place_id:
        raise field_error("from_department", _("报送部门须为报送地区的部门。"), "department_not_of_place")
    if any(d.place_id != report.from_place_id for d in copy_list):
        raise field_error("copies", _("抄送部门须为报送地区的同级部门。"), "copies_not_same_level")
    report.full_clean(exclude=["incident", "from_place", "to_place", "from_department"])
    report.save()
    if report.from_department_id:
        bureau = emergency_department(report.from_place)
        if bureau is not None and bureau not in copy_list:
            copy_list.append(bureau)  # a department's report always goes to the same-level bureau too
    if copy_list:
        report.copies.add(*copy_list)
    if report.required:
        deadlines.meet(report, actor=None, at=reported_at)
    incident_services.add_timeline(
        incident,
        TimelineKind.REPORT,
        _("%(sender)s向%(recipient)s%(kind)s%(late)s")
        % {
            "sender": report.from_department.name if report.from_department_id else report.from_place.name,
            "recipient": report.recipient_name,
            "kind": report.get_kind_display(),
            "late": _("（迟报）") if report.late else "",
        },
        actor=actor,
        at=reported_at,
        link=report.get_absolute_url(),
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    chain = ensure_chain(incident)
    if update_figures(incident, report, actor=actor, at=reported_at):
        note_figures(incident, chain, at=reported_at)
    sync_reports(incident)
    return report


@transaction.atomic
def mark_stabilised(incident: Incident, *, actor, at=None) -> ReportChain:
    """A natural disaster is stabilised (灾情稳定): daily 续报 stop, 核报 become due."""
    at = at or timezone.now()
    if not any(_may_send(actor, p) for p in chain_places(incident.place).values() if p is not None):
        raise AccessDenied(_("您无权操作该事件的报送。"), code="out_of_scope")
    if incident.category != Category.NATURAL:
        raise ValidationError(_("只有自然灾害需要认定灾情稳定。"), code="not_natural_disaster")
    if at > timezone.now() + CLOCK_SKEW or at < incident.occurred_at:
        raise field_error("at", _("灾情稳定时间须在灾害发生之后、当前时间之前。"), "stabilised_out_of_range")
    chain = ensure_chain(incident)
    if chain.stabilised_at is None:
        chain.stabilised_at = at
        chain.save(update_fields=["stabilised_at", "updated"])
        incident_services.add_timeline(
            incident, TimelineKind.REPORT, _("灾情稳定，停止续报，开始核报"), actor=actor, at=at
        )
    sync_reports(incident)
    return chain


@transaction.atomic
def save_misreport(finding: MisReport, *, actor) -> MisReport:
    """Record (or correct) a 谎报/瞒报 finding; a new one is written to the incident's timeline."""
    new = finding.pk is None
    if new and getattr(actor, "pk", None) is not None and finding.found_by_id is None:
        finding.found_by = actor
    if not new:
        check_object(actor, "change", type(finding).objects.get(pk=finding.pk))
    check_object(actor, "add" if new else "change", finding)
    if finding.report_id and finding.report.incident_id != finding.incident_id:
        raise field_error("report", _("所选报告不属于该事件。"), "report_not_of_incident")
    finding.full_clean()
    finding.save()
    if new:
        incident_services.add_timeline(
            finding.incident,
            TimelineKind.REPORT,
            _("认定%(kind)s：%(unit)s")
            % {"kind": finding.get_kind_display(), "unit": finding.responsible_unit},
            actor=actor,
            at=finding.found_at,
            link=finding.get_absolute_url(),
        )
    return finding


def record_misreport(*, actor, **fields) -> MisReport:
    """Record a 谎报/瞒报 finding (bureau officers): ``incident``, ``kind``, ``responsible_unit`` …"""
    return save_misreport(MisReport(**fields), actor=actor)


def check_reports(now=None) -> dict:
    """The periodic check: refresh every open incident's chain (daily 续报, 漏报 flags)."""
    now = now or timezone.now()
    done = 0
    open_ = ~Q(incident__status=Status.CLOSED) | Q(
        incident__upward_reports__required=True, incident__upward_reports__reported_at__isnull=True
    )
    chains = ReportChain.objects.filter(open_).select_related("incident", "incident__place").distinct()
    for chain in chains:
        sync_reports(chain.incident, now=now)
        done += 1
    return {"incidents": done}
