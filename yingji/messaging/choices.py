from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    """Where one outbound send stands. ``queued`` → ``sent`` (carrier accepted) → ``delivered``
    (carrier receipt); or ``failed`` after a final error or when the retries are used up."""

    QUEUED = "queued", _("排队中")
    SENT = "sent", _("已发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class ChannelCode(models.TextChoices):
    """The built-in channel codes (F5). Settings may add carriers under new codes."""

    INAPP = "inapp", _("站内消息")
    SMS = "sms", _("短信")
    VOICE = "voice", _("语音电话")
    WECHAT = "wechat", _("政务微信/钉钉")
    BROADCAST = "broadcast", _("应急广播")
    SCREEN = "screen", _("显示屏")


class AddressKind(models.TextChoices):
    """What a channel sends to: a platform account, a mobile number, or a place (loudspeakers, screens)."""

    USER = "user", _("平台账号")
    MOBILE = "mobile", _("手机号码")
    PLACE = "place", _("地区")


class MessageCategory(models.TextChoices):
    """Known message categories. ``Message.category`` is free text so that new modules can add their own;
    these give the labels of the common ones."""

    GENERAL = "general", _("通知")
    REMINDER = "reminder", _("提醒")
    DEADLINE = "deadline", _("督办")
    WARNING = "warning", _("预警")
    TASK = "task", _("任务")
    REPORT = "report", _("报送")
    SYSTEM = "system", _("系统")
