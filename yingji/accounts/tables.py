import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.masking import display_value
from yingji.framework.tables import BaseTable


class PersonTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("name", "mobile", "position", "enterprise", "department", "place")

    def render_mobile(self, value, record):
        return display_value(self.request.user, Person, "mobile", value)


class UserTable(BaseTable):
    username = tables.Column(linkify=True)
    roles = tables.Column(verbose_name=_("角色"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "first_name", "person", "roles", "is_active", "last_login")

    def render_roles(self, record):
        return "；".join(str(a) for a in record.role_assignments.all())


class RoleAssignmentTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    user = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = RoleAssignment
        fields = ("id", "user", "role", "place", "enterprise", "department")
