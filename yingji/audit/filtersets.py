import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.audit.choices import ChangeAction, ChangeSource
from yingji.audit.models import ObjectChange
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter


class ObjectChangeFilterSet(BaseFilterSet):
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("操作"))
    source = django_filters.ChoiceFilter(choices=ChangeSource.choices, label=_("来源"))
    actor = django_filters.CharFilter(field_name="actor_name", label=_("操作人账号"))
    object_type = django_filters.CharFilter(
        method="filter_object_type", label=_("对象类型（如 orgs.enterprise）")
    )
    object_id = django_filters.CharFilter(label=_("对象编号"))
    since = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="gte", label=_("起始时间"))
    until = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="lt", label=_("截止时间"))
    place = PlaceSubtreeFilter()

    class Meta:
        model = ObjectChange
        fields = [
            "action",
            "source",
            "actor",
            "object_type",
            "object_id",
            "since",
            "until",
            "place",
            "request_id",
        ]

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
