"""Write services of hazards. The closed-loop steps live in :mod:`yingji.hazards.workflow` (the one
state machine) and are re-exported here, so callers use ``yingji.hazards.services.report_hazard`` …"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yingji.framework.access import check_object
from yingji.hazards.workflow import (  # noqa: F401  (the public services of the closed loop)
    WorkflowError,
    add_photo,
    add_progress,
    assign_rectification,
    close_hazard,
    confirm_hazard,
    dismiss_hazard,
    fix_immediately,
    list_for_supervision,
    report_hazard,
    submit_rectification,
    verify_hazard,
)

#: fields an officer may correct after the report (never the state, grade or the 五落实: those are steps)
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "address",
    "longitude",
    "latitude",
    "disaster_type",
    "finder_name",
)


@transaction.atomic
def save_hazard(hazard, *, actor):
    """Correct the descriptive fields of a reported hazard (the edit page and ``PATCH``)."""
    if hazard._state.adding:
        raise ValidationError(_("新隐患请通过“上报隐患”登记。"), code="use_report")
    hazard.full_clean(exclude=["number"])
    check_object(actor, "change", hazard)
    hazard.save()
    return hazard
