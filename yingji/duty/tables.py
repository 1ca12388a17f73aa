import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yingji.duty.choices import DutyRole
from yingji.duty.models import DutyRoom, Handover, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.tables import BaseTable


class DutyRoomTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(order_by=("place__code",))
    parent = tables.Column()

    class Meta(BaseTable.Meta):
        model = DutyRoom
        fields = ("name", "place", "department", "phone", "parent")


class RosterTemplateTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RosterTemplate
        fields = ("name", "room", "anchor", "officers_per_shift", "holiday_mode", "holiday_leader_required")


class ShiftTable(BaseTable):
    date = tables.Column(linkify=True)
    people = tables.Column(verbose_name=_("值班人员"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Shift
        fields = ("date", "room", "kind", "day_name", "people", "edited")

    def render_people(self, record):
        by_role = record.members_by_role()
        return format_html_join(
            " ",
            '<span class="text-nowrap"><span class="text-secondary">{}</span> {}</span>',
            (
                (DutyRole(role).label, "、".join(p.name for p in people))
                for role, people in by_role.items()
                if people
            ),
        )

    def value_people(self, record):
        return "；".join(
            f"{DutyRole(role).label}：{'、'.join(p.name for p in people)}"
            for role, people in record.members_by_role().items()
            if people
        )


class SwapRequestTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("编号"))

    class Meta(BaseTable.Meta):
        model = SwapRequest
        fields = ("id", "shift", "from_person", "to_person", "reason", "status", "created")


class HandoverTable(BaseTable):
    handed_at = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Handover
        fields = ("handed_at", "room", "from_shift", "handed_by", "summary")


STATUS_BADGE = {"pending": "warning", "answered": "success", "missed": "danger"}


class RollCallTable(BaseTable):
    called_at = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RollCall
        fields = ("called_at", "caller", "room", "origin", "status", "due_at", "answered_at", "answered_by")

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', STATUS_BADGE.get(record.status, "secondary"), value
        )
