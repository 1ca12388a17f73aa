import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.places.choices import PlaceLevel
from yingji.places.models import Place


class PlaceFilterSet(BaseFilterSet):
    level = django_filters.ChoiceFilter(choices=PlaceLevel.choices, label=_("层级"))
    within = PlaceSubtreeFilter(place_field="self", label=_("上级区划代码（含下级）"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("直接上级区划代码"))

    class Meta:
        model = Place
        fields = ["level", "within", "parent"]
