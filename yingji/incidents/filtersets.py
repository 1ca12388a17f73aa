import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.incidents.models import DepartmentDuty, Incident, PlanDuty, ResponsePlan


class IncidentFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    occurred_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("发生时间起"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("发生时间止"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    open = django_filters.BooleanFilter(method="filter_open", label=_("未结束"))

    class Meta:
        model = Incident
        fields = [
            "place",
            "category",
            "event_type",
            "grade",
            "response_level",
            "status",
            "open",
            "occurred_from",
            "occurred_to",
        ]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_ = Incident.objects.open().values("pk")
        return queryset.filter(pk__in=open_) if value else queryset.exclude(pk__in=open_)


class ResponsePlanFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = ResponsePlan
        fields = ["place", "category", "event_type", "level", "active"]


class PlanDutyFilterSet(BaseFilterSet):
    class Meta:
        model = PlanDuty
        fields = ["plan", "role", "department_kind"]


class DepartmentDutyFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = DepartmentDuty
        fields = ["place", "category", "event_type", "department_kind", "department"]
