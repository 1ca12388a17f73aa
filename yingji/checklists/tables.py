import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord
from yingji.framework.tables import BaseTable


class CheckPlanTable(BaseTable):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CheckPlan
        fields = ("name", "enterprise", "post", "frequency", "responsible", "start_date", "active")


class CheckItemTable(BaseTable):
    text = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CheckItem
        fields = ("text", "plan", "order", "category", "basis")


class CheckRecordTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    plan = tables.Column(linkify=True)
    period = tables.Column(
        empty_values=(), orderable=False, verbose_name=_("检查周期"), accessor="period_start"
    )

    class Meta(BaseTable.Meta):
        model = CheckRecord
        fields = ("id", "plan", "period", "performed_at", "performer_name", "problems")

    def render_period(self, record):
        return record.period_label
