from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "yingji.materials"
    label = "materials"
    verbose_name = _("应急物资")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import ADD, ALL, CHANGE, READ, VIEW, Role, grant
        from yingji.materials import filtersets as f
        from yingji.materials import forms, models, services, tables
        from yingji.materials.api import serializers as s
        from yingji.materials.api import views as v

        common = {"section": "command"}
        register(
            ObjectType(
                model=models.Item,
                filterset=f.ItemFilterSet,
                table=tables.ItemTable,
                form=forms.ItemForm,
                serializer=s.ItemSerializer,
                viewset=v.ItemViewSet,
                api_prefix="materials/items",
                detail_fields=(
                    "category",
                    "name",
                    "specification",
                    "unit",
                    "shelf_life_days",
                    "place",
                    "note",
                ),
                list_select_related=("place",),
                search_fields=("name", "specification"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Warehouse,
                filterset=f.WarehouseFilterSet,
                table=tables.WarehouseTable,
                form=forms.WarehouseForm,
                serializer=s.WarehouseSerializer,
                viewset=v.WarehouseViewSet,
                save=services.save_warehouse,
                api_prefix="materials/warehouses",
                detail_fields=(
                    "name",
                    "level",
                    "place",
                    "owner",
                    "address",
                    "longitude",
                    "latitude",
                    "area_m2",
                    "capacity_m3",
                    "keeper",
                    "phone",
                    "is_active",
                ),
                list_select_related=("place", "owner", "keeper"),
                search_fields=("name", "address"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Stock,
                filterset=f.StockFilterSet,
                table=tables.StockTable,
                serializer=s.StockSerializer,
                viewset=v.StockViewSet,
                api_prefix="materials/stocks",
                detail_fields=("warehouse", "item", "batch_no", "production_date", "expiry_date", "quantity"),
                export_fields=(
                    ("warehouse__name", "仓库"),
                    ("item__name", "物资"),
                    ("item__specification", "规格型号"),
                    ("item__unit", "单位"),
                    ("batch_no", "批号"),
                    ("production_date", "生产日期"),
                    ("expiry_date", "有效期至"),
                    ("quantity", "库存数量"),
                ),
                list_select_related=("warehouse", "item"),
                search_fields=("item__name", "batch_no", "warehouse__name"),
                extra={"read_only": True},
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Reserve,
                filterset=f.ReserveFilterSet,
                table=tables.ReserveTable,
                form=forms.ReserveForm,
                serializer=s.ReserveSerializer,
                viewset=v.ReserveViewSet,
                api_prefix="materials/reserves",
                detail_fields=(
                    "kind",
                    "item",
                    "supplier",
                    "supplier_name",
                    "place",
                    "owner",
                    "contract_no",
                    "quantity",
                    "delivery_hours",
                    "daily_output",
                    "valid_from",
                    "valid_until",
                    "contact",
                ),
                list_select_related=("item", "supplier", "place"),
                search_fields=("supplier_name", "contract_no", "item__name", "supplier__name"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Movement,
                filterset=f.MovementFilterSet,
                table=tables.MovementTable,
                serializer=s.MovementSerializer,
                viewset=v.MovementViewSet,
                api_prefix="materials/movements",
                detail_fields=(
                    "number",
                    "kind",
                    "status",
                    "warehouse",
                    "to_warehouse",
                    "place",
                    "occurred_at",
                    "created_by",
                    "source",
                    "supplier",
                    "accepted_by",
                    "acceptance_result",
                    "recipient_kind",
                    "incident",
                    "destination_place",
                    "recipient",
                    "destination_longitude",
                    "destination_latitude",
                    "reason",
                    "requested_by",
                    "requested_at",
                    "approved_by",
                    "approved_at",
                    "dispatched_by",
                    "dispatched_at",
                    "received_by",
                    "received_at",
                    "closed_reason",
                    "note",
                ),
                list_select_related=("warehouse", "to_warehouse", "place"),
                search_fields=("number", "incident", "recipient", "reason"),
                extra={"read_only": True},
                **common,
            )
        )
        register(
            ObjectType(
                model=models.LedgerEntry,
                filterset=f.LedgerEntryFilterSet,
                table=tables.LedgerEntryTable,
                serializer=s.LedgerEntrySerializer,
                viewset=v.LedgerEntryViewSet,
                api_prefix="materials/ledger-entries",
                detail_fields=(
                    "at",
                    "warehouse",
                    "item",
                    "stock",
                    "batch_no",
                    "delta",
                    "balance_after",
                    "line",
                ),
                list_select_related=("warehouse", "item", "line__movement"),
                search_fields=("batch_no", "item__name"),
                extra={"read_only": True},
                **common,
            )
        )

        # Role matrix (docs/materials.md): bureau officers manage everything in their place subtree;
        # department officers manage the warehouses, stock, reserves and documents of their own
        # department (Scope.department narrows them); leaders and duty officers read; disaster
        # information officers and grid workers read the network. Nobody deletes stock, documents or
        # ledger entries (corrections are new documents).
        operate = {VIEW, CHANGE}
        documents = {VIEW, ADD, CHANGE}
        labels = {
            "item": "materials.item",
            "warehouse": "materials.warehouse",
            "stock": "materials.stock",
            "reserve": "materials.reserve",
            "movement": "materials.movement",
            "ledger": "materials.ledgerentry",
        }
        grant(Role.BUREAU_OFFICER, labels["item"], ALL)
        grant(Role.BUREAU_OFFICER, labels["warehouse"], ALL)
        grant(Role.BUREAU_OFFICER, labels["reserve"], ALL)
        grant(Role.BUREAU_OFFICER, labels["stock"], operate)
        grant(Role.BUREAU_OFFICER, labels["movement"], documents)
        grant(Role.BUREAU_OFFICER, labels["ledger"], READ)
        grant(Role.DEPARTMENT_OFFICER, labels["item"], READ)
        grant(Role.DEPARTMENT_OFFICER, labels["warehouse"], operate)
        grant(Role.DEPARTMENT_OFFICER, labels["reserve"], {VIEW, ADD, CHANGE})
        grant(Role.DEPARTMENT_OFFICER, labels["stock"], operate)
        grant(Role.DEPARTMENT_OFFICER, labels["movement"], documents)
        grant(Role.DEPARTMENT_OFFICER, labels["ledger"], READ)
        for role in (Role.LEADER, Role.DUTY_OFFICER):
            for label in labels.values():
                grant(role, label, READ)
        for role in (Role.DISASTER_INFO_OFFICER, Role.GRID_WORKER):
            for key in ("item", "warehouse", "stock"):
                grant(role, labels[key], READ)

        services.register_rules()
