import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.checklists.choices import Frequency
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter


class CheckPlanFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="enterprise__place")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("企业编号"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("检查频次"))
    active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = CheckPlan
        fields = ["place", "enterprise", "frequency", "active"]


class CheckItemFilterSet(BaseFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("计划编号"))

    class Meta:
        model = CheckItem
        fields = ["plan", "category"]


class CheckRecordFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="plan__enterprise__place")
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("计划编号"))
    enterprise = django_filters.NumberFilter(field_name="plan__enterprise_id", label=_("企业编号"))
    since = django_filters.DateFilter(field_name="period_start", lookup_expr="gte", label=_("周期起"))
    until = django_filters.DateFilter(field_name="period_start", lookup_expr="lte", label=_("周期止"))
    problems = django_filters.BooleanFilter(method="filter_problems", label=_("有问题"))

    class Meta:
        model = CheckRecord
        fields = ["place", "plan", "enterprise", "since", "until", "problems"]

    def filter_problems(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(problems__gt=0) if value else queryset.filter(problems=0)
