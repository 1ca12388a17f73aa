from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "yingji.messaging"
    label = "messaging"
    verbose_name = _("消息中心")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import ROLES, VIEW, Role, grant
        from yingji.messaging import filtersets as f
        from yingji.messaging import models, tables
        from yingji.messaging.api import serializers as s
        from yingji.messaging.api import views as v

        # Everyone signed in reads (and marks read) the notifications sent to them; the inbox also
        # filters recipient = user. Officers who send messages follow their deliveries in their scope.
        for role in ROLES:
            grant(role, "messaging.notification", {VIEW, "change"})
        for role in (Role.BUREAU_OFFICER, Role.DUTY_OFFICER):
            grant(role, "messaging.message", {VIEW, "add"})
            grant(role, "messaging.delivery", {VIEW})

        register(
            ObjectType(
                model=models.Message,
                filterset=f.MessageFilterSet,
                table=tables.MessageTable,
                serializer=s.MessageSerializer,
                viewset=v.MessageViewSet,
                api_prefix="messages",
                detail_fields=("subject", "body", "link", "category", "sender", "place", "created"),
                list_select_related=("sender", "place"),
                search_fields=("subject", "body"),
                extra={"read_only": True},
            )
        )
        register(
            ObjectType(
                model=models.Delivery,
                filterset=f.DeliveryFilterSet,
                table=tables.DeliveryTable,
                serializer=s.DeliverySerializer,
                viewset=v.DeliveryViewSet,
                api_prefix="deliveries",
                detail_fields=(
                    "message",
                    "channel",
                    "address",
                    "user",
                    "person",
                    "place",
                    "status",
                    "attempts",
                    "last_error",
                    "provider_id",
                    "created",
                    "last_attempt_at",
                    "sent_at",
                    "delivered_at",
                ),
                list_select_related=("message", "person", "user", "place"),
                search_fields=("address", "message__subject", "person__name", "user__username"),
                extra={"read_only": True},
            )
        )
