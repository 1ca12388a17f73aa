"""Information reporting (C2): incoming information (接报登记), upward reports along the chain of
levels with their due times (信息上报), and findings of false or concealed reports (谎报/瞒报).

The rules deciding which reports are required, when they are due and whether they were late or
missing live in ``yingji.reporting.rules`` (pure functions); ``services`` applies them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, GeoMixin
from yingji.incidents.choices import Category, EventType
from yingji.incidents.models import Casualties
from yingji.reporting.choices import MisReportKind, RecipientLevel, ReportKind, ReportState, Source


class IncomingInfo(BaseModel, GeoMixin, Casualties):
    """One piece of information received by a duty room (接报登记): who reported what, when and where.

    Recording it creates an incident or adds to an existing one and starts the reporting chain
    (``services.record_incoming``)."""

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("关联事件"),
        on_delete=models.PROTECT,
        related_name="incoming_infos",
        null=True,
        blank=True,
    )
    source = models.CharField(_("信息来源"), max_length=20, choices=Source.choices, default=Source.PHONE)
    reporter_name = models.CharField(_("报告人"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("报告人电话"), max_length=40, blank=True)
    reporter_unit = models.CharField(_("报告单位"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("接报时间"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("事件类别"), max_length=20, choices=Category.choices, blank=True)
    event_type = models.CharField(_("事件类型"), max_length=30, choices=EventType.choices)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("发生地"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("事件发生的行政区划（村、社区或乡镇）"),
    )
    address = models.CharField(_("详细地点"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    description = models.TextField(_("情况描述"), blank=True)
    unit_late = models.BooleanField(
        _("事故单位迟报"),
        default=False,
        editable=False,
        help_text=_("生产安全事故：接报时间晚于发生后1小时（493号令第九条）"),
    )

    scope = Scope(place="place")
    personal_fields = {"reporter_phone": "mobile"}

    class Meta:
        verbose_name = _("接报信息")
        verbose_name_plural = _("接报信息")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return (
            f"{timezone.localtime(self.received_at):%m-%d %H:%M} {self.place} {self.get_event_type_display()}"
        )


class Attachment(BaseModel):
    """A photo or document attached to incoming information; served only through a scoped view."""

    info = models.ForeignKey(
        IncomingInfo, verbose_name=_("接报信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), max_length=200)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    is_image = models.BooleanField(_("图片"), default=False)

    scope = Scope(place="info__place")

    class Meta:
        verbose_name = _("接报附件")
        verbose_name_plural = _("接报附件")
        ordering = ("id",)

    def __str__(self):
        return self.name or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("reporting:attachment_file", args=[self.pk])


class ReportChain(BaseModel):
    """The reporting state of one incident: when the chain started (first information received),
    the figures last seen, whether a natural disaster is stabilised (续报 stop, 核报 start)."""

    incident = models.OneToOneField(
        "incidents.Incident", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="report_chain"
    )
    started_at = models.DateTimeField(_("首次接报时间"))
    stabilised_at = models.DateTimeField(_("灾情稳定时间"), null=True, blank=True)
    last_checked = models.DateTimeField(_("最近核查"), null=True, blank=True)
    counts = models.JSONField(_("最近伤亡数字"), default=dict, blank=True)

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("报送链")
        verbose_name_plural = _("报送链")

    def __str__(self):
        return str(self.incident)


class UpwardReport(BaseModel, Casualties):
    """One report of an incident from a level to the next (信息上报). Required reports are created by
    the rules with a due time and no ``reported_at``; making the report fills them in.

    迟报 (``late``): made after ``due_at``. 漏报 (``missed``): not made by ``due_at`` — set by the
    periodic check and kept when the report is finally made (it is then also late)."""

    incident = models.ForeignKey(
        "incidents.Incident", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="upward_reports"
    )
    kind = models.CharField(_("报送类型"), max_length=20, choices=ReportKind.choices)
    from_place = models.ForeignKey(
        "places.Place", verbose_name=_("报送地区"), on_delete=models.PROTECT, related_name="+"
    )
    from_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("报送部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("行业部门报送时填写；空表示应急管理部门"),
    )
    recipient_level = models.CharField(_("接收层级"), max_length=20, choices=RecipientLevel.choices)
    to_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("接收地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_recipient = models.CharField(
        _("平台外接收单位"), max_length=100, blank=True, help_text=_("省级、部级等平台外的接收单位")
    )
    copies = models.ManyToManyField(
        "orgs.Department", verbose_name=_("抄送部门"), blank=True, related_name="+"
    )
    copy_note = models.CharField(
        _("其他抄送单位"), max_length=200, blank=True, help_text=_("如公安机关、人社部门、工会、检察院")
    )
    required = models.BooleanField(_("规定报送"), default=False, help_text=_("按报送规则必须报送"))
    rule = models.CharField(_("报送规则"), max_length=60, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    period_date = models.DateField(_("数据截止日"), null=True, blank=True, help_text=_("每日续报的统计日"))
    due_at = models.DateTimeField(_("报送时限"), null=True, blank=True, db_index=True)
    reported_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 493号令 第十二条 ①–⑥ (④ is the figures of ``Casualties``)
    unit_overview = models.TextField(_("事故发生单位概况"), blank=True)
    time_place_scene = models.TextField(_("发生时间、地点及现场情况"), blank=True)
    course = models.TextField(_("简要经过"), blank=True)
    measures = models.TextField(_("已经采取的措施"), blank=True)
    other = models.TextField(_("其他应当报告的情况"), blank=True)
    late = models.BooleanField(_("迟报"), default=False, editable=False)
    missed = models.BooleanField(_("漏报"), default=False, editable=False)
    missed_marked_at = models.DateTimeField(_("标记漏报时间"), null=True, blank=True, editable=False)

    scope = Scope(place="incident__place", department="from_department")

    class Meta:
        verbose_name = _("信息上报")
        verbose_name_plural = _("信息上报")
        ordering = ["-due_at", "-pk"]
        indexes = [models.Index(fields=["from_place", "due_at"], name="upwardreport_from_due")]

    def __str__(self):
        return f"{self.incident} {self.get_kind_display()} {self.from_place}→{self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        if self.to_place_id:
            return str(self.to_place)
        return self.external_recipient or self.get_recipient_level_display()

    @property
    def state(self) -> str:
        from yingji.reporting import rules

        return rules.report_state(self.due_at, self.reported_at, timezone.now())

    def get_state_display(self) -> str:
        return ReportState(self.state).label


class MisReport(BaseModel):
    """A finding that an incident was falsely reported (谎报) or concealed (瞒报) (493号令 第三十六条)."""

    incident = models.ForeignKey(
        "incidents.Incident", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="misreports"
    )
    report = models.ForeignKey(
        UpwardReport,
        verbose_name=_("相关报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="misreports",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=MisReportKind.choices)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=100)
    description = models.TextField(_("情况说明"))

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("谎报瞒报认定")
        verbose_name_plural = _("谎报瞒报认定")
        ordering = ["-found_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.incident}"
