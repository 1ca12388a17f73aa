"""The one access filter: what a user may see and change ("分级负责、属地管理").

Every query that returns domain rows goes through :func:`restrict` (usually as
``Model.objects.visible_to(user, action)``); every write checks the object with
:func:`check_object`. Both read the model's :class:`Scope`, so a rule is written once.

How a role assignment limits rows:

* its **place** (if any) admits rows whose place lies in that place's subtree (the place itself and
  everything below it, found by the materialised ``path`` prefix);
* its **enterprise** (if any) admits only rows of that enterprise;
* its **department** (if any) admits only rows regulated by / belonging to that department, when the
  model has such a dimension; otherwise the department does not narrow the place scope;
* the role must grant the action on the model (``yingji.framework.roles``).

Assignments are OR-ed: a user sees the union of what each assignment admits. Rows outside the
scope read as "not found" (404), never as "forbidden", so that their existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from yingji.framework.roles import ROLES, role_allows


@dataclass(frozen=True)
class Scope:
    """How rows of a model map to places and organisations.

    ``place``: lookup path to a ``places.Place`` (``"self"`` for the Place model itself, ``None``
    when the model has no place). ``enterprise`` / ``department``: lookup path to the enterprise /
    department id (``"pk"`` when the model *is* one). ``enterprise=None`` means an
    enterprise-limited assignment sees no rows of this model, unless ``org_optional`` says that
    organisation limits do not apply to it (places: an enterprise user still sees its own village).
    """

    place: str | None = "place"
    enterprise: str | None = None
    department: str | None = None
    org_optional: bool = False
    #: ``view`` also admits rows placed at an *ancestor* of a place-limited assignment's place (a
    #: town officer sees the county's and the city's rescue resources, read-only). Other actions are
    #: never widened. Only for models without an enterprise or department dimension.
    read_up: bool = False


class AccessDenied(Exception):
    """The user may not do this. ``code`` is stable for the API, ``message`` is for people."""

    def __init__(self, message: str, code: str = "permission_denied"):
        super().__init__(message)
        self.message = message
        self.code = code


def model_label(model) -> str:
    return model._meta.label_lower


def assignments_of(user):
    """The user's role assignments, loaded once per user object (request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_yingji_assignments", None)
    if cached is None:
        cached = tuple(user.role_assignments.select_related("place").defer("place__boundary"))
        user._yingji_assignments = cached
    return cached


def has_global(user, action: str, model) -> bool:
    label = model_label(model)
    return any(
        ROLES[a.role].global_scope and role_allows(a.role, action, label)
        for a in assignments_of(user)
        if a.role in ROLES
    )


def can(user, action: str, model) -> bool:
    """Whether any of the user's roles grants ``action`` on this kind of object (somewhere)."""
    label = model_label(model)
    return any(role_allows(a.role, action, label) for a in assignments_of(user))


def has_clearance(user) -> bool:
    """Whether the user may see personal data (mobile, ID number) unmasked."""
    return any(ROLES[a.role].clearance for a in assignments_of(user) if a.role in ROLES)


def _place_q(scope: Scope, place) -> Q:
    if scope.place == "self":
        return Q(path__startswith=place.path)
    return Q(**{f"{scope.place}__path__startswith": place.path})


def _assignment_q(scope: Scope, a, action: str = "view") -> Q | None:
    """The rows one assignment admits, or None when it admits none of this model."""
    q = Q()
    if a.place_id is not None:
        if scope.place is None:
            return None
        q &= _place_q(scope, a.place)
        if scope.read_up and action == "view" and a.enterprise_id is None and a.department_id is None:
            field = "path" if scope.place == "self" else f"{scope.place}__path"
            q = q | Q(**{f"{field}__in": a.place.chain_paths(include_self=False)})
    if a.enterprise_id is not None and not scope.org_optional:
        if scope.enterprise is None:
            return None
        q &= Q(**{scope.enterprise: a.enterprise_id})
    if a.department_id is not None and scope.department is not None and not scope.org_optional:
        q &= Q(**{scope.department: a.department_id})
    return q


def restrict(queryset, user, action: str = "view"):
    """Narrow ``queryset`` to the rows ``user`` may ``action``. The one place where scope is decided."""
    model = queryset.model
    label = model_label(model)
    scope: Scope = model.scope
    clauses = []
    for a in assignments_of(user):
        if not role_allows(a.role, action, label):
            continue
        if ROLES[a.role].global_scope:
            return queryset
        q = _assignment_q(scope, a, action)
        if q is not None:
            if not q:  # an assignment without any limit admits everything
                return queryset
            clauses.append(q)
    if not clauses:
        return queryset.none()
    return queryset.filter(reduce(or_, clauses))


def _resolve(obj, path: str):
    """Follow a ``a__b`` lookup path on an instance (``"pk"`` and ``"x_id"`` supported)."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _object_matches(scope: Scope, a, obj, action: str = "view") -> bool:
    if a.place_id is not None:
        if scope.place is None:
            return False
        place = obj if scope.place == "self" else _resolve(obj, scope.place)
        if place is None:
            return False
        below = place.path.startswith(a.place.path)
        above = (
            scope.read_up
            and action == "view"
            and a.enterprise_id is None
            and a.department_id is None
            and a.place.path.startswith(place.path)
        )
        if not (below or above):
            return False
    if a.enterprise_id is not None and not scope.org_optional:
        if scope.enterprise is None:
            return False
        value = _resolve(obj, scope.enterprise)
        value = getattr(value, "pk", value)
        if value != a.enterprise_id:
            return False
    if a.department_id is not None and scope.department is not None and not scope.org_optional:
        value = _resolve(obj, scope.department)
        value = getattr(value, "pk", value)
        if value != a.department_id:
            return False
    return True


def assignment_matches(assignment, obj, action: str = "view") -> bool:
    """Whether one role assignment's scope admits ``obj`` for ``action`` (the role's rights are not
    checked: for services that need to know *which* assignment grants an act, e.g. the hazard loop)."""
    return _object_matches(type(obj).scope, assignment, obj, action)


def allows_object(user, action: str, obj) -> bool:
    """Whether ``user`` may ``action`` this (possibly unsaved) instance: same rules as :func:`restrict`."""
    label = model_label(type(obj))
    for a in assignments_of(user):
        if not role_allows(a.role, action, label):
            continue
        if ROLES[a.role].global_scope or _object_matches(type(obj).scope, a, obj, action):
            return True
    return False


def check_object(user, action: str, obj) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may ``action`` ``obj`` (used by every write service)."""
    if not allows_object(user, action, obj):
        raise AccessDenied(
            "您无权在此范围内执行该操作：请确认所选地区和单位属于您的管辖范围。",
            code="out_of_scope",
        )


class _SystemAssignment:
    role = "platform_admin"
    place_id = enterprise_id = department_id = None
    place = enterprise = department = None


class SystemActor:
    """The platform itself, acting for operators' commands and scheduled jobs: full rights.

    It is not a user row; change-log entries it causes have no actor and the source of their context
    (``command``, ``task``).
    """

    is_authenticated = True
    is_active = True
    pk = id = None
    username = "system"
    _yingji_assignments = (_SystemAssignment(),)

    def get_username(self):
        return self.username

    def __str__(self):
        return "system"


SYSTEM = SystemActor()
