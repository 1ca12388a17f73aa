import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.duty.models import DutyRoom, Handover, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter


def _rooms(request):
    """Room dropdowns offer only the rooms the user sees."""
    user = getattr(request, "user", None)
    return DutyRoom.objects.visible_to(user).only("pk", "name") if user else DutyRoom.objects.none()


def room_filter(label=None, field_name="room"):
    return django_filters.ModelChoiceFilter(
        queryset=_rooms, label=label or _("值班室"), field_name=field_name
    )


class DutyRoomFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    own = django_filters.BooleanFilter(
        field_name="department", lookup_expr="isnull", label=_("本级值班室（非部门）")
    )

    class Meta:
        model = DutyRoom
        fields = ["place", "own"]


class RosterTemplateFilterSet(BaseFilterSet):
    room = room_filter()

    class Meta:
        model = RosterTemplate
        fields = ["room"]


class ShiftFilterSet(BaseFilterSet):
    room = room_filter()
    place = PlaceSubtreeFilter(place_field="room__place")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期自"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期至"))

    class Meta:
        model = Shift
        fields = ["room", "place", "kind", "edited", "date_from", "date_to"]


class SwapRequestFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="shift__room__place")

    class Meta:
        model = SwapRequest
        fields = ["status", "place"]


class HandoverFilterSet(BaseFilterSet):
    room = room_filter()
    place = PlaceSubtreeFilter(place_field="room__place")

    class Meta:
        model = Handover
        fields = ["room", "place"]


class RollCallFilterSet(BaseFilterSet):
    room = room_filter()
    caller = room_filter(_("点名单位"), "caller")
    place = PlaceSubtreeFilter(place_field="room__place")
    called_from = django_filters.DateFilter(
        field_name="called_at", lookup_expr="date__gte", label=_("点名日期自")
    )
    called_to = django_filters.DateFilter(
        field_name="called_at", lookup_expr="date__lte", label=_("点名日期至")
    )

    class Meta:
        model = RollCall
        fields = ["status", "origin", "caller", "room", "place", "called_from", "called_to"]
