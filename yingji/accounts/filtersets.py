import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.framework.roles import Role


class PersonFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = Person
        fields = ["place", "enterprise", "department"]


class UserFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(
        field_name="role_assignments__role", choices=Role.choices, label=_("角色"), distinct=True
    )
    place = PlaceSubtreeFilter(place_field="person__place")

    class Meta:
        model = User
        fields = ["role", "place", "is_active"]


class RoleAssignmentFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "place", "enterprise", "department"]
