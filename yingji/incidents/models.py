"""Incidents (C3): one record per 突发事件 from the first information to the after-action review, with
its timeline. Information reporting (C2, ``yingji.reporting``) creates or links incidents; duty
rooms (C1, ``yingji.duty``) receive them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, GeoMixin
from yingji.incidents.choices import Category, EventType, Grade, ResponseLevel, Status, TimelineKind

_COUNT = {"default": 0, "validators": [MinValueValidator(0)]}


class Incident(BaseModel, GeoMixin):
    """A 突发事件: what happened, where and when, its casualties and losses, grade, response level
    and status. For production-safety accidents the grade is computed from the counts and the loss
    (``grading.accident_grade``, 493号令 第三条) and recomputed whenever they change."""

    number = models.CharField(
        _("事件编号"), max_length=30, unique=True, null=True, blank=True, help_text=_("保存时自动编号")
    )
    title = models.CharField(_("事件名称"), max_length=200)
    category = models.CharField(_("事件类别"), max_length=20, choices=Category.choices)
    event_type = models.CharField(_("事件类型"), max_length=30, choices=EventType.choices)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("发生地"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("事件发生的最小行政区划（村、社区或乡镇）"),
    )
    address = models.CharField(_("详细地点"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("事故发生单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接报时间"), default=timezone.now)
    deaths = models.PositiveIntegerField(_("死亡人数"), **_COUNT)
    missing = models.PositiveIntegerField(_("失踪（下落不明）人数"), **_COUNT)
    serious_injuries = models.PositiveIntegerField(
        _("重伤人数"), help_text=_("含急性工业中毒（493号令第三条）"), **_COUNT
    )
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), **_COUNT)
    trapped = models.PositiveIntegerField(_("被困人数"), **_COUNT)
    evacuated = models.PositiveIntegerField(_("紧急转移人数"), **_COUNT)
    direct_loss_wan = models.DecimalField(
        _("直接经济损失（万元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    grade = models.CharField(
        _("事件等级"),
        max_length=20,
        choices=Grade.choices,
        default=Grade.ORDINARY,
        help_text=_("生产安全事故按493号令第三条自动计算；其他事件由值班人员研判填写"),
    )
    response_level = models.CharField(_("响应级别"), max_length=2, choices=ResponseLevel.choices, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    description = models.TextField(_("事件概况"), blank=True)
    measures = models.TextField(_("已采取的措施"), blank=True)
    commander = models.CharField(_("现场指挥长"), max_length=60, blank=True)
    command_post = models.CharField(_("现场指挥部"), max_length=200, blank=True)
    command_post_longitude = models.FloatField(_("指挥部经度"), null=True, blank=True)
    command_post_latitude = models.FloatField(_("指挥部纬度"), null=True, blank=True)
    responded_at = models.DateTimeField(_("启动响应时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(place="place")

    class Meta:
        verbose_name = _("突发事件")
        verbose_name_plural = _("突发事件")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["status", "-occurred_at"], name="incident_status_time")]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title


class TimelineEntry(BaseModel):
    """One thing that happened in an incident, in time order: information, reports, decisions, level
    changes, warnings, notifications, dispatches, tasks, checklist ticks. Written by services only
    (``incidents.services.add_timeline``), never edited."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=TimelineKind.choices)
    text = models.CharField(_("内容"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.CharField(_("链接"), max_length=300, blank=True, help_text=_("相关记录的页面地址"))

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("事件时间线")
        verbose_name_plural = _("事件时间线")
        ordering = ["incident", "at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.text}"
