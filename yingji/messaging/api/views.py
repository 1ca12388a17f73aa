from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.messaging import services
from yingji.messaging.api.serializers import (
    DeliverySerializer,
    MessageSendSerializer,
    MessageSerializer,
    NotificationSerializer,
)
from yingji.messaging.filtersets import DeliveryFilterSet, MessageFilterSet
from yingji.messaging.models import Delivery, Message, Notification


class NotificationPermission(permissions.BasePermission):
    """Signed in and allowed notifications: reading needs ``view``, marking read ``change``."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        needed = "view" if request.method in permissions.SAFE_METHODS else "change"
        return can(request.user, needed, Notification)


@extend_schema(parameters=[OpenApiParameter("unread", bool, description="只列未读消息")])
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My in-app notifications (only mine: anyone else's reads as 404), newest first."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [NotificationPermission]
    ordering_fields = ["created", "read_at"]
    filterset_class = None

    def get_queryset(self):
        action_ = "view" if self.request.method in permissions.SAFE_METHODS else "change"
        qs = Notification.objects.inbox(self.request.user, action_).select_related("message__sender")
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("-created", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = services.mark_read(self.get_object(), actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAllResponse", {"updated": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all my notifications read."""
        return Response({"updated": services.mark_all_read(actor=request.user)})

    @extend_schema(responses=inline_serializer("UnreadCountResponse", {"count": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        """How many of my notifications are unread."""
        return Response({"count": services.unread_count(request.user)})


class DeliveryViewSet(ScopedModelViewSet):
    """Outbound sends in your scope (read-only; written by the messaging centre)."""

    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    ordering_fields = ["created", "status", "last_attempt_at"]
    http_method_names = ["get", "head", "options"]


class MessageViewSet(ScopedModelViewSet):
    """Messages in your scope; ``POST`` sends a new one (recipients must be in your scope)."""

    queryset = Message.objects.all()
    serializer_class = MessageSerializer
    filterset_class = MessageFilterSet
    ordering_fields = ["created"]
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return MessageSendSerializer if self.action == "create" else MessageSerializer

    @extend_schema(request=MessageSendSerializer, responses={201: MessageSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.send_message(actor=request.user, **serializer.validated_data)
        data = MessageSerializer(message, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
