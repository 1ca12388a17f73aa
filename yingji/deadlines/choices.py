from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineStatus(models.TextChoices):
    """Life of a tracked due date. ``open`` and ``overdue`` are *active*; ``met`` and ``cancelled`` close it."""

    OPEN = "open", _("办理中")
    OVERDUE = "overdue", _("已逾期")
    MET = "met", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


ACTIVE_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)


class CalendarDayKind(models.TextChoices):
    """What an administrator enters for one date: a day off (法定节假日/调休休息) or a working day (调休上班)."""

    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("上班")


class DayKind(models.TextChoices):
    """How the working-day calendar classifies one date (year view, API)."""

    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末休息")
    HOLIDAY = "holiday", _("节假日")
    ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班")


class CalendarSource(models.TextChoices):
    """Where the calendar of a year comes from (``yingji.deadlines.calendar.coverage``)."""

    PACKAGE = "package", _("国务院通知（内置）")
    ENTERED = "entered", _("管理员录入")
    FALLBACK = "fallback", _("按周末推算")
