"""Enterprise self-check plans (隐患自查): which post checks which list how often, and the record of
every check performed. A "not OK" item can be reported as a hazard (source 企业自查) into the hazard
closed loop. Missed checks (periods since the plan's start without a record) are computed by
``yingji.checklists.services.missed_periods``. Rules: ``docs/checklists.md``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.checklists import periods
from yingji.checklists.choices import Frequency
from yingji.framework.access import Scope
from yingji.framework.models import BaseModel

_ENTERPRISE_SCOPE = {
    "place": "enterprise__place",
    "enterprise": "enterprise",
    "department": "enterprise__regulator",
}


class CheckPlan(BaseModel):
    """A post's self-check plan (岗位隐患排查计划): 安全生产法第四十一条 requires every unit to run a
    隐患排查治理制度 and keep records of it (domain-facts §2)."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="check_plans"
    )
    name = models.CharField(_("计划名称"), max_length=100, help_text=_("例如：仓库日常安全检查"))
    post = models.CharField(_("岗位"), max_length=60, help_text=_("执行检查的岗位，例如：仓库保管员"))
    frequency = models.CharField(_("检查频次"), max_length=10, choices=Frequency.choices)
    responsible = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(
        _("开始日期"), default=timezone.localdate, help_text=_("从此日期所在周期起要求检查")
    )
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的计划不再计算漏检"))
    note = models.TextField(_("说明"), blank=True)

    scope = Scope(**_ENTERPRISE_SCOPE)

    class Meta:
        verbose_name = _("隐患自查计划")
        verbose_name_plural = _("隐患自查计划")
        ordering = ("enterprise__name", "name", "id")

    def __str__(self):
        return f"{self.enterprise} · {self.name}"


class CheckItem(BaseModel):
    """One line of a plan's checklist (检查项): what to check, its category and its basis (依据)."""

    plan = models.ForeignKey(
        CheckPlan, verbose_name=_("自查计划"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("检查内容"), max_length=200)
    category = models.CharField(_("类别"), max_length=60, blank=True, help_text=_("例如：消防安全、用电安全"))
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("法规、标准或制度条款"))

    scope = Scope(
        place="plan__enterprise__place",
        enterprise="plan__enterprise",
        department="plan__enterprise__regulator",
    )

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ("plan", "order", "id")

    def __str__(self):
        return self.text


class CheckRecord(BaseModel):
    """A check performed for one period of a plan (one record per plan and period)."""

    plan = models.ForeignKey(
        CheckPlan, verbose_name=_("自查计划"), on_delete=models.CASCADE, related_name="records"
    )
    period_start = models.DateField(
        _("检查周期"), help_text=_("周期的第一天：当日、所在ISO周的星期一或所在月的1日")
    )
    performed_at = models.DateTimeField(_("检查时间"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    performer_name = models.CharField(_("检查人"), max_length=50, blank=True)
    problems = models.PositiveSmallIntegerField(_("问题数"), default=0, editable=False)
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(
        place="plan__enterprise__place",
        enterprise="plan__enterprise",
        department="plan__enterprise__regulator",
    )

    class Meta:
        verbose_name = _("自查记录")
        verbose_name_plural = _("自查记录")
        ordering = ("-period_start", "-id")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_start"], name="checkrecord_one_per_period")
        ]

    def __str__(self):
        return f"{self.plan.name} {self.period_label}"

    @property
    def period_label(self) -> str:
        return periods.label(self.plan.frequency, self.period_start)


class CheckResult(BaseModel):
    """The result of one item in one check: OK or not, with a note; a problem may become a hazard."""

    record = models.ForeignKey(
        CheckRecord, verbose_name=_("自查记录"), on_delete=models.CASCADE, related_name="results"
    )
    #: PROTECT: the results are the enterprise's 隐患排查 record (安全生产法第四十一条); an item that was
    #: checked once stays (its plan can be deactivated instead)
    item = models.ForeignKey(
        CheckItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="results"
    )
    ok = models.BooleanField(_("正常"))
    note = models.CharField(_("情况说明"), max_length=500, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("上报隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(
        place="record__plan__enterprise__place",
        enterprise="record__plan__enterprise",
        department="record__plan__enterprise__regulator",
    )

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ("record", "item__order", "id")
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="checkresult_one_per_item")]

    def __str__(self):
        return f"{self.item}: {'✓' if self.ok else '✗'}"
