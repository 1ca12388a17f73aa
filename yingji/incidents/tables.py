import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.incidents.models import DepartmentDuty, Incident, PlanDuty, ResponsePlan


class IncidentTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    place = tables.Column(order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Incident
        fields = (
            "number",
            "title",
            "event_type",
            "grade",
            "response_level",
            "status",
            "place",
            "occurred_at",
            "deaths",
            "serious_injuries",
        )


class ResponsePlanTable(BaseTable):
    name = tables.Column(linkify=True)
    duties = tables.Column(verbose_name=_("职责条目"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = ResponsePlan
        fields = ("name", "category", "event_type", "level", "place", "active")

    def render_duties(self, record):
        return len(record.duties.all())


class PlanDutyTable(BaseTable):
    task = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PlanDuty
        fields = ("plan", "order", "role", "department", "department_kind", "task", "time_limit_minutes")


class DepartmentDutyTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("编号"))

    class Meta(BaseTable.Meta):
        model = DepartmentDuty
        fields = (
            "id",
            "place",
            "department",
            "department_kind",
            "category",
            "event_type",
            "duties",
            "source",
        )
