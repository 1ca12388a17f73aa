"""Scope-matrix specs of the materials object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``. Every row is placed in the given village (a village storage room), so a
town officer of another county neither lists nor reads it; reading up (the county's and the city's
rows) is covered by yingji/materials/tests/test_scope.py.
"""

from decimal import Decimal
from itertools import count

_n = count(1)


def _item(place):
    from yingji.materials.models import Item

    return Item.objects.create(category="shelter", name=f"帐篷{next(_n)}", unit="顶", place=place)


def _warehouse(place):
    from yingji.materials.models import Warehouse

    return Warehouse.objects.create(name=f"{place.name}储备室{next(_n)}", level=place.level, place=place)


def _stock(place):
    from yingji.materials.models import Stock

    return Stock.objects.create(warehouse=_warehouse(place), item=_item(place), batch_no=f"B{next(_n)}")


def _receipt(place):
    from yingji.framework.access import SYSTEM
    from yingji.materials import services

    return services.receive_stock(
        warehouse=_warehouse(place),
        lines=[services.LineIn(item=_item(place), quantity=Decimal("5"))],
        actor=SYSTEM,
        accepted_by="验收员",
    )


def _reserve(place):
    from yingji.materials.models import Reserve

    return Reserve.objects.create(
        kind="contract",
        item=_item(place),
        supplier_name=f"商超{next(_n)}",
        place=place,
        quantity=Decimal("100"),
        delivery_hours=12,
    )


SPECS = {
    "materials.item": {
        "make": _item,
        "create": lambda place: {
            "category": "food",
            "name": f"方便面{next(_n)}",
            "unit": "箱",
            "place": place.code,
        },
        "patch": {"note": "常备"},
    },
    "materials.warehouse": {
        "make": _warehouse,
        "create": lambda place: {"name": f"新储备室{next(_n)}", "place": place.code},
        "patch": {"address": "村委会东侧"},
    },
    "materials.stock": {"make": _stock},
    "materials.reserve": {
        "make": _reserve,
        "create": lambda place: {
            "kind": "capacity",
            "item": _item(place).pk,
            "supplier_name": f"食品厂{next(_n)}",
            "place": place.code,
            "daily_output": "500",
        },
        "patch": {"contact": "王经理 0513-85001234"},
    },
    "materials.movement": {"make": _receipt},
    "materials.ledgerentry": {"make": lambda place: _receipt(place).lines.get().ledger.get()},
}
EXEMPT: dict[str, str] = {}
