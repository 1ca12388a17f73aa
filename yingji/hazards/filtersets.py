import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.hazards.choices import DisasterType, Grade, HazardKind, Source, Status
from yingji.hazards.models import Hazard

#: states in which the rectification deadline still runs (overdue = past it in one of these)
RUNNING = (Status.ASSIGNED, Status.RECTIFYING)


def overdue_q(now=None) -> Q:
    """Hazards past their rectification deadline and not yet rectified."""
    return Q(status__in=RUNNING, due_at__lt=now or timezone.now())


class HazardFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=HazardKind.choices, label=_("隐患类别"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("状态"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("隐患等级"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("来源"))
    disaster_type = django_filters.ChoiceFilter(choices=DisasterType.choices, label=_("灾害隐患类型"))
    place = PlaceSubtreeFilter()
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("企业编号"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("整改逾期"))
    supervised = django_filters.BooleanFilter(method="filter_supervised", label=_("挂牌督办"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("未销号"))

    class Meta:
        model = Hazard
        fields = [
            "kind",
            "status",
            "grade",
            "source",
            "disaster_type",
            "place",
            "enterprise",
            "overdue",
            "supervised",
            "open",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_supervised(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(supervised_by__isnull=not value)

    def filter_open(self, queryset, name, value):
        from yingji.hazards.choices import OPEN_STATUSES

        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)
        )
