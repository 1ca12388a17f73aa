import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yingji.framework.tables import BaseTable
from yingji.materials.models import Item, LedgerEntry, Movement, Reserve, Stock, Warehouse


class ItemTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Item
        fields = ("name", "category", "specification", "unit", "shelf_life_days", "place")


class WarehouseTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True, order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Warehouse
        fields = ("name", "level", "place", "owner", "capacity_m3", "keeper", "phone", "is_active")


class StockTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    warehouse = tables.Column(linkify=True)
    item = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Stock
        fields = ("id", "warehouse", "item", "batch_no", "production_date", "expiry_date", "quantity")


class ReserveTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")

    class Meta(BaseTable.Meta):
        model = Reserve
        fields = (
            "id",
            "kind",
            "item",
            "supplier",
            "supplier_name",
            "place",
            "quantity",
            "delivery_hours",
            "daily_output",
            "valid_until",
        )


class MovementTable(BaseTable):
    number = tables.Column(linkify=True)
    warehouse = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Movement
        fields = ("number", "kind", "status", "warehouse", "to_warehouse", "occurred_at", "place")


class LedgerEntryTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("记账时间"))
    document = tables.Column(accessor="line__movement__number", verbose_name=_("单据编号"), orderable=False)

    class Meta(BaseTable.Meta):
        model = LedgerEntry
        fields = ("id", "at", "warehouse", "item", "batch_no", "delta", "balance_after", "document")
