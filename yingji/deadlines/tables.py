import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.deadlines import calendar
from yingji.deadlines.choices import DeadlineStatus
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.tables import BaseTable

STATUS_BADGES = {
    DeadlineStatus.OPEN: "text-bg-primary",
    DeadlineStatus.OVERDUE: "text-bg-danger",
    DeadlineStatus.MET: "text-bg-success",
    DeadlineStatus.CANCELLED: "text-bg-secondary",
}


def status_badge(deadline: Deadline):
    label = deadline.get_status_display()
    css = STATUS_BADGES.get(deadline.status, "text-bg-light")
    if deadline.status == DeadlineStatus.OPEN and deadline.is_past_due:
        label, css = _("已逾期"), "text-bg-danger"
    elif deadline.met_late:
        label, css = _("逾期办结"), "text-bg-warning"
    return format_html('<span class="badge {}">{}</span>', css, label)


class DeadlineTable(BaseTable):
    title = tables.Column(linkify=True)
    status = tables.Column()
    due_at = tables.Column()
    place = tables.Column(order_by=("place__code",))
    listed_by = tables.Column(verbose_name=_("挂牌督办"))

    class Meta(BaseTable.Meta):
        model = Deadline
        fields = ("title", "rule", "status", "due_at", "responsible", "supervisor", "place", "listed_by")

    def render_status(self, record):
        return status_badge(record)

    def render_due_at(self, record):
        text = calendar.format_due(record.due_at)
        if record.calendar_estimated:
            return format_html(
                '{} <span class="badge text-bg-warning" title="{}">{}</span>',
                text,
                _("所涉年份法定节假日尚未录入，按周末推算"),
                _("推算"),
            )
        return text


class CalendarDayTable(BaseTable):
    date = tables.DateColumn(linkify=True, format="Y-m-d（D）")

    class Meta(BaseTable.Meta):
        model = CalendarDay
        fields = ("date", "kind", "name", "note")
