import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable, FlagsColumn
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember


class TeamTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True, order_by=("place__code",))
    capabilities = FlagsColumn(orderable=False)

    class Meta(BaseTable.Meta):
        model = Team
        fields = (
            "name",
            "kind",
            "specialty",
            "place",
            "owner_department",
            "headcount",
            "capabilities",
            "readiness",
        )


class TeamMemberTable(BaseTable):
    name = tables.Column(linkify=True)
    team = tables.Column(linkify=True)
    certificate_expiry = tables.Column()

    class Meta(BaseTable.Meta):
        model = TeamMember
        fields = ("name", "team", "position", "qualifications", "certificate_no", "certificate_expiry")

    def render_certificate_expiry(self, value, record):
        state = record.certificate_state
        if state == "expired":
            return format_html('{} <span class="badge text-bg-danger">{}</span>', value, _("已过期"))
        if state == "expiring":
            return format_html('{} <span class="badge text-bg-warning">{}</span>', value, _("即将到期"))
        return value


class ExpertTable(BaseTable):
    name = tables.Column(linkify=True)
    specialties = FlagsColumn(orderable=False)

    class Meta(BaseTable.Meta):
        model = Expert
        fields = ("name", "specialties", "title", "organisation", "place", "availability")


class EquipmentTable(BaseTable):
    name = tables.Column(linkify=True)
    owner_team = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Equipment
        fields = (
            "name",
            "kind",
            "quantity",
            "unit",
            "owner_kind",
            "owner_team",
            "owner_name",
            "place",
            "status",
        )


class ShelterTable(BaseTable):
    name = tables.Column(linkify=True)
    per_capita_area = tables.Column(verbose_name=_("人均有效面积（m²）"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Shelter
        fields = (
            "name",
            "shelter_type",
            "fixed_period",
            "grade",
            "place",
            "effective_area_m2",
            "capacity",
            "per_capita_area",
            "status",
            "occupancy",
            "evaluation",
        )

    def render_per_capita_area(self, record):
        value = record.per_capita_area
        return "—" if value is None else value
