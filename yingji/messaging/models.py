"""Messaging centre (F5): a message, its in-app notifications and its outbound deliveries.

One :class:`Message` is written once by :func:`yingji.messaging.services.notify`; for every recipient
and channel it gets one :class:`Delivery` (the send over that channel), and the in-app channel turns
its deliveries into :class:`Notification` rows (the recipient's inbox).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, ScopedQuerySet
from yingji.messaging.choices import ChannelCode, DeliveryStatus, MessageCategory


class Message(BaseModel):
    """One message to one or more people (通知、提醒、督办、预警): what is said, by whom, about what.

    ``place`` scopes who may read the message record (officers of that place and above): it is the
    place of the object the message is about, else the sender's place, else (system messages) the
    nearest place that contains every recipient.
    """

    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    link = models.CharField(
        _("链接"),
        max_length=500,
        blank=True,
        help_text=_("打开消息时跳转的页面，平台内路径如 /orgs/enterprises/1/"),
    )
    category = models.CharField(
        _("类别"),
        max_length=30,
        choices=MessageCategory.choices,
        default=MessageCategory.GENERAL,
        db_index=True,
        help_text=_("general 通知、reminder 提醒、deadline 督办、warning 预警 等；新模块可使用新的代码"),
    )
    channels = models.JSONField(
        _("发送渠道"), default=list, blank=True, help_text=_('发送时选择的渠道代码，例如 ["inapp", "sms"]')
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示系统自动发送（提醒、督办等）"),
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("关联对象类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("关联对象编号"), max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    scope = Scope(place="place")

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="messaging_message_about")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("messaging:message_detail", args=[self.pk])

    @property
    def category_label(self) -> str:
        """The category's label; a code added by a newer module shows as itself."""
        return self.get_category_display()


class NotificationQuerySet(ScopedQuerySet):
    def inbox(self, user, action: str = "view"):
        """``user``'s own notifications: the access filter AND recipient = user (never anyone else's)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.visible_to(user, action).filter(recipient=user)


class Notification(BaseModel):
    """One message in one user's in-app inbox (站内消息), written by the in-app channel.

    ``place`` is a place the recipient's own roles cover (their person's place, else the place of one
    of their role assignments), so that the access filter admits the recipient's own notifications;
    every inbox query additionally filters ``recipient = user``.
    """

    message = models.ForeignKey(
        Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    scope = Scope(place="place", org_optional=True)
    # Reading a notification is the recipient's own state, not a change of official data.
    audit_exclude = ("created", "updated", "read_at")

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient"], name="messaging_notification_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="messaging_notification_unread")]

    def __str__(self):
        return f"{self.message.subject} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("messaging:notification_open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(BaseModel):
    """One outbound send of a message to one address over one channel, with its status (F5 送达状态).

    ``address`` is what the channel sends to: ``user:<id>`` for in-app, a mobile number for SMS, voice and
    政务微信/钉钉, a 12-digit place code for 应急广播 and screens. A delivery is never created twice for
    the same message, channel and address. ``place`` is the recipient person's place (or the target
    place) at the time of sending; it scopes which officers see the delivery.
    """

    message = models.ForeignKey(
        Message, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=ChannelCode.choices)
    address = models.CharField(
        _("地址"),
        max_length=100,
        blank=True,
        help_text=_("手机号码、账号（user:编号）或地区代码；为空表示缺少联系方式"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # partial index below: only rows that name one
    )
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("接收人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # partial index below: only rows that name one
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_id = models.CharField(
        _("服务商编号"), max_length=100, blank=True, help_text=_("运营商/平台返回的发送编号，用于对账和回执")
    )
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    locked_until = models.DateTimeField(
        _("发送锁定至"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("一次发送进行中时的租约，防止两个任务同时发送同一条"),
    )

    scope = Scope(place="place")
    personal_fields = {"address": "mobile"}
    audit_exclude = ("created", "updated", "locked_until")

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "channel", "address"],
                condition=~Q(address=""),
                name="messaging_delivery_once_per_address",
            ),
        ]
        # Every index is written once per delivery, and a warning fan-out writes a million deliveries
        # (docs/messaging.md "Indexes"). The message and place foreign keys keep their own indexes
        # (by message: dispatch, coverage, the delete cascade; by place: the access filter). No
        # single-column channel/status index: they are the first columns of the two below. Account,
        # person and carrier id are set on few rows (public recipients have none, a queued delivery
        # has no carrier id yet): partial indexes hold only those rows, and still serve the delete
        # cascades (user_id = %s implies user_id IS NOT NULL) and receipts (record_receipt filters
        # provider_id <> '').
        indexes = [
            models.Index(fields=["status", "last_attempt_at"], name="messaging_delivery_pending"),
            models.Index(
                fields=["channel", "provider_id"],
                condition=~Q(provider_id=""),
                name="messaging_delivery_provider",
            ),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="messaging_delivery_user"),
            models.Index(
                fields=["person"], condition=Q(person__isnull=False), name="messaging_delivery_person"
            ),
        ]

    def __str__(self):
        return f"{self.message.subject} · {self.get_channel_display()} · {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.person_id:
            return str(self.person)
        if self.user_id:
            return str(self.user)
        return self.address or "—"

    @property
    def idempotency_key(self) -> str:
        """A stable key a carrier can use to drop a repeated send of this delivery (at-least-once)."""
        return f"yingji-delivery-{self.pk}"
