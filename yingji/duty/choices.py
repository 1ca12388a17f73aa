from django.db import models
from django.utils.translation import gettext_lazy as _


class ShiftKind(models.TextChoices):
    """What kind of day a 24-hour shift starts on (from the working-day calendar, yingji.deadlines)."""

    WORKDAY = "workday", _("工作日")
    ADJUSTED = "adjusted", _("调休上班日")
    WEEKEND = "weekend", _("休息日")
    HOLIDAY = "holiday", _("法定节假日")


class DutyRole(models.TextChoices):
    """The three duty posts of a shift."""

    LEADER = "leader", _("带班领导")
    OFFICER = "officer", _("值班员")
    STANDBY = "standby", _("备勤")


class HolidayMode(models.TextChoices):
    """How a roster template staffs rest days (weekends and statutory holidays)."""

    SAME = "same", _("与工作日同一轮换")
    HOLIDAY_ROTATION = "holiday_rotation", _("节假日使用单独轮换")


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("未办结")
    CLOSED = "closed", _("已办结")


class RollCallStatus(models.TextChoices):
    PENDING = "pending", _("待应答")
    ANSWERED = "answered", _("已应答")
    MISSED = "missed", _("未应答（超时）")


class RollCallOrigin(models.TextChoices):
    SCHEDULED = "scheduled", _("随机点名")
    MANUAL = "manual", _("手动点名")
