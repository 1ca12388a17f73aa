"""A warning (预警信息) and the record of its lifecycle.

``status`` is changed only by ``yingji.warnings.lifecycle``. The area is the union of the chosen places,
a drawn polygon and a circle. Targets, fan-out and acknowledgements are in ``targets.py``/``fanout.py``/
``response.py`` and their own models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.fields import FlagsField
from yingji.framework.models import BaseModel
from yingji.messaging.choices import ChannelCode
from yingji.orgs.catalogues import INDUSTRY_CHOICES, RISK_FLAGS
from yingji.warnings.choices import Level, MsgType, Origin, Status, TargetGroup, WarningType


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
