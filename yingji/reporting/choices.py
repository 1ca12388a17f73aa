"""Choices of information reporting (C2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where an incoming piece of information came from (接报来源)."""

    PHONE = "phone", _("电话报告")
    LINK_110 = "110", _("110联动")
    LINK_119 = "119", _("119联动")
    LINK_120 = "120", _("120联动")
    DEPARTMENT = "department", _("部门通报")
    MEDIA = "media", _("媒体舆情")
    PUBLIC = "public", _("群众报告")
    SENSOR = "sensor", _("监测预警系统")
    LOWER_LEVEL = "lower_level", _("下级报告")
    OTHER = "other", _("其他")


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("首报")
    CONTINUED = "continued", _("续报")
    VERIFIED = "verified", _("核报")
    FINAL = "final", _("终报")


class RecipientLevel(models.TextChoices):
    """The level a report goes to. Levels above the city are outside the platform (external)."""

    COUNTY = "county", _("县级")
    CITY = "city", _("设区的市级")
    PROVINCE = "province", _("省级")
    MINISTRY = "ministry", _("国务院应急管理部门")


#: default names of the external recipients (a report may name another)
EXTERNAL_RECIPIENTS = {
    RecipientLevel.PROVINCE.value: _("省应急管理厅"),
    RecipientLevel.MINISTRY.value: _("应急管理部"),
}


class ReportState(models.TextChoices):
    """Where a report stands (computed; see rules.report_state)."""

    PENDING = "pending", _("待报送")
    OVERDUE = "overdue", _("漏报（逾期未报）")
    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("迟报")
    UNTIMED = "untimed", _("已报送")


class MisReportKind(models.TextChoices):
    FALSE = "false", _("谎报")
    CONCEALED = "concealed", _("瞒报")
