"""Risk points, their control measures, the enterprise risk profile, risk reports and the region
risk lists (S1 风险分级管控). Rules and sources: ``docs/risks.md`` and ``yingji.risks.grading``.

Enterprise-owned rows are scoped through their enterprise
(``Scope(place="enterprise__place", enterprise="enterprise", department="enterprise__regulator")``):
moving an enterprise moves its risks with it, and a department officer sees the risks of the
enterprises it regulates.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.fields import FlagsField
from yingji.framework.models import BaseModel
from yingji.orgs.choices import RISK_FLAGS
from yingji.risks.choices import (
    ACCIDENT_TYPES,
    LEVEL_COLOURS,
    ControlLevel,
    MeasureKind,
    Method,
    RegionRiskCategory,
    ReportKind,
    RiskLevel,
)

ENTERPRISE_SCOPE = Scope(
    place="enterprise__place", enterprise="enterprise", department="enterprise__regulator"
)


class Assessed(models.Model):
    """Assessment fields shared by enterprise risk points and region risks (LEC or LS)."""

    accident_types = FlagsField(
        _("可能导致的事故类型"),
        flag_choices=ACCIDENT_TYPES,
        blank=False,
        help_text=_("GB 6441-1986《企业职工伤亡事故分类》"),
    )
    method = models.CharField(_("评价方法"), max_length=4, choices=Method.choices, default=Method.LEC)
    lec_l = models.FloatField(
        _("L 事故发生的可能性"), null=True, blank=True, help_text=_("10、6、3、1、0.5、0.2、0.1")
    )
    lec_e = models.FloatField(
        _("E 暴露于危险环境的频繁程度"), null=True, blank=True, help_text=_("10、6、3、2、1、0.5")
    )
    lec_c = models.FloatField(
        _("C 发生事故产生的后果"), null=True, blank=True, help_text=_("100、40、15、7、3、1")
    )
    ls_l = models.PositiveSmallIntegerField(
        _("L 可能性（1–5）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    ls_s = models.PositiveSmallIntegerField(
        _("S 严重性（1–5）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    score = models.FloatField(
        _("风险值"), default=0, editable=False, help_text=_("LEC 为 D=L×E×C；LS 为 R=L×S")
    )
    level = models.CharField(
        _("风险等级"),
        max_length=8,
        choices=RiskLevel.choices,
        default=RiskLevel.LOW,
        editable=False,
        db_index=True,
    )
    review_date = models.DateField(_("下次复评日期"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.level][0]

    @property
    def colour_label(self) -> str:
        return LEVEL_COLOURS[self.level][1]

    @property
    def css_colour(self) -> str:
        return LEVEL_COLOURS[self.level][2]

    @property
    def factors(self) -> str:
        if self.method == Method.LEC:
            return f"L={self.lec_l:g} E={self.lec_e:g} C={self.lec_c:g}" if self.lec_l is not None else ""
        return f"L={self.ls_l} S={self.ls_s}" if self.ls_l is not None else ""


class RiskPoint(Assessed, BaseModel):
    """A risk point (风险点/危险源) of an enterprise: where (area, unit, post), what can happen (GB 6441
    accident types), how large the risk is (LEC or LS), who controls it and at what level."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="risk_points"
    )
    name = models.CharField(_("风险点名称"), max_length=100)
    area = models.CharField(_("区域/场所"), max_length=100, blank=True, help_text=_("例如 甲类仓库、二车间"))
    unit = models.CharField(_("单元/装置设施"), max_length=100, blank=True, help_text=_("例如 反应釜R-101"))
    post = models.CharField(
        _("岗位"), max_length=60, blank=True, db_index=True, help_text=_("用于生成岗位三卡")
    )
    hazard_factors = models.TextField(_("危险有害因素"), blank=True)
    control_level = models.CharField(
        _("管控层级"), max_length=12, choices=ControlLevel.choices, default=ControlLevel.TEAM
    )
    responsible_name = models.CharField(_("管控责任人"), max_length=50, blank=True)
    responsible_unit = models.CharField(_("管控责任部门"), max_length=100, blank=True)
    plan_x = models.FloatField(
        _("平面图横坐标（%）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("在风险四色分布图上的位置，自左起的百分比"),
    )
    plan_y = models.FloatField(
        _("平面图纵坐标（%）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("自上起的百分比"),
    )

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise", "-score", "name"]
        indexes = [models.Index(fields=["enterprise", "level"])]

    def __str__(self):
        return self.name


class ControlMeasure(BaseModel):
    """One control measure of a risk point, by kind (工程技术、管理、培训教育、个体防护、应急处置)."""

    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("措施类别"), max_length=12, choices=MeasureKind.choices)
    content = models.TextField(_("管控措施"))
    responsible_name = models.CharField(_("落实责任人"), max_length=50, blank=True)

    scope = Scope(
        place="risk_point__enterprise__place",
        enterprise="risk_point__enterprise",
        department="risk_point__enterprise__regulator",
    )

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["risk_point", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.content[:30]}"


class RiskProfile(BaseModel):
    """An enterprise's overall risk grade (分色分级监管) and its risk distribution map (一图).

    ``level`` is computed by ``yingji.risks.services.recompute_enterprise_grade`` (rule in
    ``yingji.risks.grading.enterprise_grade``); never edited by hand.
    """

    enterprise = models.OneToOneField(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="risk_profile"
    )
    level = models.CharField(
        _("企业风险等级"),
        max_length=8,
        choices=RiskLevel.choices,
        default=RiskLevel.LOW,
        editable=False,
        db_index=True,
    )
    base_level = models.CharField(
        _("风险点最高等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW, editable=False
    )
    raised_by = FlagsField(_("上调依据标记"), flag_choices=RISK_FLAGS, editable=False)
    reason = models.CharField(_("定级理由"), max_length=300, blank=True, editable=False)
    major_count = models.PositiveIntegerField(_("重大风险数"), default=0, editable=False)
    large_count = models.PositiveIntegerField(_("较大风险数"), default=0, editable=False)
    general_count = models.PositiveIntegerField(_("一般风险数"), default=0, editable=False)
    low_count = models.PositiveIntegerField(_("低风险数"), default=0, editable=False)
    site_plan = models.FileField(_("平面布置图"), max_length=200, blank=True, editable=False)
    site_plan_updated = models.DateTimeField(_("平面图上传时间"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("定级时间"), null=True, blank=True, editable=False)
    change_due_since = models.DateTimeField(
        _("待报变更起始"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("新增较大以上风险或风险等级变化时起算，提交变更报告后清除（domain-facts §3.3）"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = ENTERPRISE_SCOPE
    #: the audit snapshot cannot read an empty FileField (yingji.audit.services._plain); uploads are
    #: logged by ``upload_site_plan`` through ``site_plan_updated``
    audit_exclude = ("created", "updated", "site_plan")

    class Meta:
        verbose_name = _("企业风险等级")
        verbose_name_plural = _("企业风险等级")
        ordering = ["enterprise__name"]

    def __str__(self):
        return str(self.enterprise)

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.level][0]

    @property
    def css_colour(self) -> str:
        return LEVEL_COLOURS[self.level][2]

    @property
    def reportable_count(self) -> int:
        return self.major_count + self.large_count


class RiskReport(BaseModel):
    """A safety-risk report (安全风险报告) of an enterprise to its regulators: a snapshot of its
    较大以上 risk points and their measures at submission. Periodic (one per period) or a change
    report (新增较大以上风险或风险等级变化, domain-facts §3.3)."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="risk_reports"
    )
    kind = models.CharField(
        _("报告类别"), max_length=10, choices=ReportKind.choices, default=ReportKind.PERIODIC
    )
    period = models.CharField(
        _("报告期"), max_length=8, blank=True, db_index=True, help_text=_("例如 2026；按季度时为 2026Q1")
    )
    reason = models.CharField(_("变更原因"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), editable=False, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    late = models.BooleanField(_("逾期提交"), default=False, editable=False)
    major_count = models.PositiveIntegerField(_("重大风险数"), default=0, editable=False)
    large_count = models.PositiveIntegerField(_("较大风险数"), default=0, editable=False)
    snapshot = models.JSONField(_("风险快照"), default=list, blank=True, editable=False)

    scope = ENTERPRISE_SCOPE
    audit_exclude = ("created", "updated", "snapshot")

    class Meta:
        verbose_name = _("安全风险报告")
        verbose_name_plural = _("安全风险报告")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"],
                condition=models.Q(kind="periodic"),
                name="risks_one_periodic_report_per_period",
            )
        ]

    def __str__(self):
        label = self.period if self.kind == ReportKind.PERIODIC else self.submitted_at.strftime("%Y-%m-%d")
        return f"{self.enterprise} {label} {self.get_kind_display()}"


class RegionRisk(Assessed, BaseModel):
    """A public-safety risk on the list of a place or department (两张清单: 风险清单, seed 003)."""

    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="region_risks",
    )
    name = models.CharField(_("风险名称"), max_length=150)
    category = models.CharField(_("领域"), max_length=20, choices=RegionRiskCategory.choices)
    location = models.CharField(_("风险部位/场所"), max_length=200, blank=True)
    description = models.TextField(_("风险描述"), blank=True)
    responsible_unit = models.CharField(_("管控责任单位"), max_length=100, blank=True)
    responsible_name = models.CharField(_("管控责任人"), max_length=50, blank=True)

    scope = Scope(place="place", department="department")

    class Meta:
        verbose_name = _("区域风险")
        verbose_name_plural = _("区域风险清单")
        ordering = ["place__code", "-score", "name"]

    def __str__(self):
        return self.name


class RegionRiskMeasure(BaseModel):
    """A control measure of a region risk (两张清单: 管控措施清单)."""

    region_risk = models.ForeignKey(
        RegionRisk, verbose_name=_("区域风险"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("措施类别"), max_length=12, choices=MeasureKind.choices)
    content = models.TextField(_("管控措施"))
    responsible_unit = models.CharField(_("落实单位"), max_length=100, blank=True)

    scope = Scope(place="region_risk__place", department="region_risk__department")

    class Meta:
        verbose_name = _("区域风险管控措施")
        verbose_name_plural = _("区域风险管控措施")
        ordering = ["region_risk", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.content[:30]}"
