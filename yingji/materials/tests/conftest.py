"""Fixtures of the materials tests: a catalogue, one warehouse per level of the ``region`` tree, users."""

import datetime as dt
from decimal import Decimal

import pytest

from yingji.framework.access import SYSTEM
from yingji.framework.roles import Role
from yingji.materials import services
from yingji.materials.models import Item, Warehouse


@pytest.fixture
def items(region):
    city = region["city"]
    return {
        "tent": Item.objects.create(
            category="shelter", name="帐篷", specification="12平方米", unit="顶", place=city
        ),
        "quilt": Item.objects.create(category="shelter", name="棉被", unit="床", place=city),
        "food": Item.objects.create(
            category="food", name="方便食品", unit="箱", shelf_life_days=365, place=city
        ),
        "water": Item.objects.create(
            category="water", name="饮用水", unit="箱", shelf_life_days=540, place=city
        ),
    }


@pytest.fixture
def warehouses(region):
    def make(key, level):
        place = region[key]
        return Warehouse.objects.create(name=f"{place.name}物资库", level=level, place=place)

    return {
        "city": make("city", "city"),
        "county0": make("county0", "county"),
        "county1": make("county1", "county"),
        "town00": make("town00", "town"),
        "town01": make("town01", "town"),
        "town10": make("town10", "town"),
        "village000": make("village000", "village"),
    }


@pytest.fixture
def officers(make_user, region):
    return {
        "city": make_user(Role.BUREAU_OFFICER, place=region["city"]),
        "city2": make_user(Role.BUREAU_OFFICER, place=region["city"]),
        "county0": make_user(Role.BUREAU_OFFICER, place=region["county0"]),
        "county0b": make_user(Role.BUREAU_OFFICER, place=region["county0"]),
        "county1": make_user(Role.BUREAU_OFFICER, place=region["county1"]),
        "town00": make_user(Role.BUREAU_OFFICER, place=region["town00"]),
        "town01": make_user(Role.BUREAU_OFFICER, place=region["town01"]),
        "leader": make_user(Role.LEADER, place=region["city"]),
    }


@pytest.fixture
def receive():
    """``receive(warehouse, item, qty, batch="", expiry=None)``: a receipt posted by the platform."""

    def factory(warehouse, item, quantity, batch="", expiry=None, production=None, actor=SYSTEM):
        if expiry is None and item.shelf_life_days:
            expiry = dt.date.today() + dt.timedelta(days=200)
        return services.receive_stock(
            warehouse=warehouse,
            lines=[
                services.LineIn(
                    item=item,
                    quantity=Decimal(quantity),
                    batch_no=batch,
                    expiry_date=expiry,
                    production_date=production,
                )
            ],
            actor=actor,
            accepted_by="张三",
        )

    return factory
