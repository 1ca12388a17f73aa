import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingji.framework import registry


class BaseFilterSet(django_filters.FilterSet):
    """Every list has free-text search ``q`` over the object type's search fields."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            if isinstance(self.filters.get(name), django_filters.BooleanFilter):
                # "全部 / 是 / 否" instead of Django's "未知 / 是 / 否" (an unset filter means all rows)
                field.widget = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm",
            )
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        fields = registry.get(queryset.model).search_fields
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class PlaceSubtreeFilter(django_filters.CharFilter):
    """``place=<12-digit code>``: rows in that place or anywhere below it."""

    def __init__(self, *args, place_field="place", **kwargs):
        self.place_field = place_field
        kwargs.setdefault("label", _("所属地区（区划代码，含下级）"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        from yingji.places.models import Place

        place = Place.objects.filter(code=value.strip()).only("path").first()
        if place is None:
            return qs.none()
        lookup = "path__startswith" if self.place_field == "self" else f"{self.place_field}__path__startswith"
        return qs.filter(**{lookup: place.path})


class FlagFilter(django_filters.ChoiceFilter):
    """One flag of a :class:`~yingji.framework.fields.FlagsField`."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__contains": f",{value},"})
