"""Forms of the materials pages: the catalogue, warehouses and reserves (model forms) and one form
per kind of movement (parsed here, posted by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.materials.choices import AcceptanceResult, ReceiptSource
from yingji.materials.models import Item, Reserve, Stock, Warehouse

QTY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(ScopedModelForm):
    class Meta:
        model = Item
        fields = ["category", "name", "specification", "unit", "shelf_life_days", "place", "note"]


class WarehouseForm(ScopedModelForm):
    class Meta:
        model = Warehouse
        fields = [
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
        ]


class ReserveForm(ScopedModelForm):
    class Meta:
        model = Reserve
        fields = [
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
        ]
        widgets = {"valid_from": DATE, "valid_until": DATE}


def operable_warehouses(user):
    """Warehouses whose stock ``user`` may change (its own level and below; its department's)."""
    return Warehouse.objects.visible_to(user, "change").filter(is_active=True).select_related("place")


class MovementForm(forms.Form):
    """Base of the movement forms: Bootstrap classes, dropdowns limited to what the user may use."""

    def __init__(self, *args, user=None, warehouse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.warehouse = warehouse
        if "warehouse" in self.fields:
            self.fields["warehouse"].queryset = operable_warehouses(user)
        if "item" in self.fields:
            self.fields["item"].queryset = Item.objects.visible_to(user)
        if "stock" in self.fields:
            qs = Stock.objects.visible_to(user, "change").select_related("item").filter(quantity__gt=0)
            self.fields["stock"].queryset = qs.filter(warehouse=warehouse) if warehouse else qs.none()
            self.fields["stock"].label_from_instance = lambda s: (
                f"{s.item} 批号{s.batch_no or '—'} 有效期{s.expiry_date or '—'} 库存{s.quantity}{s.item.unit}"
            )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_service_error(self, exc):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class ReceiptForm(MovementForm):
    warehouse = forms.ModelChoiceField(Warehouse.objects.none(), label=_("入库仓库"))
    item = forms.ModelChoiceField(Item.objects.none(), label=_("物资"))
    batch_no = forms.CharField(label=_("批号"), max_length=40, required=False)
    production_date = forms.DateField(label=_("生产日期"), required=False, widget=DATE)
    expiry_date = forms.DateField(
        label=_("有效期至"), required=False, widget=DATE, help_text=_("留空时按生产日期和保质期计算")
    )
    quantity = forms.DecimalField(label=_("数量"), **QTY)
    source = forms.ChoiceField(label=_("来源"), choices=ReceiptSource.choices)
    supplier = forms.CharField(label=_("供货单位"), max_length=120, required=False)
    accepted_by = forms.CharField(label=_("验收人"), max_length=50)
    acceptance_result = forms.ChoiceField(label=_("验收结论"), choices=AcceptanceResult.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class IssueForm(MovementForm):
    warehouse = forms.ModelChoiceField(Warehouse.objects.none(), label=_("出库仓库"))
    item = forms.ModelChoiceField(Item.objects.none(), label=_("物资"))
    stock = forms.ModelChoiceField(
        Stock.objects.none(), label=_("批次"), required=False, help_text=_("留空时按先到期先出自动分配批次")
    )
    quantity = forms.DecimalField(label=_("数量"), **QTY)
    incident = forms.CharField(
        label=_("突发事件"), max_length=120, required=False, help_text=_("事件编号或名称")
    )
    place = forms.CharField(
        label=_("发往地区"), max_length=12, required=False, help_text=_("12位区划代码，例如 320602001201")
    )
    recipient = forms.CharField(label=_("领用人/单位"), max_length=100, required=False)
    longitude = forms.FloatField(label=_("目的地经度"), required=False, min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("目的地纬度"), required=False, min_value=-90, max_value=90)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean_place(self):
        from yingji.places.models import Place

        code = (self.cleaned_data.get("place") or "").strip()
        if not code:
            return None
        place = Place.objects.visible_to(self.user).filter(code=code).first()
        if place is None:
            raise forms.ValidationError(
                _("找不到该区划代码：请填写12位统计用区划代码。"), code="unknown_place"
            )
        return place


class TransferRequestForm(MovementForm):
    source = forms.ModelChoiceField(Warehouse.objects.none(), label=_("调出仓库"))
    destination = forms.ModelChoiceField(Warehouse.objects.none(), label=_("调入仓库"))
    item = forms.ModelChoiceField(Item.objects.none(), label=_("物资"))
    quantity = forms.DecimalField(label=_("数量"), **QTY)
    reason = forms.CharField(label=_("调拨事由"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Warehouse.objects.visible_to(self.user).filter(is_active=True).select_related("place")
        self.fields["source"].queryset = visible
        self.fields["destination"].queryset = visible


class ScrapForm(MovementForm):
    stock = forms.ModelChoiceField(Stock.objects.none(), label=_("批次"))
    quantity = forms.DecimalField(label=_("报废数量"), **QTY)
    reason = forms.CharField(label=_("报废原因"), max_length=300)


class RotationForm(MovementForm):
    stock = forms.ModelChoiceField(Stock.objects.none(), label=_("轮出批次"))
    out_quantity = forms.DecimalField(label=_("轮出数量"), **QTY)
    batch_no = forms.CharField(label=_("轮入批号"), max_length=40)
    production_date = forms.DateField(label=_("轮入生产日期"), required=False, widget=DATE)
    expiry_date = forms.DateField(label=_("轮入有效期至"), required=False, widget=DATE)
    in_quantity = forms.DecimalField(label=_("轮入数量"), **QTY)
    reason = forms.CharField(label=_("说明"), max_length=300, required=False)


class StocktakeForm(MovementForm):
    """One "counted" field per batch of the warehouse (book quantity as its help text)."""

    reason = forms.CharField(label=_("盘点说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stocks = (
            list(
                Stock.objects.visible_to(self.user, "change")
                .filter(warehouse=self.warehouse)
                .select_related("item")
                .order_by("item__name", "batch_no")
            )
            if self.warehouse
            else []
        )
        for stock in self.stocks:
            self.fields[f"counted_{stock.pk}"] = forms.DecimalField(
                label=f"{stock.item} 批号{stock.batch_no or '—'}",
                required=False,
                help_text=_("账面 %(q)s%(u)s") % {"q": stock.quantity, "u": stock.item.unit},
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                **QTY,
            )

    def counts(self):
        return [
            {"stock": s, "counted": self.cleaned_data[f"counted_{s.pk}"]}
            for s in self.stocks
            if self.cleaned_data.get(f"counted_{s.pk}") is not None
        ]


class WarehousePickForm(forms.Form):
    warehouse = forms.ModelChoiceField(Warehouse.objects.none(), label=_("仓库"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = operable_warehouses(user)
        self.fields["warehouse"].widget.attrs["class"] = "form-select"


class LedgerQueryForm(forms.Form):
    warehouse = forms.ModelChoiceField(Warehouse.objects.none(), label=_("仓库"))
    item = forms.ModelChoiceField(Item.objects.none(), label=_("物资"))
    at = forms.DateTimeField(
        label=_("截至时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("留空为当前"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.visible_to(user).select_related("place")
        self.fields["item"].queryset = Item.objects.visible_to(user)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)
