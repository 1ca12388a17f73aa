import django_tables2 as tables
from django.utils.html import format_html

from yingji.framework.tables import BaseTable, FlagsColumn
from yingji.risks.choices import LEVEL_COLOURS
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)


class LevelColumn(tables.Column):
    """A risk level as a badge in its colour (红橙黄蓝)."""

    def render(self, value, record, bound_column):
        code = getattr(record, bound_column.accessor.split(".")[-1])
        colour = LEVEL_COLOURS.get(code, ("", "", "#6c757d"))[2]
        text = "#212529" if code == "general" else "#fff"
        return format_html(
            '<span class="badge" style="background:{};color:{}">{}</span>', colour, text, value
        )


class RiskPointTable(BaseTable):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)
    level = LevelColumn()
    accident_types = FlagsColumn(orderable=False)

    class Meta(BaseTable.Meta):
        model = RiskPoint
        fields = (
            "name",
            "enterprise",
            "area",
            "post",
            "accident_types",
            "method",
            "score",
            "level",
            "control_level",
            "responsible_name",
            "review_date",
        )


class ControlMeasureTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    risk_point = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ControlMeasure
        fields = ("id", "risk_point", "kind", "content", "responsible_name")


class RiskProfileTable(BaseTable):
    enterprise = tables.Column(linkify=lambda record: record.get_absolute_url())
    level = LevelColumn()
    base_level = LevelColumn()

    class Meta(BaseTable.Meta):
        model = RiskProfile
        fields = (
            "enterprise",
            "level",
            "base_level",
            "major_count",
            "large_count",
            "general_count",
            "low_count",
            "reason",
            "computed_at",
        )


class RiskReportTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    enterprise = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RiskReport
        fields = ("id", "enterprise", "kind", "period", "submitted_at", "late", "major_count", "large_count")


class RegionRiskTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True, order_by=("place__code",))
    level = LevelColumn()

    class Meta(BaseTable.Meta):
        model = RegionRisk
        fields = ("name", "place", "department", "category", "location", "score", "level", "responsible_unit")


class RegionRiskMeasureTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    region_risk = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RegionRiskMeasure
        fields = ("id", "region_risk", "kind", "content", "responsible_unit")
