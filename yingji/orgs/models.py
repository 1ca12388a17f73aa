from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.fields import FlagsField
from yingji.framework.models import BaseModel, GeoMixin
from yingji.orgs.choices import (
    INDUSTRY_CHOICES,
    RISK_FLAGS,
    CommitteeKind,
    DepartmentKind,
    IntermediaryKind,
    MemberRole,
    OperatingStatus,
    Scale,
)
from yingji.utilities.validators import landline_validator, mobile_validator, uscc_validator


class Department(BaseModel, GeoMixin):
    """A government department or a town/street government at some level of the region tree (F2).

    ``duties`` is its safety-duty list (职责清单, "三管三必须": 管行业必须管安全、管业务必须管安全、
    管生产经营必须管安全), one duty per line.
    """

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(
        _("类别"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.INDUSTRY
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    duties = models.TextField(_("安全生产职责清单"), blank=True, help_text=_("每行一项职责"))
    phone = models.CharField(_("值班电话"), max_length=40, blank=True, validators=[landline_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)

    scope = Scope(place="place", department="pk")

    class Meta:
        verbose_name = _("政府部门")
        verbose_name_plural = _("政府部门")
        ordering = ["place__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="department_unique_name_per_place")
        ]

    def __str__(self):
        return self.name

    @property
    def duty_list(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]


class Committee(BaseModel):
    """The 安委会 of a place, its 专委会 (13 in Nantong, seed 000) and the 消委会."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=10, choices=CommitteeKind.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    remit = models.TextField(_("工作领域"), blank=True)

    scope = Scope(place="place")

    class Meta:
        verbose_name = _("安委会及专委会")
        verbose_name_plural = _("安委会及专委会")
        ordering = ["place__code", "kind", "name"]

    def __str__(self):
        return self.name


class CommitteeMembership(BaseModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("委员会"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)

    scope = Scope(place="committee__place", department="department")

    class Meta:
        verbose_name = _("委员会成员单位")
        verbose_name_plural = _("委员会成员单位")
        ordering = ["committee", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "department"], name="membership_unique")]

    def __str__(self):
        return f"{self.committee} · {self.department}"


class Enterprise(BaseModel, GeoMixin):
    """A production or business unit under work-safety supervision (F2).

    ``place`` is its 属地 village/community; when not given it is derived from the location
    (``yingji.orgs.services.save_enterprise``).
    """

    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[uscc_validator],
        help_text=_("18位，GB 32100-2015，末位为校验码"),
    )
    industry = models.CharField(
        _("国民经济行业（大类）"),
        max_length=2,
        choices=INDUSTRY_CHOICES,
        help_text=_("GB/T 4754-2017 行业大类代码"),
    )
    scale = models.CharField(_("企业规模"), max_length=10, choices=Scale.choices, default=Scale.SMALL)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("属地（村/社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
    )
    regulator = models.ForeignKey(
        Department,
        verbose_name=_("监管部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="regulated_enterprises",
    )
    risk_flags = FlagsField(_("风险标记"), flag_choices=RISK_FLAGS, db_index=True)
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    principal_name = models.CharField(_("主要负责人"), max_length=50, blank=True)
    principal_mobile = models.CharField(
        _("主要负责人手机"), max_length=20, blank=True, validators=[mobile_validator]
    )
    safety_manager_name = models.CharField(_("安全管理人员"), max_length=50, blank=True)
    safety_manager_mobile = models.CharField(
        _("安全管理人员手机"), max_length=20, blank=True, validators=[mobile_validator]
    )
    operating_status = models.CharField(
        _("经营状态"), max_length=10, choices=OperatingStatus.choices, default=OperatingStatus.OPERATING
    )

    scope = Scope(place="place", enterprise="pk", department="regulator")
    personal_fields = {"principal_mobile": "mobile", "safety_manager_mobile": "mobile"}

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["industry"]),
            models.Index(fields=["operating_status"]),
        ]

    def __str__(self):
        return self.name


class Intermediary(BaseModel, GeoMixin):
    """A technical-service intermediary (安全评价、检测检验 …) (F2, S8)."""

    name = models.CharField(_("机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[uscc_validator])
    kind = models.CharField(_("机构类别"), max_length=20, choices=IntermediaryKind.choices)
    qualification_no = models.CharField(_("资质证书编号"), max_length=60, blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(
        _("联系人手机"), max_length=20, blank=True, validators=[mobile_validator]
    )

    scope = Scope(place="place")
    personal_fields = {"contact_mobile": "mobile"}

    class Meta:
        verbose_name = _("中介机构")
        verbose_name_plural = _("中介机构")
        ordering = ["name"]

    def __str__(self):
        return self.name
