"""Writes of incidents: every operation is one function with a keyword-only ``actor``; each records
what it did on the incident's timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object
from yingji.incidents import grading
from yingji.incidents.choices import CATEGORY_OF, TimelineKind
from yingji.incidents.models import Incident, TimelineEntry


def add_timeline(incident, kind: str, text: str, *, actor=None, at=None, link: str = "") -> TimelineEntry:
    """Append an entry to the incident's timeline (every service that changes an incident calls this).

    ``text`` is cut to the field's 500 characters; ``link`` points at the related record's page."""
    return TimelineEntry.objects.create(
        incident=incident,
        kind=kind,
        text=str(text)[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
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
        incident.created_by = actor
        if not allows_object(actor, "add", incident):
            raise AccessDenied(_("您无权在该地区登记突发事件。"))
    apply_rules(incident)
    incident.full_clean(exclude=["number"])
    if incident.occurred_at and incident.received_at and incident.occurred_at > incident.received_at:
        raise ValidationError(
            {"occurred_at": _("发生时间不能晚于接报时间。")}, code="occurred_after_received"
        )
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
