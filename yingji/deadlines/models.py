from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.deadlines.choices import ACTIVE_STATUSES, CalendarDayKind, DeadlineStatus
from yingji.deadlines.rules import find_rule, rule_choices
from yingji.framework.access import Scope
from yingji.framework.models import BaseModel


class CalendarDay(BaseModel):
    """A day an administrator entered into the working-day calendar (节假日/调休录入).

    Overrides the ``chinesecalendar`` package for its date; entering any day of a year the package
    does not know makes that year ``entered`` instead of ``fallback``. Source of the data: the
    annual 《国务院办公厅关于××年部分节假日安排的通知》.
    """

    date = models.DateField(
        _("日期"), unique=True, error_messages={"unique": _("该日期已录入：请编辑已有的记录。")}
    )
    kind = models.CharField(
        _("类型"),
        max_length=10,
        choices=CalendarDayKind.choices,
        help_text=_("放假：法定节假日及调休休息日；上班：调休上班的周末"),
    )
    name = models.CharField(
        _("节日"), max_length=30, blank=True, help_text=_("例如 春节；调休上班日填所属节日")
    )
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如 国务院办公厅关于2027年部分节假日安排的通知")
    )

    #: national data: no place; only roles with global scope (platform administrators) manage it
    scope = Scope(place=None)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日日历")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}{(' ' + self.name) if self.name else ''}"


class Deadline(BaseModel):
    """A tracked due date of any item that needs action (F7 期限与督办): a hazard's rectification, a
    report's submission, a warning's acknowledgement …

    Created and closed by the owning module through ``yingji.deadlines.services`` (``track``,
    ``meet``, ``cancel``); the periodic check flags it overdue, reminds the responsible person and
    escalates to the supervisor. A higher level may list it for supervision (挂牌督办) with its own
    time limit.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    rule = models.CharField(
        _("期限规则"),
        max_length=60,
        choices=rule_choices,
        db_index=True,
        help_text=_("登记在 yingji.deadlines.rules 中的规则代码"),
    )
    title = models.CharField(_("事项"), max_length=200)
    start_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("办理时限"), db_index=True)
    due_computed = models.BooleanField(
        _("按规则计算"),
        default=True,
        help_text=_("时限由规则和起算时间算出；为否时由调用方或挂牌督办指定，节假日变更时不重算"),
    )
    calendar_estimated = models.BooleanField(
        _("按周末推算"),
        default=False,
        help_text=_("计算时所涉年份的法定节假日尚未录入，按周六周日休息推算；录入后自动重算"),
    )
    remind_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    responsible = models.ForeignKey(
        "accounts.User",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("督办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("逾期后升级通知的人；为空时通知属地最近一级应急管理局干部"),
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("相关企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("已提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("已升级时间"), null=True, blank=True)
    met_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    listed_by = models.ForeignKey(
        "places.Place",
        verbose_name=_("挂牌督办单位（层级）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("挂牌督办的市、县（区）或镇（街道）；为空表示未挂牌"),
    )
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    supervision_note = models.TextField(_("督办要求"), blank=True)

    scope = Scope(place="place", enterprise="enterprise")

    class Meta:
        verbose_name = _("期限督办")
        verbose_name_plural = _("期限督办")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "rule"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="deadlines_one_active_per_item_rule",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_past_due(self) -> bool:
        """Past due now (also before the periodic check has flagged it)."""
        return self.is_active and timezone.now() > self.due_at

    @property
    def met_late(self) -> bool:
        return self.status == DeadlineStatus.MET and self.met_at is not None and self.met_at > self.due_at

    @property
    def rule_label(self) -> str:
        rule = find_rule(self.rule)
        return rule.label if rule else self.rule

    @property
    def item_type(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    def item_url(self) -> str | None:
        item = self.item
        return item.get_absolute_url() if item is not None and hasattr(item, "get_absolute_url") else None
