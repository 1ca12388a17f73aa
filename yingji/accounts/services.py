"""Account services: users, role assignments, sign-in throttling, demo-user guard."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.errors import field_error
from yingji.framework.services import save_object


@transaction.atomic
def save_person(person: Person, *, actor) -> Person:
    """Create or update a person; the place defaults to the organisation's place."""
    if person.place_id is None:
        org = person.enterprise or person.department
        if org is not None:
            person.place_id = org.place_id
    return save_object(person, actor=actor)


@transaction.atomic
def save_user(user: User, *, actor, password: str | None = None) -> User:
    """Create or update an account; a new password is validated against the password policy."""
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise field_error("password", " ".join(exc.messages), "weak_password") from exc
        user.set_password(password)
    elif user._state.adding:
        user.set_unusable_password()
    return save_object(user, actor=actor)


@transaction.atomic
def assign_role(
    user: User, role: str, *, actor, place=None, enterprise=None, department=None
) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user, role=role, place=place, enterprise=enterprise, department=department
    )
    return save_object(assignment, actor=actor)


def _failure_key(username: str, ip: str | None) -> str:
    return f"login-failures:{username.lower()}:{ip or '-'}"


def login_locked(username: str, ip: str | None) -> bool:
    return cache.get(_failure_key(username, ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_login_failure(username: str, ip: str | None) -> None:
    key = _failure_key(username, ip)
    cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_S)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_S)


def clear_login_failures(username: str, ip: str | None) -> None:
    cache.delete(_failure_key(username, ip))


def assert_no_demo_users() -> None:
    """Production refuses to start while demo accounts exist (they have a published password)."""
    if settings.DEMO_MODE:
        return
    if User.objects.filter(is_demo=True).exists():
        raise ImproperlyConfigured(
            _("生产模式下存在演示账号：请先运行 `yingji demo remove-users` 删除演示账号后再启动。")
        )


def save_user_from_form(user: User, *, actor) -> User:
    """The user form's save: the new password (if any) travels on the instance."""
    return save_user(user, actor=actor, password=getattr(user, "_new_password", None))
