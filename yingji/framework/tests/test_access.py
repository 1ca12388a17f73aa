"""The access filter's rules, one by one (the matrix test covers every endpoint)."""

import pytest

from yingji.accounts.models import Person
from yingji.framework.access import AccessDenied, allows_object, check_object, has_clearance
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise
from yingji.places.models import Place


def test_town_officer_sees_the_town_and_its_villages_only(region, make_user):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    codes = set(Place.objects.visible_to(officer).values_list("code", flat=True))
    assert codes == {region["town00"].code, region["village000"].code, region["village001"].code}


def test_enterprise_user_sees_only_its_enterprise(region, make_user, make_enterprise):
    own = make_enterprise(place=region["village000"])
    neighbour = make_enterprise(place=region["village000"])
    user = make_user(Role.ENTERPRISE_USER, enterprise=own, place=region["village000"])
    assert list(Enterprise.objects.visible_to(user)) == [own]
    assert not Enterprise.objects.visible_to(user).filter(pk=neighbour.pk).exists()
    # its staff, not the neighbour's
    mine = Person.objects.create(name="员工", place=region["village000"], enterprise=own)
    Person.objects.create(name="别家员工", place=region["village000"], enterprise=neighbour)
    assert list(Person.objects.visible_to(user)) == [mine]


def test_department_officer_sees_enterprises_it_regulates_in_its_place(
    region, make_user, make_enterprise, make_department
):
    dept = make_department(place=region["county0"])
    regulated = make_enterprise(place=region["village000"], regulator=dept)
    make_enterprise(place=region["village000"])  # regulated by nobody
    make_enterprise(place=region["village100"], regulator=dept)  # other county
    officer = make_user(Role.DEPARTMENT_OFFICER, department=dept, place=region["county0"])
    assert list(Enterprise.objects.visible_to(officer)) == [regulated]


def test_assignments_are_or_ed(region, make_user, make_enterprise):
    a = make_enterprise(place=region["village000"])
    b = make_enterprise(place=region["village100"])
    user = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    from yingji.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, place=region["town10"])
    assert set(Enterprise.objects.visible_to(user)) == {a, b}


def test_roles_without_the_action_see_nothing(region, make_user, make_enterprise):
    make_enterprise()
    info_officer = make_user(Role.DISASTER_INFO_OFFICER, place=region["city"])
    assert not Enterprise.objects.visible_to(info_officer).exists()
    grid = make_user(Role.GRID_WORKER, place=region["city"])
    assert Enterprise.objects.visible_to(grid).exists()
    assert not Enterprise.objects.visible_to(grid, "change").exists()


def test_inactive_and_anonymous_users_see_nothing(region, make_user, make_enterprise):
    from django.contrib.auth.models import AnonymousUser

    make_enterprise()
    admin = make_user(Role.PLATFORM_ADMIN)
    admin.is_active = False
    assert not Enterprise.objects.visible_to(admin).exists()
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()


def test_object_check_agrees_with_the_query_filter(region, make_user, make_enterprise):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    inside = Enterprise(name="新", uscc="x", industry="26", place=region["village001"])
    outside = Enterprise(name="新", uscc="y", industry="26", place=region["village100"])
    assert allows_object(officer, "add", inside)
    assert not allows_object(officer, "add", outside)
    with pytest.raises(AccessDenied) as exc:
        check_object(officer, "add", outside)
    assert exc.value.code == "out_of_scope"
    for village in ("village000", "village100"):
        obj = make_enterprise(place=region[village])
        assert (
            allows_object(officer, "view", obj)
            == Enterprise.objects.visible_to(officer).filter(pk=obj.pk).exists()
        )


def test_clearance(region, make_user):
    assert has_clearance(make_user(Role.DUTY_OFFICER, place=region["city"]))
    assert not has_clearance(make_user(Role.GRID_WORKER, place=region["village000"]))


def test_a_scoped_role_without_scope_is_refused(make_user):
    from django.core.exceptions import ValidationError

    from yingji.accounts.models import RoleAssignment

    user = make_user(role=None)
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role=Role.BUREAU_OFFICER).full_clean()
    RoleAssignment(user=user, role=Role.PLATFORM_ADMIN).full_clean()
