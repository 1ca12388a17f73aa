import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, FlagFilter, PlaceSubtreeFilter
from yingji.orgs.choices import INDUSTRY_CHOICES
from yingji.risks.choices import ACCIDENT_TYPES, RiskLevel
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)


class RiskPointFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="enterprise__place")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("企业编号"))
    accident_type = FlagFilter(field_name="accident_types", choices=ACCIDENT_TYPES, label=_("事故类型"))
    post = django_filters.CharFilter(label=_("岗位"))

    class Meta:
        model = RiskPoint
        fields = ["place", "enterprise", "level", "method", "control_level", "accident_type", "post"]


class ControlMeasureFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="risk_point__enterprise__place")
    enterprise = django_filters.NumberFilter(field_name="risk_point__enterprise_id", label=_("企业编号"))
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", label=_("风险点编号"))

    class Meta:
        model = ControlMeasure
        fields = ["place", "enterprise", "risk_point", "kind"]


class RiskProfileFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="enterprise__place")
    industry = django_filters.ChoiceFilter(
        field_name="enterprise__industry", choices=INDUSTRY_CHOICES, label=_("行业大类")
    )
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("企业风险等级"))
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("企业编号"))

    class Meta:
        model = RiskProfile
        fields = ["place", "industry", "level", "enterprise"]


class RiskReportFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="enterprise__place")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("企业编号"))

    class Meta:
        model = RiskReport
        fields = ["place", "enterprise", "kind", "period", "late"]


class RegionRiskFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    accident_type = FlagFilter(field_name="accident_types", choices=ACCIDENT_TYPES, label=_("事故类型"))

    class Meta:
        model = RegionRisk
        fields = ["place", "department", "category", "level", "accident_type"]


class RegionRiskMeasureFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="region_risk__place")
    region_risk = django_filters.NumberFilter(field_name="region_risk_id", label=_("区域风险编号"))

    class Meta:
        model = RegionRiskMeasure
        fields = ["place", "region_risk", "kind"]
