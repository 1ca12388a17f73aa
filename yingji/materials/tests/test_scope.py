"""Reading up: a town sees its own, its county's and the city's warehouses and stock, read-only;
department officers manage only their own department's warehouses."""

from decimal import Decimal

import pytest

from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.materials import services
from yingji.materials.models import Item, Stock, Warehouse

pytestmark = pytest.mark.django_db


def test_town_reads_its_superiors_warehouses_but_not_siblings(warehouses, officers):
    town = officers["town00"]
    visible = set(Warehouse.objects.visible_to(town).values_list("pk", flat=True))
    expected = {warehouses[k].pk for k in ("city", "county0", "town00", "village000")}
    assert visible == expected  # not county1, town01 (sibling) or town10
    changeable = set(Warehouse.objects.visible_to(town, "change").values_list("pk", flat=True))
    assert changeable == {warehouses["town00"].pk, warehouses["village000"].pk}


def test_town_cannot_operate_the_county_warehouse(warehouses, items, receive, officers):
    receive(warehouses["county0"], items["tent"], "10")
    town = officers["town00"]
    assert Stock.objects.visible_to(town).count() == 1  # reads the county's stock
    with pytest.raises(AccessDenied):
        services.issue_stock(
            warehouse=warehouses["county0"],
            lines=[services.LineIn(item=items["tent"], quantity=Decimal("1"))],
            actor=town,
            recipient="x",
        )
    with pytest.raises(AccessDenied):
        receive(warehouses["county0"], items["tent"], "1", actor=town)


def test_read_up_through_the_api_and_pages(warehouses, officers, api, client):
    town = officers["town00"]
    county_wh = warehouses["county0"]
    c = api(town)
    assert c.get(f"/api/v1/materials/warehouses/{county_wh.pk}/").status_code == 200
    assert c.get(f"/api/v1/materials/warehouses/{warehouses['county1'].pk}/").status_code == 404
    patched = c.patch(f"/api/v1/materials/warehouses/{county_wh.pk}/", {"address": "x"}, format="json")
    assert patched.status_code == 404  # read-only to the town: not among the rows it may change
    client.force_login(town)
    assert client.get(county_wh.get_absolute_url()).status_code == 200
    assert client.get(f"/materials/warehouses/{county_wh.pk}/edit/").status_code == 404


def test_catalogue_is_read_by_every_level_and_department(items, region, make_user, make_department):
    dept = make_department(place=region["county0"])
    officer = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=dept)
    town = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    for user in (officer, town):
        assert Item.objects.visible_to(user).count() == len(items)
        assert Item.objects.visible_to(user, "change").count() == 0  # the city keeps it


def test_department_officer_manages_only_its_own_warehouses(
    region, items, receive, make_user, make_department
):
    dept = make_department(place=region["county0"], name="县发展改革委")
    other = make_department(place=region["county0"], name="县民政局")
    own = Warehouse.objects.create(name="粮储库", level="county", place=region["county0"], owner=dept)
    foreign = Warehouse.objects.create(name="民政库", level="county", place=region["county0"], owner=other)
    officer = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=dept)
    assert set(Warehouse.objects.visible_to(officer)) == {own}
    receive(own, items["quilt"], "5", actor=officer)
    with pytest.raises(AccessDenied):
        receive(foreign, items["quilt"], "5", actor=officer)


def test_leader_and_duty_officer_only_read(warehouses, items, receive, make_user, region):
    receive(warehouses["city"], items["tent"], "10")
    for role in (Role.LEADER, Role.DUTY_OFFICER):
        user = make_user(role, place=region["city"])
        assert Stock.objects.visible_to(user).count() == 1
        assert not services.may_operate(user, warehouses["city"])
