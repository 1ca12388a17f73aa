"""Hazards (事故隐患 / 灾害风险隐患) and the record of every step of their closed loop.

The states and the moves between them are enforced by ``yingji.hazards.workflow``; no code outside
that module sets ``status``. Rules and their sources: ``docs/hazards.md``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, GeoMixin
from yingji.hazards.choices import DisasterType, Grade, HazardKind, Source, Status


class Hazard(GeoMixin, BaseModel):
    number = models.CharField(_("隐患编号"), max_length=32, unique=True, editable=False)
    kind = models.CharField(
        _("隐患类别"), max_length=12, choices=HazardKind.choices, default=HazardKind.WORK_SAFETY
    )
    disaster_type = models.CharField(
        _("灾害隐患类型"), max_length=20, choices=DisasterType.choices, blank=True
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="hazards",
        help_text=_("企业隐患取企业所在村（社区）；其他隐患取发现地点所在村（社区）"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("监管部门"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards",
    )
    address = models.CharField(_("具体位置"), max_length=200, blank=True)
    title = models.CharField(_("隐患名称"), max_length=200)
    description = models.TextField(_("隐患描述"), blank=True)
    category = models.CharField(
        _("隐患分类"), max_length=60, blank=True, help_text=_("对应的检查表检查项或隐患分类")
    )
    grade = models.CharField(_("隐患等级"), max_length=8, choices=Grade.choices, blank=True)
    major_criterion = models.CharField(
        _("重大隐患判定依据"), max_length=200, blank=True, help_text=_("判定标准及条款")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED, editable=False
    )
    found_at = models.DateTimeField(_("发现时间"))
    finder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards_found",
    )
    finder_name = models.CharField(_("发现人姓名"), max_length=50, blank=True)
    immediate = models.BooleanField(_("立查立改"), default=False)

    # "五落实" (domain-facts §2): responsible person/unit, measures, funds, deadline, contingency plan
    responsible = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("整改责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards_responsible",
    )
    responsible_unit = models.CharField(_("整改责任单位"), max_length=200, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    due_at = models.DateTimeField(_("整改期限"), null=True, blank=True)
    contingency_plan = models.TextField(_("应急预案（防范措施）"), blank=True)

    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    #: how many verification levels this hazard needs, fixed when it is confirmed (see workflow)
    review_levels = models.PositiveSmallIntegerField(_("验收层级数"), default=1)
    reviews_passed = models.PositiveSmallIntegerField(_("已通过验收层级"), default=0)

    scope = Scope(place="place", enterprise="enterprise", department="department")

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ("-found_at", "-id")
        indexes = [
            models.Index(fields=["status", "grade"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["found_at"]),
            models.Index(fields=["due_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"
