import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.masking import display_value
from yingji.framework.tables import BaseTable
from yingji.messaging.choices import DeliveryStatus
from yingji.messaging.models import Delivery, Message

STATUS_BADGES = {
    DeliveryStatus.QUEUED: "text-bg-secondary",
    DeliveryStatus.SENT: "text-bg-primary",
    DeliveryStatus.DELIVERED: "text-bg-success",
    DeliveryStatus.FAILED: "text-bg-danger",
}


class MessageTable(BaseTable):
    subject = tables.Column(linkify=True)
    category = tables.Column(accessor="category_label", verbose_name=_("类别"), order_by=("category",))

    class Meta(BaseTable.Meta):
        model = Message
        fields = ("subject", "category", "sender", "place", "created")


class DeliveryTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    # not linked: the message record may lie outside the officer's scope (a city-wide message)
    message = tables.Column()
    recipient = tables.Column(accessor="recipient_label", verbose_name=_("接收人"), orderable=False)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Delivery
        fields = (
            "id",
            "message",
            "channel",
            "recipient",
            "address",
            "status",
            "attempts",
            "last_error",
            "last_attempt_at",
            "sent_at",
        )

    def render_address(self, value, record):
        return display_value(self.request.user, Delivery, "address", value)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, "text-bg-light"), value
        )
