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
from yingji.framework.errors import field_error
from yingji.framework.models import BaseModel, GeoMixin, ScopedQuerySet
from yingji.incidents.choices import (
    CATEGORY_OF,
    Category,
    DutyRole,
    EventType,
    Grade,
    ResponseLevel,
    Status,
    TimelineKind,
)
from yingji.orgs.choices import DepartmentKind

_COUNT = {"default": 0, "validators": [MinValueValidator(0)]}


class Casualties(models.Model):
    """Casualty and loss figures (493号令 第三条 counts; 第十二条 ④), shared by incidents and by the
    reports about them (``yingji.reporting``)."""

    deaths = models.PositiveIntegerField(_("死亡人数"), **_COUNT)
    missing = models.PositiveIntegerField(_("失踪（下落不明）人数"), **_COUNT)
    serious_injuries = models.PositiveIntegerField(
        _("重伤人数"), help_text=_("含急性工业中毒（493号令第三条）"), **_COUNT
    )
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), **_COUNT)
    direct_loss_wan = models.DecimalField(
        _("直接经济损失（万元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        abstract = True

    COUNT_FIELDS = ("deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_wan")

    @property
    def dead_and_missing(self) -> int:
        return (self.deaths or 0) + (self.missing or 0)


class IncidentQuerySet(ScopedQuerySet):
    def open(self):
        """Incidents not yet ended (已接报, 应急处置中, 善后恢复)."""
        return self.exclude(status=Status.CLOSED)


class Incident(BaseModel, GeoMixin, Casualties):
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
    trapped = models.PositiveIntegerField(_("被困人数"), **_COUNT)
    evacuated = models.PositiveIntegerField(_("紧急转移人数"), **_COUNT)
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

    objects = IncidentQuerySet.as_manager()
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


class ResponsePlan(BaseModel):
    """ "一图一表" of one response level: the process chart (ordered steps) and the duty table (rows of
    ``PlanDuty``: who must do what, within how many minutes). A plan is for one event type, or for a
    whole category when no type-specific plan exists (``services.plan_for``)."""

    name = models.CharField(_("名称"), max_length=200)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("适用地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("制定本方案的地区；适用于该地区及下级发生的事件"),
    )
    category = models.CharField(_("事件类别"), max_length=20, choices=Category.choices)
    event_type = models.CharField(
        _("事件类型"),
        max_length=30,
        choices=EventType.choices,
        blank=True,
        help_text=_("留空表示适用于该类别下没有专门方案的所有类型"),
    )
    level = models.CharField(_("响应级别"), max_length=2, choices=ResponseLevel.choices)
    steps = models.TextField(
        _("处置流程"),
        help_text=_("一行一个步骤，按先后顺序；可写成“阶段｜步骤”，例如“先期处置｜核实事件信息”"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("例如所依据的应急预案"))
    active = models.BooleanField(_("启用"), default=True)

    scope = Scope(place="place", read_up=True)

    class Meta:
        verbose_name = _("一图一表")
        verbose_name_plural = _("一图一表")
        ordering = ["category", "event_type", "level", "pk"]

    def __str__(self):
        return self.name

    def step_list(self) -> list[dict]:
        """The process chart: ``[{"n", "stage", "text"}]`` in order."""
        out = []
        for line in (self.steps or "").splitlines():
            line = line.strip()
            if not line:
                continue
            stage, sep, text = line.partition("｜")
            if not sep:
                stage, sep, text = line.partition("|")
            if not sep:
                stage, text = "", line
            out.append({"n": len(out) + 1, "stage": stage.strip(), "text": text.strip()})
        return out


#: A duty-table row's time limit is counted from the start of the response; a limit beyond 30 days
#: is a typing error (and a due time that far away would overflow the date range).
MAX_TIME_LIMIT_MINUTES = 30 * 24 * 60


class PlanDuty(BaseModel):
    """One row of a plan's duty table: a role or a department, what it must do, and the time limit
    from the start of the response."""

    plan = models.ForeignKey(
        ResponsePlan, verbose_name=_("一图一表"), on_delete=models.CASCADE, related_name="duties"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    role = models.CharField(_("责任角色"), max_length=20, choices=DutyRole.choices)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("角色为“部门”时填写具体部门，或填写部门类别"),
    )
    department_kind = models.CharField(
        _("部门类别"), max_length=20, choices=DepartmentKind.choices, blank=True
    )
    task = models.CharField(_("职责任务"), max_length=300)
    time_limit_minutes = models.PositiveIntegerField(
        _("时限（分钟）"), null=True, blank=True, help_text=_("自启动响应起多少分钟内完成；不限时留空")
    )

    scope = Scope(place="plan__place", read_up=True)

    class Meta:
        verbose_name = _("职责表条目")
        verbose_name_plural = _("职责表条目")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return f"{self.who} · {self.task}"

    @property
    def who(self) -> str:
        if self.department_id:
            return str(self.department)
        if self.department_kind:
            return self.get_department_kind_display()
        return self.get_role_display()

    def clean(self):
        if self.role == DutyRole.DEPARTMENT and not (self.department_id or self.department_kind):
            raise field_error(
                "department", _("角色为“部门”时，请选择责任部门或部门类别。"), "department_required"
            )
        if self.time_limit_minutes is not None and self.time_limit_minutes > MAX_TIME_LIMIT_MINUTES:
            raise field_error(
                "time_limit_minutes",
                _("时限不能超过%(n)s分钟（30天）。") % {"n": MAX_TIME_LIMIT_MINUTES},
                "time_limit_too_long",
            )


class IncidentChecklistItem(BaseModel):
    """One duty of the applicable plan copied onto an incident when its response level is set: the
    incident's checklist. Ticking records when and by whom (timeline CHECKLIST)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="checklist"
    )
    plan_duty = models.ForeignKey(
        PlanDuty,
        verbose_name=_("职责表条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("响应级别"), max_length=2, choices=ResponseLevel.choices)
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    role = models.CharField(_("责任角色"), max_length=20, choices=DutyRole.choices)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    who = models.CharField(_("责任人/部门"), max_length=200)
    text = models.CharField(_("职责任务"), max_length=300)
    due_at = models.DateTimeField(_("完成时限"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("事件处置清单")
        verbose_name_plural = _("事件处置清单")
        ordering = ["incident", "level", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "plan_duty"],
                condition=models.Q(plan_duty__isnull=False),
                name="incident_checklist_once_per_duty",
            )
        ]

    def __str__(self):
        return f"{self.who} · {self.text}"

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()


class DepartmentDuty(BaseModel):
    """A department's (or a kind of department's) responsibilities for an event type or a whole
    category, with their source ("三定"规定, 专项预案): the one-click "查职责" panel and the remind
    action read these."""

    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("部门所在的地区（市、区县或乡镇）"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department_kind = models.CharField(
        _("部门类别"),
        max_length=20,
        choices=DepartmentKind.choices,
        blank=True,
        help_text=_("不指定具体部门时，适用于该地区此类别的所有部门"),
    )
    category = models.CharField(_("事件类别"), max_length=20, choices=Category.choices)
    event_type = models.CharField(
        _("事件类型"), max_length=30, choices=EventType.choices, blank=True, help_text=_("留空表示整个类别")
    )
    duties = models.TextField(_("应急职责"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    scope = Scope(place="place", read_up=True)

    class Meta:
        verbose_name = _("部门应急职责")
        verbose_name_plural = _("部门应急职责")
        ordering = ["place__code", "category", "event_type", "pk"]

    def __str__(self):
        who = str(self.department) if self.department_id else self.get_department_kind_display()
        what = self.get_event_type_display() if self.event_type else self.get_category_display()
        return f"{who} · {what}"

    def clean(self):
        if not (self.department_id or self.department_kind):
            raise field_error("department", _("请选择部门或部门类别。"), "department_required")
        if self.event_type and CATEGORY_OF.get(self.event_type) != self.category:
            raise field_error("event_type", _("事件类型不属于所选类别。"), "type_not_in_category")


class Reminder(BaseModel):
    """One responsible recipient reminded of their duties at the incident's current level (一键提醒),
    and whether they acknowledged (叫应)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="reminders"
    )
    level = models.CharField(_("响应级别"), max_length=2, choices=ResponseLevel.choices, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.CharField(_("提醒对象"), max_length=200)
    duties = models.TextField(_("提醒的职责"))
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("职责提醒")
        verbose_name_plural = _("职责提醒")
        ordering = ["incident", "sent_at", "pk"]

    def __str__(self):
        return f"{self.recipient} · {self.incident}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("incidents:reminder_ack", args=[self.pk])


class IncidentReview(BaseModel):
    """After-action review (复盘) of an incident in recovery or closed."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="review"
    )
    summary = models.TextField(_("事件经过与处置概述"))
    causes = models.TextField(_("原因分析"), blank=True)
    went_well = models.TextField(_("做得好的方面"), blank=True)
    improvements = models.TextField(_("需改进的问题"), blank=True)
    lessons = models.TextField(_("经验教训与整改措施"), blank=True)
    participants = models.CharField(_("参加人员"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("复盘时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("复盘评估")
        verbose_name_plural = _("复盘评估")

    def __str__(self):
        return f"{self.incident} · {self._meta.verbose_name}"
