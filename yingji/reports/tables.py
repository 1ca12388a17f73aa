import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.reports.models import PublicReport


class PublicReportTable(BaseTable):
    tracking_code = tables.Column(linkify=True, verbose_name=_("查询码"))
    place = tables.Column(order_by=("place__code",))
    due = tables.Column(empty_values=(), orderable=False, verbose_name=_("办理时限"), accessor="submitted_at")

    class Meta(BaseTable.Meta):
        model = PublicReport
        fields = ("tracking_code", "kind", "title", "place", "department", "status", "submitted_at", "due")

    def render_tracking_code(self, record):
        return record.display_code

    def render_due(self, record):
        due = getattr(record, "open_due_at", None)
        if due is None:
            return "—"
        text = timezone.localtime(due).strftime("%Y-%m-%d")
        if due < timezone.now():
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text, _("逾期"))
        return text
