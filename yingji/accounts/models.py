from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.errors import field_error
from yingji.framework.models import BaseModel, ScopedQuerySet
from yingji.framework.roles import ROLES, Role
from yingji.utilities.validators import landline_validator, mobile_validator, resident_id_validator


class Person(BaseModel):
    """A person the platform knows: officials, enterprise managers, grid workers, experts (F3).

    A person belongs to a place and at most one organisation (an enterprise or a department); the
    sign-in account (``User``) is optional and links back to it.
    """

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[mobile_validator])
    landline = models.CharField(_("固定电话"), max_length=40, blank=True, validators=[landline_validator])
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[resident_id_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("所在企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("所在部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    position = models.CharField(_("职务/岗位"), max_length=60, blank=True)

    scope = Scope(place="place", enterprise="enterprise", department="department")
    personal_fields = {"mobile": "mobile", "id_number": "resident_id"}

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.enterprise_id and self.department_id:
            raise ValidationError(
                _("一个人员只能属于一个单位：请只选择企业或部门之一。"), code="two_organisations"
            )


class UserManager(DjangoUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A sign-in account ("一平台注册、全系统使用"): one account for every module, linked to a person."""

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_demo = models.BooleanField(
        _("演示账号"),
        default=False,
        help_text=_("演示账号只在演示模式存在；生产模式下存在演示账号时拒绝启动。"),
    )

    objects = UserManager()
    scope = Scope(place="person__place", enterprise="person__enterprise", department="person__department")
    audited = True
    audit_exclude = ("password", "last_login", "date_joined")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("accounts:user_detail", args=[self.pk])


class RoleAssignment(BaseModel):
    """A role held in a scope: a place subtree and/or an organisation (F3).

    Every role except the platform administrator needs a scope, so that no assignment silently
    admits the whole city.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("范围：地区（含下级）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("范围：企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("范围：部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    scope = Scope(place="place", enterprise="enterprise", department="department")

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user__username", "role"]

    def __str__(self):
        where = self.place or self.enterprise or self.department or _("全市")
        return f"{self.get_role_display()} @ {where}"

    def clean(self):
        if self.role in ROLES and not ROLES[self.role].global_scope:
            if not (self.place_id or self.enterprise_id or self.department_id):
                raise ValidationError(
                    _("请为该角色指定管辖范围（地区、企业或部门）。"), code="scope_required"
                )
        if self.role == Role.ENTERPRISE_USER and not self.enterprise_id:
            raise field_error("enterprise", _("企业用户必须指定所属企业。"), "enterprise_required")
