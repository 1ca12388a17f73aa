import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.materials.choices import (
    Direction,
    ItemCategory,
    MovementKind,
    MovementStatus,
    ReserveKind,
    WarehouseLevel,
)
from yingji.materials.models import Item, LedgerEntry, Movement, MovementLine, Reserve, Stock, Warehouse


class ItemFilterSet(BaseFilterSet):
    category = django_filters.ChoiceFilter(choices=ItemCategory.choices, label=_("类别"))

    class Meta:
        model = Item
        fields = ["category"]


class WarehouseFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    level = django_filters.ChoiceFilter(choices=WarehouseLevel.choices, label=_("层级"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("管理单位编号"))

    class Meta:
        model = Warehouse
        fields = ["place", "level", "owner", "is_active"]


class StockFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="warehouse__place")
    warehouse = django_filters.NumberFilter(field_name="warehouse_id", label=_("仓库编号"))
    item = django_filters.NumberFilter(field_name="item_id", label=_("物资编号"))
    category = django_filters.ChoiceFilter(
        field_name="item__category", choices=ItemCategory.choices, label=_("类别")
    )
    level = django_filters.ChoiceFilter(
        field_name="warehouse__level", choices=WarehouseLevel.choices, label=_("层级")
    )
    in_stock = django_filters.BooleanFilter(method="filter_in_stock", label=_("有库存"))
    expires_before = django_filters.DateFilter(
        field_name="expiry_date", lookup_expr="lte", label=_("有效期不晚于")
    )

    class Meta:
        model = Stock
        fields = ["place", "warehouse", "item", "category", "level", "in_stock", "expires_before"]

    def filter_in_stock(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(quantity__gt=0) if value else queryset.filter(quantity=0)


class ReserveFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=ReserveKind.choices, label=_("储备方式"))
    item = django_filters.NumberFilter(field_name="item_id", label=_("物资编号"))

    class Meta:
        model = Reserve
        fields = ["place", "kind", "item"]


class MovementFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=MovementKind.choices, label=_("单据类型"))
    status = django_filters.ChoiceFilter(choices=MovementStatus.choices, label=_("状态"))
    warehouse = django_filters.NumberFilter(method="filter_warehouse", label=_("仓库编号"))
    since = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("业务日期起")
    )
    until = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("业务日期止")
    )

    class Meta:
        model = Movement
        fields = ["place", "kind", "status", "warehouse", "since", "until"]

    def filter_warehouse(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(warehouse_id=value) | Q(to_warehouse_id=value)) if value else queryset


class MovementLineFilterSet(BaseFilterSet):
    movement = django_filters.NumberFilter(field_name="movement_id", label=_("单据编号"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("方向"))

    class Meta:
        model = MovementLine
        fields = ["movement", "direction"]


class LedgerEntryFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter(place_field="warehouse__place")
    warehouse = django_filters.NumberFilter(field_name="warehouse_id", label=_("仓库编号"))
    item = django_filters.NumberFilter(field_name="item_id", label=_("物资编号"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("记账日期起"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("记账日期止"))

    class Meta:
        model = LedgerEntry
        fields = ["place", "warehouse", "item", "since", "until"]
