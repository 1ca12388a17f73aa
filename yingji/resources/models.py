"""Rescue resources: teams and their members (C6), experts (C7), equipment (C8) and shelters (C10).

All four are shared "upward-down" (``Scope(read_up=True)``): a town sees its own resources and,
read-only, those of its county and city, so that it knows what it may ask for in an emergency.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.fields import FlagsField
from yingji.framework.models import BaseModel, GeoMixin
from yingji.resources import rules
from yingji.resources.choices import (
    CAPABILITIES,
    EXPERT_FIELDS,
    SHELTER_FACILITIES,
    Availability,
    EquipmentKind,
    EquipmentStatus,
    Evaluation,
    ExpertTitle,
    FixedPeriod,
    OwnerKind,
    Readiness,
    ShelterGrade,
    ShelterStatus,
    ShelterType,
    SpaceType,
    Specialty,
    TeamKind,
)
from yingji.utilities.validators import mobile_validator


def _check_location(obj, errors: dict) -> None:
    lon, lat = obj.longitude, obj.latitude
    if (lon is None) != (lat is None):
        errors.setdefault(
            "latitude" if lat is None else "longitude",
            ValidationError(_("经度和纬度须同时填写或同时留空。"), code="incomplete_location"),
        )
    if lon is not None and not -180 <= lon <= 180:
        errors["longitude"] = ValidationError(_("经度须在 -180 到 180 之间。"), code="invalid_longitude")
    if lat is not None and not -90 <= lat <= 90:
        errors["latitude"] = ValidationError(_("纬度须在 -90 到 90 之间。"), code="invalid_latitude")


class Team(BaseModel, GeoMixin):
    """A rescue team (C6): 综合性消防救援、专业、社会应急力量、基层 (town/village) or a military unit.

    ``place`` is the level it belongs to (a county's team is placed at the county); the point is
    its base (驻地).
    """

    name = models.CharField(_("队伍名称"), max_length=120, db_index=True)
    kind = models.CharField(_("队伍类别"), max_length=20, choices=TeamKind.choices)
    specialty = models.CharField(
        _("专业领域"), max_length=20, choices=Specialty.choices, blank=True, help_text=_("专业队伍填写")
    )
    owner_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_name = models.CharField(
        _("所属单位"), max_length=120, blank=True, help_text=_("不是政府部门时填写，如企业、协会、部队番号")
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("驻地地址"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("人数"), default=0)
    capabilities = FlagsField(_("救援能力"), flag_choices=CAPABILITIES)
    equipment_summary = models.TextField(_("主要装备"), blank=True)
    readiness = models.CharField(
        _("战备状态"), max_length=10, choices=Readiness.choices, default=Readiness.STANDBY
    )
    duty_name = models.CharField(_("值班负责人"), max_length=50, blank=True)
    duty_mobile = models.CharField(_("值班手机"), max_length=20, blank=True, validators=[mobile_validator])
    duty_phone = models.CharField(_("值班电话"), max_length=40, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    scope = Scope(place="place", department="owner_department", read_up=True)
    personal_fields = {"duty_mobile": "mobile"}

    class Meta:
        verbose_name = _("救援队伍")
        verbose_name_plural = _("救援队伍")
        ordering = ["place__code", "name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["readiness"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors: dict = {}
        _check_location(self, errors)
        if self.kind == TeamKind.PROFESSIONAL and not self.specialty:
            errors["specialty"] = ValidationError(
                _("专业应急救援队伍须选择专业领域。"), code="specialty_required"
            )
        if errors:
            raise ValidationError(errors)


class TeamMember(BaseModel):
    """A member of a team with qualifications; an expiring certificate is shown on the team."""

    team = models.ForeignKey(Team, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    qualifications = models.CharField(_("资格/技能"), max_length=200, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    certificate_expiry = models.DateField(_("证书有效期至"), null=True, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[mobile_validator])

    scope = Scope(place="team__place", department="team__owner_department", read_up=True)
    personal_fields = {"mobile": "mobile"}

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "name"]
        indexes = [models.Index(fields=["certificate_expiry"])]

    def __str__(self):
        return f"{self.team} · {self.name}"

    @property
    def certificate_state(self) -> str:
        """``expired`` / ``expiring`` (within the warning window) / ``valid`` / ``""`` (no date)."""
        if self.certificate_expiry is None:
            return ""
        today = timezone.localdate()
        if self.certificate_expiry < today:
            return "expired"
        if (self.certificate_expiry - today).days <= rules.certificate_warning_days():
            return "expiring"
        return "valid"


class Expert(BaseModel, GeoMixin):
    """An expert of the 专家库 (C7); the point is the location of the expert's organisation."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    specialties = FlagsField(_("专业领域"), flag_choices=EXPERT_FIELDS)
    title = models.CharField(_("职称"), max_length=20, choices=ExpertTitle.choices, default=ExpertTitle.OTHER)
    organisation = models.CharField(_("工作单位"), max_length=120, blank=True)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("入库地区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[mobile_validator])
    phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    availability = models.CharField(
        _("可用状态"), max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    notes = models.TextField(_("备注"), blank=True)

    scope = Scope(place="place", read_up=True)
    personal_fields = {"mobile": "mobile"}

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["place__code", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors: dict = {}
        _check_location(self, errors)
        if errors:
            raise ValidationError(errors)


class Equipment(BaseModel, GeoMixin):
    """A piece (or a set of identical pieces) of rescue equipment (C8 装备普查), with its owner.

    ``shared`` marks equipment of enterprises and social forces registered for shared use (共享共用).
    """

    name = models.CharField(_("装备名称"), max_length=120, db_index=True)
    kind = models.CharField(_("装备类别"), max_length=20, choices=EquipmentKind.choices)
    model_spec = models.CharField(_("型号规格"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    unit = models.CharField(_("单位"), max_length=10, default="台")
    owner_kind = models.CharField(
        _("所有者类别"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.GOVERNMENT
    )
    owner_team = models.ForeignKey(
        Team,
        verbose_name=_("所属队伍"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment",
    )
    owner_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_name = models.CharField(_("所有者名称"), max_length=120, blank=True)
    shared = models.BooleanField(_("共享共用"), default=False)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("存放地址"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=EquipmentStatus.choices, default=EquipmentStatus.AVAILABLE
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(
        _("联系人手机"), max_length=20, blank=True, validators=[mobile_validator]
    )

    scope = Scope(place="place", department="owner_department", read_up=True)
    personal_fields = {"contact_mobile": "mobile"}

    class Meta:
        verbose_name = _("装备")
        verbose_name_plural = _("装备")
        ordering = ["place__code", "kind", "name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors: dict = {}
        _check_location(self, errors)
        if self.owner_kind == OwnerKind.TEAM and self.owner_team_id is None:
            errors["owner_team"] = ValidationError(
                _("所有者类别为“救援队伍”时须选择所属队伍。"), code="owner_team_required"
            )
        if errors:
            raise ValidationError(errors)


class Shelter(BaseModel, GeoMixin):
    """An emergency shelter (C10, 应急避难场所) — one row of the "一张表".

    Type by GB 51143-2015 (紧急/固定 短·中·长期/中心), grade by GB/T 44013-2024 (administrative level),
    per-capita effective area = effective area ÷ capacity.
    """

    name = models.CharField(_("场所名称"), max_length=120, db_index=True)
    code = models.CharField(_("场所编号"), max_length=40, blank=True)
    shelter_type = models.CharField(_("场所类型"), max_length=10, choices=ShelterType.choices)
    fixed_period = models.CharField(
        _("固定避难期"),
        max_length=10,
        choices=FixedPeriod.choices,
        blank=True,
        help_text=_("固定避难场所填写：短期/中期/长期（GB 51143-2015）"),
    )
    space_type = models.CharField(
        _("空间类型"), max_length=10, choices=SpaceType.choices, default=SpaceType.OUTDOOR
    )
    grade = models.CharField(
        _("分级"), max_length=10, choices=ShelterGrade.choices, help_text=_("按行政层级（GB/T 44013-2024）")
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    effective_area_m2 = models.DecimalField(
        _("有效避难面积（m²）"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)]
    )
    capacity = models.PositiveIntegerField(_("可容纳人数"))
    facilities = FlagsField(_("设施设备"), flag_choices=SHELTER_FACILITIES)
    keeper_name = models.CharField(_("管护责任人"), max_length=50, blank=True)
    keeper_mobile = models.CharField(
        _("管护人手机"), max_length=20, blank=True, validators=[mobile_validator]
    )
    status = models.CharField(
        _("启用状态"), max_length=10, choices=ShelterStatus.choices, default=ShelterStatus.CLOSED
    )
    occupancy = models.PositiveIntegerField(_("当前安置人数"), default=0)
    evaluation = models.CharField(
        _("评估结果"), max_length=15, choices=Evaluation.choices, default=Evaluation.NOT_EVALUATED
    )
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    evaluation_notes = models.TextField(_("评估意见"), blank=True)

    scope = Scope(place="place", read_up=True)
    personal_fields = {"keeper_mobile": "mobile"}

    class Meta:
        verbose_name = _("避难场所")
        verbose_name_plural = _("避难场所")
        ordering = ["place__code", "name"]
        indexes = [models.Index(fields=["shelter_type"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    @property
    def per_capita_area(self) -> Decimal | None:
        """Effective area ÷ capacity, m² per person (2 decimals); None when the capacity is 0."""
        if not self.capacity or self.effective_area_m2 is None:
            return None
        return (Decimal(self.effective_area_m2) / self.capacity).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def free_capacity(self) -> int:
        return max((self.capacity or 0) - (self.occupancy or 0), 0)

    @property
    def meets_per_capita_minimum(self) -> bool | None:
        minimum = rules.min_per_capita(self.shelter_type, self.fixed_period)
        value = self.per_capita_area
        if minimum is None or value is None:
            return None
        return value >= minimum

    def clean(self):
        errors: dict = {}
        _check_location(self, errors)
        if self.shelter_type == ShelterType.FIXED and not self.fixed_period:
            errors["fixed_period"] = ValidationError(
                _("固定避难场所须选择避难期（短期/中期/长期）。"), code="fixed_period_required"
            )
        if self.shelter_type != ShelterType.FIXED and self.fixed_period:
            errors["fixed_period"] = ValidationError(
                _("只有固定避难场所区分短期/中期/长期，请清空此项。"), code="fixed_period_not_allowed"
            )
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = ValidationError(_("可容纳人数须大于 0。"), code="capacity_required")
        if self.capacity is not None and self.occupancy is not None and self.occupancy > self.capacity:
            errors["occupancy"] = ValidationError(
                _("当前安置人数（%(o)s）不能超过可容纳人数（%(c)s）。")
                % {"o": self.occupancy, "c": self.capacity},
                code="over_capacity",
            )
        if self.status == ShelterStatus.CLOSED and self.occupancy:
            errors["occupancy"] = ValidationError(
                _("未启用的场所不能有安置人员：请先启用场所。"), code="closed_with_occupants"
            )
        if errors:
            raise ValidationError(errors)
