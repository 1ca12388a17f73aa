import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.dispatch.choices import TaskStatus
from yingji.dispatch.models import Task
from yingji.framework.tables import BaseTable

STATUS_BADGE = {
    TaskStatus.DISPATCHED: "text-bg-warning",
    TaskStatus.ACKNOWLEDGED: "text-bg-info",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.COMPLETED: "text-bg-success",
    TaskStatus.CANCELLED: "text-bg-secondary",
}


class TaskTable(BaseTable):
    title = tables.Column(linkify=True)
    incident = tables.Column(order_by=("incident__occurred_at",))
    assignee = tables.Column(verbose_name=_("承办对象"), empty_values=(), orderable=False)
    status = tables.Column()
    percent = tables.Column()

    class Meta(BaseTable.Meta):
        model = Task
        fields = (
            "title",
            "incident",
            "assignee_kind",
            "assignee",
            "status",
            "percent",
            "dispatched_at",
            "due_at",
        )

    def render_assignee(self, record):
        return record.assignee or "—"

    def render_status(self, value, record):
        badge = format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGE.get(record.status, ""),
            record.get_status_display(),
        )
        if record.is_overdue:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', badge, _("超时"))
        return badge

    def render_percent(self, value):
        return f"{value}%"
