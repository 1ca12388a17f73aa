import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.messaging.choices import ChannelCode, DeliveryStatus, MessageCategory
from yingji.messaging.models import Delivery, Message


class MessageFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    category = django_filters.ChoiceFilter(choices=MessageCategory.choices, label=_("类别"))

    class Meta:
        model = Message
        fields = ["category", "place"]


class DeliveryFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices, label=_("状态"))
    channel = django_filters.ChoiceFilter(choices=ChannelCode.choices, label=_("渠道"))
    message = django_filters.NumberFilter(field_name="message_id", label=_("消息编号"))
    place = PlaceSubtreeFilter()

    class Meta:
        model = Delivery
        fields = ["status", "channel", "message", "place"]
