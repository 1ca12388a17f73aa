"""Token authentication that loads the user and their role assignments in one query.

Every API request needs both (the access filter reads the assignments); DRF's stock class fetches
the token with its user, and the access filter then fetches the assignments — two ORM queries whose
compilation costs more than the database work. This class reads token, user and assignments with
one prepared statement and builds the same objects (the user with its other fields deferred).
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from yingji.accounts.models import RoleAssignment, User
from yingji.places.models import Place

_WANTED = {"id", "username", "first_name", "is_active", "is_superuser", "is_staff", "is_demo", "person_id"}
#: in the model's field order, as ``Model.from_db`` expects
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname in _WANTED)


def _sql() -> str:
    """Table and column names come from the models; the token key is a bound parameter."""
    q = connection.ops.quote_name
    columns = ", ".join(
        [
            *(f"u.{q(name)}" for name in _USER_FIELDS),
            "ra.id",
            "ra.role",
            "ra.place_id",
            "p.path",
            "p.code",
            "ra.enterprise_id",
            "ra.department_id",
        ]
    )
    tables = (
        f"{q(Token._meta.db_table)} t JOIN {q(User._meta.db_table)} u ON u.id = t.user_id"
        f" LEFT JOIN {q(RoleAssignment._meta.db_table)} ra ON ra.user_id = u.id"
        f" LEFT JOIN {q(Place._meta.db_table)} p ON p.id = ra.place_id"
    )
    return f"SELECT {columns} FROM {tables} WHERE t.key = %s ORDER BY ra.id"  # noqa: S608


class PlatformTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, answering exactly as DRF's TokenAuthentication does."""

    def authenticate_credentials(self, key):
        with connection.cursor() as cursor:
            cursor.execute(_sql(), [key])
            rows = cursor.fetchall()
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        n = len(_USER_FIELDS)
        user = User.from_db(connection.alias, list(_USER_FIELDS), rows[0][:n])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        assignments = []
        for row in rows:
            ra_id, role, place_id, path, code, enterprise_id, department_id = row[n:]
            if ra_id is None:
                continue
            assignment = RoleAssignment(
                id=ra_id,
                user_id=user.pk,
                role=role,
                place_id=place_id,
                enterprise_id=enterprise_id,
                department_id=department_id,
            )
            if place_id is not None:
                assignment.place = Place(id=place_id, path=path, code=code)
            assignments.append(assignment)
        user._yingji_assignments = tuple(assignments)
        return (user, Token(key=key, user_id=user.pk))
