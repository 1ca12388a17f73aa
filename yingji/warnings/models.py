"""A warning (预警信息) and the record of its lifecycle; public subscriptions; consultations (会商) and
their work prompts (工作提示单).

``status`` is changed only by ``yingji.warnings.lifecycle``. The area is the union of the chosen places,
a drawn polygon and a circle. Targets, fan-out and acknowledgements are in ``targets.py``/``fanout.py``/
``response.py`` and their own models (``models_response.py``, imported at the end of this module).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.fields import FlagsField
from yingji.framework.models import BaseModel
from yingji.messaging.choices import ChannelCode
from yingji.orgs.catalogues import INDUSTRY_CHOICES, RISK_FLAGS
from yingji.warnings.choices import (
    ConsultationKind,
    EventAction,
    Level,
    MsgType,
    Origin,
    Status,
    SubscriptionChannel,
    TargetGroup,
    WarningType,
)

#: Statuses in which a warning may still be edited by its author.
EDITABLE_STATUSES = (Status.DRAFT, Status.REJECTED)
#: Statuses of warnings that were published at some time (their CAP documents are public).
PUBLIC_STATUSES = (Status.PUBLISHED, Status.UPDATED, Status.CANCELLED, Status.EXPIRED)


class Warning(BaseModel):
    identifier = models.CharField(
        _("预警标识"), max_length=64, unique=True, help_text=_("CAP identifier（GB/T 35965.1 附录A 规则）")
    )
    msg_type = models.CharField(_("消息类型"), max_length=8, choices=MsgType.choices, default=MsgType.ALERT)
    references = models.ForeignKey(
        "self",
        verbose_name=_("所更新或解除的预警"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices, default=Origin.LOCAL)
    warning_type = models.CharField(_("预警类型"), max_length=16, choices=WarningType.choices)
    level = models.CharField(_("预警级别"), max_length=8, choices=Level.choices)
    issuer = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("发布单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings_issued",
    )
    sender_name = models.CharField(_("发布单位名称"), max_length=200, blank=True)
    cap_sender = models.CharField(
        _("CAP 发送者"),
        max_length=100,
        blank=True,
        help_text=_("CAP sender：本平台编制的为发布单位编码 ZZZZZZDDDUUUXX；导入的保留原文"),
    )
    headline = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("预警内容"))
    instruction = models.TextField(_("防御指南"), blank=True)
    effective_at = models.DateTimeField(_("生效时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    sent_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("发布区域"),
        on_delete=models.PROTECT,
        related_name="warnings_issued",
        help_text=_("发布单位所辖的区划；预警的可见范围由它决定"),
    )
    area_places = models.ManyToManyField(
        "places.Place", verbose_name=_("预警区域（区划）"), blank=True, related_name="warnings_targeting"
    )
    area_polygon = models.JSONField(
        _("预警区域（多边形）"), null=True, blank=True, help_text=_("GeoJSON Polygon，WGS84")
    )
    area_circle_longitude = models.FloatField(_("圆心经度"), null=True, blank=True)
    area_circle_latitude = models.FloatField(_("圆心纬度"), null=True, blank=True)
    area_circle_radius_km = models.FloatField(_("半径（公里）"), null=True, blank=True)
    area_description = models.CharField(_("区域描述"), max_length=500, blank=True)
    target_groups = FlagsField(_("发布对象"), max_length=200, blank=True, flag_choices=TargetGroup.choices)
    industries = FlagsField(_("企业行业"), max_length=300, blank=True, flag_choices=INDUSTRY_CHOICES)
    risk_flags = FlagsField(_("企业风险标记"), max_length=300, blank=True, flag_choices=RISK_FLAGS)
    channels = FlagsField(_("发布渠道"), max_length=100, blank=True, flag_choices=ChannelCode.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warnings_created",
    )
    message = models.ForeignKey(
        "messaging.Message",
        verbose_name=_("发布消息"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warnings",
    )

    scope = Scope(place="place", department="issuer")

    class Meta:
        verbose_name = _("预警信息")
        verbose_name_plural = _("预警信息")
        ordering = ("-effective_at", "-id")
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.headline

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.status == Status.PUBLISHED and self.expires_at > timezone.now()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES and self.origin == Origin.LOCAL

    @property
    def has_polygon(self) -> bool:
        return bool(self.area_polygon and self.area_polygon.get("coordinates"))

    @property
    def has_circle(self) -> bool:
        return None not in (self.area_circle_latitude, self.area_circle_longitude, self.area_circle_radius_km)


class WarningEvent(BaseModel):
    """One step of a warning's lifecycle (who, when, from which status to which, with a note): the
    timeline on the warning's page. Every step is also in the change log."""

    warning = models.ForeignKey(
        Warning, verbose_name=_("预警信息"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=10, choices=EventAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    scope = Scope(place="warning__place", department="warning__issuer")

    class Meta:
        verbose_name = _("预警流转记录")
        verbose_name_plural = _("预警流转记录")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.get_action_display()} {self.warning_id}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(BaseModel):
    """A member of the public who asked to receive the warnings of a place (公众订阅).

    Made from the public form; becomes ``confirmed`` when the code sent to the address is entered;
    ``active`` is cleared by the unsubscribe link (``token``). The fan-out reads active, confirmed
    subscriptions of the warning's area for the "public subscribers" target group.
    """

    place = models.ForeignKey(
        "places.Place", verbose_name=_("订阅地区"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("接收方式"), max_length=10, choices=SubscriptionChannel.choices, default=SubscriptionChannel.SMS
    )
    address = models.CharField(_("手机号码"), max_length=20)
    name = models.CharField(_("称呼"), max_length=50, blank=True)
    confirmed = models.BooleanField(_("已确认"), default=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirm_code = models.CharField(_("确认码"), max_length=6, editable=False)
    active = models.BooleanField(_("有效"), default=True)
    token = models.CharField(_("退订凭据"), max_length=64, unique=True, default=_token, editable=False)

    scope = Scope(place="place")
    personal_fields = {"address": "mobile"}
    audit_exclude = ("created", "updated", "confirm_code", "token")

    class Meta:
        verbose_name = _("公众订阅")
        verbose_name_plural = _("公众订阅")
        ordering = ("-created", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "channel", "address"], name="warnings_subscription_unique_address"
            )
        ]

    def __str__(self):
        from yingji.utilities.identifiers import mask_mobile

        return f"{self.place.name} {mask_mobile(self.address)}"


class Consultation(BaseModel):
    """A consultation session (会商研判, W2) of the departments on the risks of the coming period or of
    an ongoing event: who took part, what each brought (inputs) and what was concluded. Work prompts
    (工作提示单) are issued from it."""

    kind = models.CharField(_("会商类型"), max_length=10, choices=ConsultationKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_at = models.DateTimeField(_("会商时间"))
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("组织地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("组织会商的区划；会商的可见范围由它决定"),
    )
    chair = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    departments = models.ManyToManyField(
        "orgs.Department",
        verbose_name=_("参会部门"),
        blank=True,
        related_name="consultations",
        help_text=_("自然资源、水利、农业农村、气象、地震等"),
    )
    inputs = models.TextField(_("会商材料与各部门意见"), blank=True)
    conclusions = models.TextField(_("会商结论"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    #: places below read their county's and city's consultations (read only)
    scope = Scope(place="place", read_up=True)

    class Meta:
        verbose_name = _("会商研判")
        verbose_name_plural = _("会商研判")
        ordering = ("-held_at", "-id")

    def __str__(self):
        return self.title


class WorkPrompt(BaseModel):
    """A work prompt (工作提示单) issued after a consultation: what the places and departments must do.
    Issuing it renders the PDF, notifies the targets' people and opens one acknowledgement per target."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("会商"), on_delete=models.PROTECT, related_name="prompts"
    )
    number = models.CharField(_("编号"), max_length=40, blank=True, help_text=_("例如 〔2026〕第3期"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("提示内容"))
    target_places = models.ManyToManyField(
        "places.Place", verbose_name=_("发送地区"), blank=True, related_name="+"
    )
    target_departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("发送部门"), blank=True, related_name="+"
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("同会商的组织地区"),
    )
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    message = models.ForeignKey(
        "messaging.Message",
        verbose_name=_("下发消息"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    #: the places and departments below read the prompts of their county and city (read only)
    scope = Scope(place="place", read_up=True)

    class Meta:
        verbose_name = _("工作提示单")
        verbose_name_plural = _("工作提示单")
        ordering = ("-created", "-id")

    def __str__(self):
        return self.title


class WorkPromptAck(BaseModel):
    """The acknowledgement (签收) of a work prompt by one target place or department: opened when the
    prompt is issued, completed when someone there acknowledges it."""

    prompt = models.ForeignKey(
        WorkPrompt, verbose_name=_("工作提示单"), on_delete=models.CASCADE, related_name="acks"
    )
    target_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("签收地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("签收部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("签收地区，或签收部门所在地区"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    note = models.CharField(_("签收意见"), max_length=500, blank=True)

    scope = Scope(place="place", department="department")

    class Meta:
        verbose_name = _("提示单签收")
        verbose_name_plural = _("提示单签收")
        ordering = ("id",)

    def __str__(self):
        target = self.department or self.target_place
        return f"{self.prompt} · {target}"


from yingji.warnings.models_response import *  # noqa: E402,F401,F403
