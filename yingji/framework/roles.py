"""Roles of the platform and what each may do.

A user holds any number of role assignments; each pairs one role with a scope (a place subtree
and/or an organisation). The role says *what* may be done to which kind of object; the scope says
*where*. Both are applied by the one access filter in ``yingji.framework.access``.

Actions: ``view``, ``add``, ``change``, ``delete``. Object kinds are model labels
(``app_label.modelname``); ``*`` stands for every kind. Later domain apps add their kinds to the
matrix with :func:`grant` from their ``AppConfig.ready``.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)
ALL = frozenset(ACTIONS)
READ = frozenset({VIEW})


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    BUREAU_OFFICER = "bureau_officer", _("应急管理局干部")
    DEPARTMENT_OFFICER = "department_officer", _("行业部门干部")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    DUTY_OFFICER = "duty_officer", _("值班员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    GRID_WORKER = "grid_worker", _("网格员")
    DISASTER_INFO_OFFICER = "disaster_info_officer", _("灾害信息员")
    EXPERT = "expert", _("专家")
    LEADER = "leader", _("领导（只读）")


@dataclass(frozen=True)
class RoleSpec:
    """What a role may do. ``clearance`` lets it see personal data (mobile, ID number) unmasked."""

    grants: dict = field(default_factory=dict)
    clearance: bool = False
    global_scope: bool = False


PLACES, ENTERPRISES, DEPARTMENTS = "places.place", "orgs.enterprise", "orgs.department"
INTERMEDIARIES, COMMITTEES, MEMBERSHIPS = "orgs.intermediary", "orgs.committee", "orgs.committeemembership"
PERSONS, USERS, ASSIGNMENTS, AUDIT = (
    "accounts.person",
    "accounts.user",
    "accounts.roleassignment",
    "audit.objectchange",
)
IMPORTS, HOLIDAYS = "exchange.importjob", "deadlines.calendarday"

_ORGS = {ENTERPRISES: ALL, DEPARTMENTS: ALL, INTERMEDIARIES: ALL, COMMITTEES: ALL, MEMBERSHIPS: ALL}
_READ_ALL = {
    k: READ for k in (PLACES, ENTERPRISES, DEPARTMENTS, INTERMEDIARIES, COMMITTEES, MEMBERSHIPS, PERSONS)
}

ROLES: dict[str, RoleSpec] = {
    Role.PLATFORM_ADMIN: RoleSpec(grants={"*": ALL}, clearance=True, global_scope=True),
    Role.BUREAU_OFFICER: RoleSpec(
        grants={
            **_READ_ALL,
            **_ORGS,
            PERSONS: ALL,
            USERS: READ,
            ASSIGNMENTS: READ,
            AUDIT: READ,
            IMPORTS: ALL,
        },
        clearance=True,
    ),
    Role.DEPARTMENT_OFFICER: RoleSpec(
        grants={**_READ_ALL, ENTERPRISES: {VIEW, CHANGE}, PERSONS: {VIEW, ADD, CHANGE}, IMPORTS: {VIEW, ADD}},
    ),
    Role.ENFORCEMENT_OFFICER: RoleSpec(grants={**_READ_ALL, ENTERPRISES: {VIEW, CHANGE}}, clearance=True),
    Role.DUTY_OFFICER: RoleSpec(grants={**_READ_ALL}, clearance=True),
    Role.ENTERPRISE_USER: RoleSpec(
        grants={PLACES: READ, ENTERPRISES: {VIEW, CHANGE}, PERSONS: ALL},
    ),
    Role.GRID_WORKER: RoleSpec(grants={PLACES: READ, ENTERPRISES: READ, PERSONS: READ}),
    Role.DISASTER_INFO_OFFICER: RoleSpec(grants={PLACES: READ, PERSONS: READ}),
    Role.EXPERT: RoleSpec(grants={PLACES: READ, ENTERPRISES: READ}),
    Role.LEADER: RoleSpec(grants={**_READ_ALL, USERS: READ, ASSIGNMENTS: READ, AUDIT: READ}),
}


def grant(role: str, label: str, actions) -> None:
    """Let a domain app extend the matrix for its own object kinds (called from ``ready()``)."""
    ROLES[role].grants[label] = frozenset(actions)


def role_allows(role: str, action: str, label: str) -> bool:
    spec = ROLES.get(role)
    if spec is None:
        return False
    return action in spec.grants.get(label, ()) or action in spec.grants.get("*", ())
