import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.warnings.models import Consultation, Subscription, Warning, WorkPrompt

LEVEL_CLASSES = {
    "blue": "text-bg-primary",
    "yellow": "text-bg-warning",
    "orange": "yj-badge-orange",
    "red": "text-bg-danger",
}


def level_badge(warning) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', LEVEL_CLASSES.get(warning.level, ""), warning.get_level_display()
    )


class WarningTable(BaseTable):
    headline = tables.Column(linkify=True)
    level = tables.Column()
    place = tables.Column(linkify=True, order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Warning
        fields = (
            "headline",
            "warning_type",
            "level",
            "status",
            "msg_type",
            "place",
            "effective_at",
            "expires_at",
            "identifier",
        )

    def render_level(self, value, record):
        return level_badge(record)

    def value_level(self, value, record):
        return record.get_level_display()


class SubscriptionTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    place = tables.Column(linkify=True, order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Subscription
        fields = ("id", "place", "channel", "address", "name", "confirmed", "active", "created")

    def render_address(self, value, record):
        from yingji.utilities.identifiers import mask_mobile

        user = getattr(self, "request", None) and self.request.user
        from yingji.framework.access import has_clearance

        return value if user and has_clearance(user) else mask_mobile(value)


class ConsultationTable(BaseTable):
    title = tables.Column(linkify=True)
    place = tables.Column(linkify=True, order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Consultation
        fields = ("title", "kind", "held_at", "place", "chair")


class WorkPromptTable(BaseTable):
    title = tables.Column(linkify=True)
    acknowledged = tables.Column(verbose_name=_("签收"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = WorkPrompt
        fields = ("number", "title", "consultation", "place", "issued_at", "acknowledged")

    def render_acknowledged(self, record):
        acks = list(record.acks.all())
        if not acks:
            return "—"
        return f"{sum(a.acknowledged_at is not None for a in acks)}/{len(acks)}"
