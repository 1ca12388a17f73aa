import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.reporting.choices import ReportState
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport
from yingji.reporting.stats import state_q


class IncomingInfoFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("接报日期起")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("接报日期止")
    )

    class Meta:
        model = IncomingInfo
        fields = [
            "place",
            "source",
            "category",
            "event_type",
            "incident",
            "received_after",
            "received_before",
        ]


class UpwardReportFilterSet(BaseFilterSet):
    from_place = PlaceSubtreeFilter(place_field="from_place", label=_("报送地区（区划代码，含下级）"))
    state = django_filters.ChoiceFilter(
        choices=ReportState.choices, method="filter_state", label=_("报送状态")
    )

    class Meta:
        model = UpwardReport
        fields = ["incident", "kind", "from_place", "recipient_level", "required", "state", "late", "missed"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value, timezone.now())) if value in ReportState.values else queryset


class MisReportFilterSet(BaseFilterSet):
    class Meta:
        model = MisReport
        fields = ["incident", "kind"]
