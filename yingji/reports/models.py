"""Public reports (群众举报, S9): hazards and illegal acts reported by the public, anonymously or by name.

A report is routed to the place it concerns and to the emergency department of that place's county
(``reports.services.route``); the department accepts or rejects it, may turn it into a hazard (the
hazard closed loop then runs in ``yingji.hazards``) or a law-enforcement clue, records a reward
decision and closes it with a result. The reporter follows it on a public page with the tracking
code, which shows no personal data. Rules and their sources: ``docs/reports.md``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, GeoMixin
from yingji.reports.choices import ReportKind, ReportStatus, RewardDecision


class PublicReport(GeoMixin, BaseModel):
    tracking_code = models.CharField(
        _("查询码"),
        max_length=12,
        unique=True,
        editable=False,
        help_text=_("随机生成的12位查询码，举报人凭此查询办理进度"),
    )
    kind = models.CharField(_("举报类别"), max_length=10, choices=ReportKind.choices)
    title = models.CharField(_("举报事项"), max_length=100)
    description = models.TextField(_("具体情况"))
    enterprise_name = models.CharField(_("被举报单位"), max_length=200, blank=True)
    address = models.CharField(_("具体位置"), max_length=200, blank=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("按地图位置确定的村（社区）；未选位置时为举报人所选的镇（街道）或县（区）"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("承办部门"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("属地县（区）应急管理部门；可改派"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, editable=False
    )
    submitted_at = models.DateTimeField(_("举报时间"), editable=False)
    reporter_name = models.CharField(_("举报人姓名"), max_length=50, blank=True)
    reporter_mobile = models.CharField(_("举报人手机"), max_length=20, blank=True)

    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True, editable=False)
    rejected_at = models.DateTimeField(_("不予受理时间"), null=True, blank=True, editable=False)
    reject_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True, editable=False)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("转办隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_reports",
        editable=False,
    )
    clue = models.BooleanField(_("已转执法线索"), default=False, editable=False)
    clue_text = models.TextField(_("执法线索"), blank=True, editable=False)
    clue_at = models.DateTimeField(_("转线索时间"), null=True, blank=True, editable=False)

    reward_decision = models.CharField(
        _("奖励决定"), max_length=10, choices=RewardDecision.choices, blank=True, editable=False
    )
    reward_amount = models.DecimalField(
        _("奖励金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    reward_decided_on = models.DateField(_("奖励决定日期"), null=True, blank=True, editable=False)
    reward_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("奖励决定人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reward_note = models.CharField(_("奖励说明"), max_length=500, blank=True, editable=False)

    result = models.TextField(
        _("办理结果"), blank=True, editable=False, help_text=_("向举报人公开，不得包含个人信息")
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    handling_note = models.TextField(_("内部办理记录"), blank=True, help_text=_("仅干部可见"))

    scope = Scope(place="place", department="department")
    personal_fields = {"reporter_mobile": "mobile"}

    class Meta:
        verbose_name = _("群众举报")
        verbose_name_plural = _("群众举报")
        ordering = ("-submitted_at", "-id")
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.display_code} {self.title}"

    @property
    def display_code(self) -> str:
        """The tracking code in groups of four (``ABCD-EFGH-JKMN``), as shown to people."""
        code = self.tracking_code or ""
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_mobile)


class ReportPhoto(BaseModel):
    """A photo attached to a public report; served only through scoped views (never as /media/)."""

    report = models.ForeignKey(
        PublicReport, verbose_name=_("群众举报"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), max_length=200)

    scope = Scope(place="report__place", department="report__department")
    audit_exclude = ("created", "updated")

    class Meta:
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")
        ordering = ("id",)

    def __str__(self):
        return f"{self.report.display_code} #{self.pk}"
