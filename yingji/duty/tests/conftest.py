import pytest

from yingji.duty.tests.scope_specs import own_room, person
from yingji.framework.roles import Role


@pytest.fixture
def rooms(region):
    """Own duty rooms of the city, both counties and every town (linked by relink_rooms)."""
    out = {}
    for key in ("city", "county0", "county1", "town00", "town01", "town10", "town11"):
        out[key] = own_room(region[key])
    for room in out.values():
        room.refresh_from_db()
    return out


@pytest.fixture
def people(region, make_department):
    """Officials of the town government of town 00 (the roster forms offer department officials)."""
    town = region["town00"]
    government = make_department(place=town, name="崇川区0镇人民政府", kind="government")
    names = ("甲", "乙", "丙", "丁", "戊", "己", "领导一", "领导二", "节日领导")
    return {name: person(town, name, department=government) for name in names}


@pytest.fixture
def town_manager(make_user, region):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


@pytest.fixture
def town_duty(make_user, region):
    return make_user(Role.DUTY_OFFICER, place=region["town00"])


@pytest.fixture
def county_duty(make_user, region):
    return make_user(Role.DUTY_OFFICER, place=region["county0"])
