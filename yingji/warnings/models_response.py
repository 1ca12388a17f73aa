"""Fan-out jobs, call-and-respond (叫应, W4) acknowledgements and the vulnerable-group contacts.

Imported at the end of ``models.py`` (same app label ``warnings``). The rules are in ``targets.py``
(who is targeted), ``fanout.py`` (deliveries, coverage) and ``response.py`` (acknowledgements and
escalation); the defaults they use are in ``conf_response.py``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel
from yingji.utilities.validators import mobile_validator

__all__ = [
    "AckStage",
    "AckVia",
    "Acknowledgement",
    "FanoutJob",
    "FanoutState",
    "VulnerableContact",
    "VulnerableGroup",
]


class FanoutState(models.TextChoices):
    PENDING = "pending", _("待执行")
    RUNNING = "running", _("执行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class FanoutJob(BaseModel):
    """The fan-out of one warning: resolve recipients, write deliveries in batches, hand them to senders.

    ``cursor`` counts the recipients whose deliveries are written (the resolution is deterministic, so
    a restarted job skips them); ``dispatched_id`` is the last delivery id handed to the senders.
    ``locked_until`` is the lease of the worker running the job: a job whose lease ran out while not
    done is resumed by the periodic task ``resume_fanouts``.
    """

    warning = models.OneToOneField(
        "warnings.Warning", verbose_name=_("预警"), on_delete=models.CASCADE, related_name="fanout_job"
    )
    message = models.ForeignKey(
        "messaging.Message",
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=FanoutState.choices, default=FanoutState.PENDING, db_index=True
    )
    cursor = models.PositiveIntegerField(_("已写入接收人数"), default=0)
    dispatched_id = models.BigIntegerField(_("已交付发送的最大发送记录编号"), default=0)
    targeted = models.PositiveIntegerField(_("目标接收数"), default=0)
    unreachable = models.PositiveIntegerField(_("缺少联系方式数"), default=0)
    stats = models.JSONField(
        _("统计"),
        default=dict,
        blank=True,
        help_text=_("按地区、渠道、对象类别的目标数与缺少联系方式数"),
    )
    runs = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("执行锁定至"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)

    scope = Scope(place="warning__place")
    audit_exclude = ("created", "updated", "locked_until", "cursor", "dispatched_id", "stats")

    class Meta:
        verbose_name = _("预警分发任务")
        verbose_name_plural = _("预警分发任务")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.warning} · {self.get_state_display()}"


class AckStage(models.IntegerChoices):
    """How far the call-and-respond of one acknowledgement has gone (see docs/warning-response.md)."""

    CALLED = 0, _("已叫应")
    REPEATED = 1, _("已重复提醒")
    VOICE = 2, _("已语音呼叫")
    ESCALATED = 3, _("已上报上级")


class AckVia(models.TextChoices):
    LINK = "link", _("短信链接")
    UI = "ui", _("平台页面")
    API = "api", _("接口")
    SMS = "sms", _("短信回复")
    VOICE = "voice", _("语音应答")
    WECHAT = "wechat", _("政务微信")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Acknowledgement(BaseModel):
    """One responsible person's answer (应) to one warning for one targeted place (叫应, W4).

    ``tier`` is the level of responsibility (district/town/village, ``TargetGroup`` codes); ``due_at``
    is the publish time plus the answer time of the warning level. ``stage`` rises as the periodic
    check repeats the call, places a voice call and escalates to the superior place.
    """

    warning = models.ForeignKey(
        "warnings.Warning", verbose_name=_("预警"), on_delete=models.CASCADE, related_name="acknowledgements"
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("责任地区"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("责任层级"), max_length=10)
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    called_at = models.DateTimeField(_("叫应时间"))
    due_at = models.DateTimeField(_("应答时限"))
    stage = models.PositiveSmallIntegerField(_("叫应阶段"), choices=AckStage.choices, default=AckStage.CALLED)
    stage_at = models.DateTimeField(_("阶段时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("应答时间"), null=True, blank=True, db_index=True)
    via = models.CharField(_("应答方式"), max_length=10, choices=AckVia.choices, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("应答账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.CharField(_("应答令牌"), max_length=40, unique=True, default=new_token, editable=False)

    scope = Scope(place="place")
    personal_fields = {"mobile": "mobile"}
    audit_exclude = ("created", "updated", "token")

    class Meta:
        verbose_name = _("叫应记录")
        verbose_name_plural = _("叫应记录")
        ordering = ["warning", "place__code", "tier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "place", "person"], name="warnings_ack_once_per_person_place"
            )
        ]
        indexes = [models.Index(fields=["acknowledged_at", "stage", "due_at"], name="warnings_ack_pending")]

    def __str__(self):
        return f"{self.warning} · {self.place} · {self.name}"

    def get_absolute_url(self):
        return reverse("warnings:acknowledgement_detail", args=[self.pk])

    @property
    def answered(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def late(self) -> bool:
        return self.acknowledged_at is not None and self.acknowledged_at > self.due_at

    @property
    def answer_seconds(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.called_at).total_seconds()


class VulnerableGroup(models.TextChoices):
    ELDERLY = "elderly", _("独居/高龄老人")
    DISABLED = "disabled", _("残疾人")
    SICK = "sick", _("重病/行动不便")
    CHILD = "child", _("留守儿童")
    OTHER = "other", _("其他")


class VulnerableContact(BaseModel):
    """A person of a vulnerable group (特殊群体) and their guardian, told of warnings of their place.

    Kept by the village (grid workers and bureau officers); a warning targeting ``vulnerable``
    reaches ``mobile`` and ``guardian_mobile`` over the warning's mobile channels.
    """

    name = models.CharField(_("姓名"), max_length=50)
    group = models.CharField(_("类别"), max_length=10, choices=VulnerableGroup.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[mobile_validator])
    guardian_name = models.CharField(_("监护/联系人"), max_length=50, blank=True)
    guardian_mobile = models.CharField(
        _("监护/联系人手机"), max_length=20, blank=True, validators=[mobile_validator]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope(place="place")
    personal_fields = {"mobile": "mobile", "guardian_mobile": "mobile"}

    class Meta:
        verbose_name = _("特殊群体联系人")
        verbose_name_plural = _("特殊群体联系人")
        ordering = ["place__code", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warnings:vulnerablecontact_detail", args=[self.pk])
