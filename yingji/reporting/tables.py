import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.reporting.choices import ReportState
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport

STATE_BADGE = {
    ReportState.PENDING: "text-bg-info",
    ReportState.OVERDUE: "text-bg-danger",
    ReportState.ON_TIME: "text-bg-success",
    ReportState.LATE: "text-bg-warning",
    ReportState.UNTIMED: "text-bg-secondary",
}


def state_badge(record) -> str:
    state = record.state
    extra = ""
    if record.missed and state != ReportState.OVERDUE:
        extra = format_html(' <span class="badge text-bg-danger">{}</span>', _("曾漏报"))
    return format_html(
        '<span class="badge {}">{}</span>{}', STATE_BADGE[state], ReportState(state).label, extra
    )


class IncomingInfoTable(BaseTable):
    received_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i")
    place = tables.Column(linkify=True, order_by=("place__code",))
    incident = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = IncomingInfo
        fields = (
            "received_at",
            "source",
            "event_type",
            "place",
            "occurred_at",
            "deaths",
            "missing",
            "incident",
        )


class UpwardReportTable(BaseTable):
    incident = tables.Column(linkify=True)
    kind = tables.Column(linkify=True)
    from_place = tables.Column(order_by=("from_place__code",))
    recipient = tables.Column(empty_values=(), orderable=False, verbose_name=_("接收单位"))
    state = tables.Column(empty_values=(), orderable=False, verbose_name=_("状态"))

    class Meta(BaseTable.Meta):
        model = UpwardReport
        fields = ("incident", "kind", "from_place", "recipient", "due_at", "reported_at", "state")

    def render_recipient(self, record):
        return record.recipient_name

    def render_state(self, record):
        return state_badge(record)

    def render_due_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_reported_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class MisReportTable(BaseTable):
    kind = tables.Column(linkify=True)
    incident = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = MisReport
        fields = ("kind", "incident", "responsible_unit", "found_at")
