import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.warnings.choices import ConsultationKind, Level, MsgType, Origin, Status, WarningType
from yingji.warnings.models import Consultation, Subscription, Warning, WorkPrompt


class WarningFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    warning_type = django_filters.ChoiceFilter(choices=WarningType.choices, label=_("预警类型"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("预警级别"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("状态"))
    msg_type = django_filters.ChoiceFilter(choices=MsgType.choices, label=_("消息类型"))
    origin = django_filters.ChoiceFilter(choices=Origin.choices, label=_("来源"))

    class Meta:
        model = Warning
        fields = ["place", "warning_type", "level", "status", "msg_type", "origin"]


class SubscriptionFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    confirmed = django_filters.BooleanFilter(label=_("已确认"))
    active = django_filters.BooleanFilter(label=_("有效"))

    class Meta:
        model = Subscription
        fields = ["place", "channel", "confirmed", "active"]


class ConsultationFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=ConsultationKind.choices, label=_("会商类型"))

    class Meta:
        model = Consultation
        fields = ["place", "kind"]


class WorkPromptFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    consultation = django_filters.NumberFilter(field_name="consultation_id", label=_("会商编号"))
    issued = django_filters.BooleanFilter(
        field_name="issued_at", lookup_expr="isnull", exclude=True, label=_("已下发")
    )

    class Meta:
        model = WorkPrompt
        fields = ["place", "consultation", "issued"]
