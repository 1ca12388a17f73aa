import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.deadlines.choices import CalendarDayKind, DeadlineStatus
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.deadlines.rules import rule_choices
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter


class YesNoFilter(django_filters.TypedChoiceFilter):
    """``true`` / ``false`` (API) shown as 是 / 否 (pages); the method receives a bool, empty means all."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", (("", _("全部")), ("true", _("是")), ("false", _("否"))))
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class DeadlineFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=DeadlineStatus.choices, label=_("状态"))
    rule = django_filters.ChoiceFilter(choices=rule_choices, label=_("期限规则"))
    overdue = YesNoFilter(method="filter_overdue", label=_("已逾期"))
    listed = YesNoFilter(method="filter_listed", label=_("挂牌督办"))
    mine = YesNoFilter(method="filter_mine", label=_("我负责或督办的"))
    place = PlaceSubtreeFilter()
    due_from = django_filters.DateFilter(
        field_name="due_at", lookup_expr="date__gte", label=_("时限起（日期）")
    )
    due_to = django_filters.DateFilter(
        field_name="due_at", lookup_expr="date__lte", label=_("时限止（日期）")
    )
    item_type = django_filters.CharFilter(
        method="filter_item_type", label=_("对象类型（如 orgs.enterprise）")
    )
    item_id = django_filters.CharFilter(field_name="object_id", label=_("对象编号"))

    class Meta:
        model = Deadline
        fields = [
            "status",
            "rule",
            "overdue",
            "listed",
            "mine",
            "place",
            "due_from",
            "due_to",
            "item_type",
            "item_id",
        ]

    def filter_overdue(self, queryset, name, value):
        """Overdue = flagged overdue, or still open past its due time (before the next periodic check)."""
        past_due = Q(status=DeadlineStatus.OVERDUE) | Q(status=DeadlineStatus.OPEN, due_at__lt=timezone.now())
        if value is None:
            return queryset
        return queryset.filter(past_due) if value else queryset.exclude(past_due)

    def filter_listed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(listed_by__isnull=not value)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(Q(responsible=user) | Q(supervisor=user))

    def filter_item_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class CalendarDayFilterSet(BaseFilterSet):
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("年份"))
    kind = django_filters.ChoiceFilter(choices=CalendarDayKind.choices, label=_("类型"))

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]
