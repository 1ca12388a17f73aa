from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.materials.choices import AcceptanceResult, ReceiptSource
from yingji.materials.models import Item, LedgerEntry, Movement, MovementLine, Reserve, Stock, Warehouse

_STAMPS = ["created", "updated"]


class ItemSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="维护该目录条目的地区（通常为市级）的12位区划代码")

    class Meta:
        model = Item
        fields = [
            "id",
            "category",
            "name",
            "specification",
            "unit",
            "shelf_life_days",
            "place",
            "note",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class WarehouseSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="所属地区（与层级一致）的12位区划代码")
    level = serializers.CharField(
        required=False, help_text="city/county/town/village；省略时取所属地区的层级"
    )

    class Meta:
        model = Warehouse
        fields = [
            "id",
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
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class StockSerializer(ScopedSerializer):
    item_name = serializers.CharField(source="item.__str__", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stock
        fields = [
            "id",
            "warehouse",
            "item",
            "item_name",
            "unit",
            "batch_no",
            "production_date",
            "expiry_date",
            "quantity",
            "expired",
            *_STAMPS,
        ]
        read_only_fields = fields


class ReserveSerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Reserve
        fields = [
            "id",
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
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class MovementLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = MovementLine
        fields = [
            "id",
            "direction",
            "item",
            "stock",
            "to_stock",
            "batch_no",
            "production_date",
            "expiry_date",
            "quantity",
            "book_quantity",
            "counted_quantity",
        ]
        read_only_fields = fields


class MovementSerializer(ScopedSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    destination_place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = MovementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "warehouse",
            "to_warehouse",
            "place",
            "occurred_at",
            "note",
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
            "lines",
            *_STAMPS,
        ]
        read_only_fields = fields


class LedgerEntrySerializer(ScopedSerializer):
    document = serializers.CharField(source="line.movement.number", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "at",
            "warehouse",
            "item",
            "stock",
            "batch_no",
            "delta",
            "balance_after",
            "line",
            "document",
        ]
        read_only_fields = fields


# --- inputs of the movement endpoints ---------------------------------------------------------------
class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A related row given by id, looked up among the rows the caller may view (others read as missing)."""

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.context["request"].user)


class LineInSerializer(serializers.Serializer):
    item = ScopedPK(queryset=Item.objects.all(), required=False)
    stock = ScopedPK(queryset=Stock.objects.all(), required=False, help_text="批次（库存编号）")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    batch_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    production_date = serializers.DateField(required=False, allow_null=True, default=None)
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if not attrs.get("item") and not attrs.get("stock"):
            raise serializers.ValidationError({"item": ["请选择物资或批次。"]}, code="item_required")
        return attrs


class CountInSerializer(serializers.Serializer):
    stock = ScopedPK(queryset=Stock.objects.all())
    counted = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class ReceiptInSerializer(serializers.Serializer):
    warehouse = ScopedPK(queryset=Warehouse.objects.all())
    lines = LineInSerializer(many=True)
    accepted_by = serializers.CharField(max_length=50)
    acceptance_result = serializers.ChoiceField(
        choices=AcceptanceResult.choices, default=AcceptanceResult.QUALIFIED
    )
    source = serializers.ChoiceField(choices=ReceiptSource.choices, required=False, default="")
    supplier = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IssueInSerializer(serializers.Serializer):
    warehouse = ScopedPK(queryset=Warehouse.objects.all())
    lines = LineInSerializer(many=True)
    incident = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    place = PlaceCodeField(required=False, allow_null=True, default=None, help_text="发往地区的12位区划代码")
    recipient = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TransferInSerializer(serializers.Serializer):
    source = ScopedPK(queryset=Warehouse.objects.all())
    destination = ScopedPK(queryset=Warehouse.objects.all())
    lines = LineInSerializer(many=True)
    reason = serializers.CharField(max_length=300)


class StocktakeInSerializer(serializers.Serializer):
    warehouse = ScopedPK(queryset=Warehouse.objects.all())
    counts = CountInSerializer(many=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ScrapInSerializer(serializers.Serializer):
    warehouse = ScopedPK(queryset=Warehouse.objects.all())
    lines = LineInSerializer(many=True)
    reason = serializers.CharField(max_length=300)


class RotationInSerializer(serializers.Serializer):
    warehouse = ScopedPK(queryset=Warehouse.objects.all())
    out_lines = LineInSerializer(many=True)
    in_lines = LineInSerializer(many=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
