import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, FlagFilter, PlaceSubtreeFilter
from yingji.resources.choices import CAPABILITIES, EXPERT_FIELDS, SHELTER_FACILITIES
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember


class TeamFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    capability = FlagFilter(field_name="capabilities", choices=CAPABILITIES, label=_("救援能力"))

    class Meta:
        model = Team
        fields = ["place", "kind", "specialty", "readiness", "capability", "owner_department"]


class TeamMemberFilterSet(BaseFilterSet):
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("证书即将到期或已过期"))

    class Meta:
        model = TeamMember
        fields = ["team", "expiring"]

    def filter_expiring(self, queryset, name, value):
        import datetime

        from django.utils import timezone

        from yingji.resources import rules

        if value is None:
            return queryset
        limit = timezone.localdate() + datetime.timedelta(days=rules.certificate_warning_days())
        if value:
            return queryset.filter(certificate_expiry__lte=limit)
        return queryset.exclude(certificate_expiry__lte=limit)


class ExpertFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    specialty = FlagFilter(field_name="specialties", choices=EXPERT_FIELDS, label=_("专业领域"))

    class Meta:
        model = Expert
        fields = ["place", "specialty", "title", "availability"]


class EquipmentFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = Equipment
        fields = ["place", "kind", "owner_kind", "status", "shared", "owner_team", "owner_department"]


class ShelterFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    facility = FlagFilter(field_name="facilities", choices=SHELTER_FACILITIES, label=_("设施"))
    min_free = django_filters.NumberFilter(method="filter_min_free", label=_("剩余容量不少于"))

    class Meta:
        model = Shelter
        fields = [
            "place",
            "shelter_type",
            "fixed_period",
            "space_type",
            "grade",
            "status",
            "evaluation",
            "facility",
            "min_free",
        ]

    def filter_min_free(self, queryset, name, value):
        from django.db.models import F

        if value is None:
            return queryset
        return queryset.annotate(_free=F("capacity") - F("occupancy")).filter(_free__gte=value)
