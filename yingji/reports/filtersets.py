import django_filters
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.reports.choices import OPEN_STATUSES, ReportKind, ReportStatus
from yingji.reports.models import PublicReport


def with_deadlines(queryset):
    """Annotate each report with ``open_due_at``: the earliest due time of its active deadlines."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Subquery
    from django.db.models.functions import Cast

    from yingji.deadlines.choices import ACTIVE_STATUSES
    from yingji.deadlines.models import Deadline

    due = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(PublicReport),
            object_id=Cast(OuterRef("pk"), CharField()),
            status__in=ACTIVE_STATUSES,
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return queryset.annotate(open_due_at=Subquery(due))


class PublicReportFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("举报类别"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("状态"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("未办结"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已逾期"))
    department = django_filters.NumberFilter(field_name="department_id", label=_("承办部门编号"))
    hazard = django_filters.BooleanFilter(
        field_name="hazard", lookup_expr="isnull", exclude=True, label=_("已转隐患")
    )
    clue = django_filters.BooleanFilter(label=_("已转执法线索"))

    class Meta:
        model = PublicReport
        fields = ["place", "kind", "status", "open", "overdue", "department", "hazard", "clue"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"status__in": OPEN_STATUSES}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if "open_due_at" not in queryset.query.annotations:
            queryset = with_deadlines(queryset)
        now = timezone.now()
        if value:
            return queryset.filter(open_due_at__lt=now)
        return queryset.exclude(open_due_at__lt=now)
