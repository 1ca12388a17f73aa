"""The demo city generator and the ``yingji demo`` command.

One small city (200 enterprises) is loaded once per module inside a transaction that is rolled back at
the end; every test runs in a savepoint within it, so tests that change data do not affect the others.
"""

import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.audit.models import ObjectChange
from yingji.demo import catalogue
from yingji.demo.generator import DEMO_USERS, DemoError, load_demo
from yingji.framework.roles import Role
from yingji.orgs.catalogues import DIVISIONS, RISK_FLAGS
from yingji.orgs.models import Committee, Department, Enterprise, Intermediary
from yingji.places.models import Place
from yingji.places.services import boundaries_changed, locate_point_id
from yingji.utilities.identifiers import (
    validate_landline,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

N_ENTERPRISES = 200
HAIMEN = "320614000000"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            counts = load_demo(seed=2026, enterprises=N_ENTERPRISES)
            yield counts
            transaction.set_rollback(True)
    boundaries_changed()


def digest() -> str:
    """Everything that must not depend on the database: names, codes, numbers, coordinates, scopes."""
    h = hashlib.sha256()
    for row in Place.objects.order_by("code").values_list(
        "code", "name", "path", "population", "centroid_lon"
    ):
        h.update(repr(row).encode())
    for row in Department.objects.order_by("place__code", "name").values_list("name", "phone", "longitude"):
        h.update(repr(row).encode())
    for row in Enterprise.objects.order_by("uscc").values_list(
        "uscc",
        "name",
        "industry",
        "scale",
        "employees",
        "risk_flags",
        "operating_status",
        "address",
        "longitude",
        "latitude",
        "place__code",
        "regulator__name",
        "principal_name",
        "principal_mobile",
    ):
        h.update(repr(row).encode())
    for row in Intermediary.objects.order_by("uscc").values_list("uscc", "name", "kind", "place__code"):
        h.update(repr(row).encode())
    for row in Person.objects.order_by("mobile").values_list(
        "mobile", "name", "id_number", "position", "place__code"
    ):
        h.update(repr(row).encode())
    for row in RoleAssignment.objects.order_by("user__username").values_list(
        "user__username", "role", "place__code", "enterprise__uscc", "department__name"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_region_tree_and_counts(demo, db):
    levels = Counter(Place.objects.values_list("level", flat=True))
    assert levels["city"] == 1 and levels["county"] == 7
    assert 95 <= levels["town"] <= 105 and 1800 <= levels["village"] <= 2000
    assert demo["places"] == sum(levels.values())
    by_pk = {p.pk: p for p in Place.objects.defer("boundary")}
    for p in by_pk.values():
        expected = (by_pk[p.parent_id].path if p.parent_id else "") + p.code + "/"
        assert p.path == expected
    assert Enterprise.objects.count() == demo["enterprises"] == N_ENTERPRISES
    assert Intermediary.objects.count() == demo["intermediaries"] == 60
    assert Person.objects.filter(enterprise__isnull=False).count() >= 2 * N_ENTERPRISES
    assert Person.objects.filter(position="网格员").count() == levels["village"]
    assert ObjectChange.objects.count() >= demo["audit_entries"] > 0


def test_departments_and_committees(demo, db):
    n_types = len(catalogue.DEPARTMENT_TYPES)
    for place in Place.objects.filter(level__in=["city", "county"]):
        depts = Department.objects.filter(place=place)
        assert depts.count() == n_types
        assert depts.filter(kind="emergency").count() == 1
        assert depts.get(kind="emergency").name == place.name + "应急管理局"
        safety = Committee.objects.get(place=place, kind="safety")
        assert safety.children.filter(kind="special").count() == 13
        assert Committee.objects.filter(place=place, kind="fire").count() == 1
    assert (
        Department.objects.filter(place__level="town", kind="government").count()
        == Place.objects.filter(level="town").count()
    )
    assert Department.objects.get(name="南通市消防救援支队").kind == "comprehensive"
    assert Department.objects.filter(name="海门区消防救援大队").exists()
    for dept in Department.objects.all():
        assert validate_landline(dept.phone) == dept.phone and dept.phone.startswith("0513-")
        assert 3 <= len(dept.duty_list) <= 5
        assert dept.has_location
    for committee in Committee.objects.all():
        roles = Counter(committee.memberships.values_list("role", flat=True))
        assert roles["chair"] == 1 and roles["member"] >= 3
        assert all(m.department.place_id == committee.place_id for m in committee.memberships.all())


def test_enterprises_are_valid_and_located_in_their_village(demo, db):
    flags = {code for code, _label in RISK_FLAGS}
    names = set()
    for e in Enterprise.objects.select_related("place__parent__parent", "regulator"):
        assert validate_uscc(e.uscc) == e.uscc
        county = e.place.parent.parent
        assert e.uscc[:8] == "91" + county.code[:6]
        assert e.place.level == "village"
        assert locate_point_id(e.longitude, e.latitude) == e.place_id, e.name
        assert e.industry in DIVISIONS and set(e.risk_flags) <= flags
        assert e.regulator.place_id == county.pk
        assert validate_mobile(e.principal_mobile) and validate_mobile(e.safety_manager_mobile)
        assert e.principal_name and e.safety_manager_name and e.address.startswith("南通市" + county.name)
        if "major_hazard_source" in e.risk_flags:
            assert "hazardous_chemicals" in e.risk_flags
        names.add(e.name)
    assert len(names) == N_ENTERPRISES
    statuses = Counter(Enterprise.objects.values_list("operating_status", flat=True))
    assert statuses["operating"] > 0.8 * N_ENTERPRISES
    manufacturing = Enterprise.objects.filter(industry__gte="13", industry__lte="43").count()
    assert manufacturing > 0.3 * N_ENTERPRISES


def test_persons_have_valid_numbers(demo, db):
    persons = list(Person.objects.all())
    mobiles = [p.mobile for p in persons]
    assert len(set(mobiles)) == len(mobiles)
    assert all(validate_mobile(m) == m for m in mobiles)
    with_id = [p for p in persons if p.id_number]
    assert 0.35 < len(with_id) / len(persons) < 0.65
    for p in with_id:
        assert validate_resident_id(p.id_number) == p.id_number
        assert "1960" <= p.id_number[6:10] <= "2000"
    e = Enterprise.objects.first()
    staff = {p.position: p for p in e.persons.all()}
    assert staff["主要负责人"].name == e.principal_name and staff["主要负责人"].mobile == e.principal_mobile
    assert staff["安全管理人员"].name == e.safety_manager_name


def test_demo_users_roles_scopes_and_password(demo, db):
    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("person")}
    assert set(users) == {u.username for u in DEMO_USERS}
    for spec in DEMO_USERS:
        user = users[spec.username]
        assert user.person is not None and user.first_name
        assert authenticate(username=spec.username, password=settings.DEMO_PASSWORD) == user
        assert [a.role for a in user.role_assignments.all()] == [spec.role]
    scope = {
        a.user.username: a
        for a in RoleAssignment.objects.select_related("user", "place", "enterprise", "department")
    }
    assert scope["admin"].place is None and scope["admin"].role == Role.PLATFORM_ADMIN
    assert scope["city_officer"].place.level == "city"
    assert scope["county_officer"].place.code == HAIMEN
    town = scope["town_officer"].place
    assert town.level == "town" and town.parent.code == HAIMEN
    assert scope["dept_officer"].department.name == "海门区住房和城乡建设局"
    assert scope["dept_officer"].place.code == HAIMEN
    assert scope["enforcer"].place.code == HAIMEN
    enterprise = scope["enterprise_user"].enterprise
    assert enterprise.place.parent == town and scope["enterprise_user"].place == enterprise.place
    assert users["enterprise_user"].person.enterprise == enterprise
    assert scope["grid_worker"].place.parent == town
    assert scope["info_officer"].place == town
    for name in ("duty_officer", "expert", "leader"):
        assert scope[name].place.level == "city"


def test_town_officer_sees_only_their_town(demo, db):
    user = User.objects.get(username="town_officer")
    town = user.role_assignments.get().place
    visible = set(Enterprise.objects.visible_to(user).values_list("pk", flat=True))
    in_town = set(Enterprise.objects.filter(place__path__startswith=town.path).values_list("pk", flat=True))
    assert visible == in_town
    assert 0 < len(visible) < Enterprise.objects.count()


def test_audit_entries_for_created_enterprises(demo, db):
    entries = ObjectChange.objects.filter(content_type__model="enterprise", action="create")
    assert set(entries.values_list("source", flat=True)) == {"command"}
    assert set(entries.values_list("object_id", flat=True)) == {
        str(pk) for pk in Enterprise.objects.values_list("pk", flat=True)
    }
    entry = entries.first()
    assert entry.place.level == "village" and entry.after["uscc"]


def test_if_empty_is_a_noop_on_a_loaded_database(demo, db):
    before = (Place.objects.count(), Enterprise.objects.count(), ObjectChange.objects.count())
    out = StringIO()
    call_command("demo", "load", "--if-empty", stdout=out)
    assert (Place.objects.count(), Enterprise.objects.count(), ObjectChange.objects.count()) == before
    assert "跳过" in out.getvalue()


def test_load_refuses_a_non_empty_database(demo, db):
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo", "load", stdout=StringIO())
    with pytest.raises(DemoError) as exc:
        load_demo(enterprises=10)
    assert exc.value.code == "not_empty"


def test_replace_with_bad_options_changes_nothing(demo, db):
    before = (Place.objects.count(), Enterprise.objects.count(), ObjectChange.objects.count())
    with pytest.raises(CommandError, match="enterprises_out_of_range"):
        call_command("demo", "load", "--replace", "--enterprises", "-1", stdout=StringIO())
    assert (Place.objects.count(), Enterprise.objects.count(), ObjectChange.objects.count()) == before


def test_remove_users(demo, db):
    persons = Person.objects.count()
    call_command("demo", "remove-users", stdout=StringIO())
    assert not User.objects.filter(is_demo=True).exists()
    assert not RoleAssignment.objects.filter(user__username__in=[u.username for u in DEMO_USERS]).exists()
    assert Person.objects.count() == persons
    assert ObjectChange.objects.filter(content_type__model="user", action="delete").count() == len(DEMO_USERS)


def test_replace_gives_the_same_city_for_the_same_seed(demo, db):
    first = digest()
    out = StringIO()
    call_command("demo", "load", "--replace", "--enterprises", str(N_ENTERPRISES), stdout=out)
    assert "town_officer" in out.getvalue()  # the logins table
    assert digest() == first
    assert Enterprise.objects.count() == N_ENTERPRISES
    connection.check_constraints()  # no dangling foreign keys (e.g. change-log entries of deleted places)


def test_digest_sees_a_changed_name(demo, db):
    first = digest()
    Enterprise.objects.filter(pk=Enterprise.objects.order_by("pk").first().pk).update(name="改名后的企业")
    assert digest() != first
