from django.utils.translation import gettext as _
from rest_framework import serializers

from yingji.framework.api import ScopedSerializer
from yingji.messaging import channels as channel_registry
from yingji.messaging.choices import MessageCategory
from yingji.messaging.models import Delivery, Message, Notification

_STAMPS = ["created", "updated"]


class NotificationSerializer(serializers.ModelSerializer):
    """One of my notifications, with its message."""

    subject = serializers.CharField(source="message.subject", read_only=True)
    body = serializers.CharField(source="message.body", read_only=True)
    link = serializers.CharField(source="message.link", read_only=True)
    category = serializers.CharField(source="message.category", read_only=True)
    sender = serializers.SerializerMethodField(help_text="发送人账号；系统消息为 null")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "message",
            "subject",
            "body",
            "link",
            "category",
            "sender",
            "created",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_sender(self, obj) -> str | None:
        sender = obj.message.sender
        return sender.username if sender else None


class DeliverySerializer(ScopedSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    message_subject = serializers.CharField(source="message.subject", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "message",
            "message_subject",
            "channel",
            "address",
            "user",
            "person",
            "place",
            "status",
            "attempts",
            "last_error",
            "provider_id",
            "last_attempt_at",
            "sent_at",
            "delivered_at",
            *_STAMPS,
        ]
        read_only_fields = fields


class MessageSerializer(ScopedSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sender = serializers.SlugRelatedField(slug_field="username", read_only=True)
    about_type = serializers.SerializerMethodField(help_text="关联对象类型，如 orgs.enterprise")
    deliveries = serializers.SerializerMethodField(help_text="各状态的发送条数（在您的管辖范围内）")

    class Meta:
        model = Message
        fields = [
            "id",
            "subject",
            "body",
            "link",
            "category",
            "channels",
            "sender",
            "place",
            "about_type",
            "object_id",
            "deliveries",
            *_STAMPS,
        ]
        read_only_fields = fields

    def get_about_type(self, obj) -> str | None:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None

    def get_deliveries(self, obj) -> dict:
        from yingji.messaging.services import status_counts

        request = self.context.get("request")
        qs = Delivery.objects.visible_to(getattr(request, "user", None)).filter(message=obj)
        return status_counts(qs)


def _scoped(model, request):
    return model.objects.visible_to(getattr(request, "user", None), "view")


class MessageSendSerializer(serializers.Serializer):
    """Send a message: recipients by id (users, persons) or 12-digit code (places), all in your scope."""

    subject = serializers.CharField(max_length=200, help_text="标题")
    body = serializers.CharField(required=False, allow_blank=True, default="", help_text="正文")
    link = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="打开时跳转的平台内路径，如 /orgs/enterprises/1/",
    )
    category = serializers.ChoiceField(choices=MessageCategory.choices, default=MessageCategory.GENERAL)
    channels = serializers.ListField(
        child=serializers.CharField(max_length=20),
        default=lambda: ["inapp"],
        help_text="渠道代码：inapp 站内、sms 短信、voice 语音、wechat 政务微信/钉钉、"
        "broadcast 应急广播、screen 显示屏",
    )
    users = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Message.objects.none(), help_text="接收用户编号"
    )
    persons = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Message.objects.none(), help_text="接收人员编号"
    )
    places = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="code",
        queryset=Message.objects.none(),
        help_text="广播/显示屏地区的12位区划代码",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.accounts.models import Person, User
        from yingji.places.models import Place

        request = self.context.get("request")
        self.fields["users"].child_relation.queryset = _scoped(User, request).filter(is_active=True)
        self.fields["persons"].child_relation.queryset = _scoped(Person, request)
        self.fields["places"].child_relation.queryset = _scoped(Place, request)

    def validate_channels(self, value):
        if not value:
            raise serializers.ValidationError(_("请至少选择一个发送渠道。"), code="required")
        known = channel_registry.channels()
        unknown = [c for c in value if c not in known]
        if unknown:
            raise serializers.ValidationError(
                _("未知的发送渠道：%(codes)s；可用渠道：%(known)s。")
                % {"codes": "、".join(unknown), "known": "、".join(known)},
                code="unknown_channel",
            )
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        if not (attrs.get("users") or attrs.get("persons") or attrs.get("places")):
            raise serializers.ValidationError(
                _("请至少选择一个接收人（users、persons 或 places）。"), code="no_recipients"
            )
        return attrs
