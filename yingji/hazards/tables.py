import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.hazards.choices import Grade, Status
from yingji.hazards.filtersets import RUNNING
from yingji.hazards.models import Hazard

STATUS_BADGES = {
    Status.REPORTED: "text-bg-secondary",
    Status.CONFIRMED: "text-bg-info",
    Status.ASSIGNED: "text-bg-primary",
    Status.RECTIFYING: "text-bg-primary",
    Status.RECTIFIED: "text-bg-warning",
    Status.VERIFIED: "text-bg-success",
    Status.CLOSED: "text-bg-light",
    Status.DISMISSED: "text-bg-light",
}


def status_badge(hazard) -> str:
    html = format_html(
        '<span class="badge {}">{}</span>', STATUS_BADGES.get(hazard.status, ""), hazard.get_status_display()
    )
    if hazard.status in RUNNING and hazard.due_at and hazard.due_at < timezone.now():
        html += format_html(' <span class="badge text-bg-danger">{}</span>', _("逾期"))
    if hazard.supervised_by_id:
        html += format_html(' <span class="badge text-bg-warning">{}</span>', _("挂牌"))
    return html


class HazardTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = tables.Column()
    grade = tables.Column()
    enterprise = tables.Column(linkify=True)
    place = tables.Column(order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Hazard
        fields = ("number", "title", "status", "grade", "source", "enterprise", "place", "found_at", "due_at")

    def render_status(self, value, record):
        return status_badge(record)

    def render_grade(self, value, record):
        if record.grade == Grade.MAJOR:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return value


class DisasterHazardTable(HazardTable):
    class Meta(HazardTable.Meta):
        fields = (
            "number",
            "title",
            "status",
            "disaster_type",
            "source",
            "place",
            "address",
            "found_at",
            "due_at",
        )
        exclude = ("grade", "enterprise")
