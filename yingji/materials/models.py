"""Relief and rescue materials (C9 物资储备): the four-level network of warehouses "一张网" (市-县-镇-村),
the item catalogue, stock per batch, contract and capacity reserves, movement documents and the
append-only stock ledger.

Invariants (enforced by :mod:`yingji.materials.services`, see docs/materials.md):

* ``Stock.quantity >= 0`` (also a database CHECK constraint);
* every change of a Stock row's quantity writes exactly one :class:`LedgerEntry`, in the same
  transaction, so the sum of a stock row's ledger deltas equals its quantity;
* a transfer conserves the total (what leaves the source arrives at the destination);
* a posted document (and its lines and ledger entries) never changes again.

Warehouses, stock, reserves, documents and ledger entries are shared "upward-down"
(``Scope(read_up=True)``): a town sees its own and, read-only, its county's and the city's.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope, assignments_of, restrict
from yingji.framework.models import BaseModel, GeoMixin, ScopedQuerySet
from yingji.framework.roles import role_allows
from yingji.materials.choices import (
    FINAL_STATUSES,
    AcceptanceResult,
    Direction,
    ItemCategory,
    MovementKind,
    MovementStatus,
    ReceiptSource,
    RecipientKind,
    ReserveKind,
    WarehouseLevel,
)

QTY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class ImmutableDocument(ValidationError):
    """A posted document, its lines or a ledger entry may not be changed or deleted."""

    def __init__(self, message=None):
        super().__init__(
            message or _("单据已过账，不能修改或删除：如有差错，请另行填制单据冲正。"), code="immutable"
        )


class ItemQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """The catalogue is read "upward-down" by every place-limited assignment, department officers
        included: an item kept by the city is offered to every level below it."""
        qs = restrict(self, user, action)
        if action != "view":
            return qs
        label = self.model._meta.label_lower
        paths = set()
        for a in assignments_of(user):
            if a.place_id is not None and role_allows(a.role, "view", label):
                parts = a.place.path.split("/")[:-1]
                paths.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
        if not paths:
            return qs
        return qs | self.filter(place__path__in=paths)


class Item(BaseModel):
    """A kind of relief material in the catalogue (物资目录), e.g. 帐篷 12平方米单帐篷.

    ``place`` is the level that keeps the entry (normally the city); every level below reads it.
    ``shelf_life_days`` empty means the item does not expire (tents, boats); otherwise a batch's
    expiry date defaults to its production date plus the shelf life.
    """

    category = models.CharField(_("类别"), max_length=20, choices=ItemCategory.choices)
    name = models.CharField(_("名称"), max_length=60, db_index=True)
    specification = models.CharField(_("规格型号"), max_length=100, blank=True)
    unit = models.CharField(_("计量单位"), max_length=10, help_text=_("例如 顶、张、床、件、艘、台、箱"))
    shelf_life_days = models.PositiveIntegerField(
        _("保质期（天）"), null=True, blank=True, help_text=_("留空表示无保质期")
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("目录维护地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("通常为市级：下级地区只读使用"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ItemQuerySet.as_manager()
    scope = Scope(place="place", read_up=True)

    class Meta:
        verbose_name = _("物资品种")
        verbose_name_plural = _("物资目录")
        ordering = ["category", "name", "specification"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name", "specification"], name="materials_item_unique_per_place"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.specification}）" if self.specification else self.name


class Warehouse(BaseModel, GeoMixin):
    """A storage point of the reserve network (物资储备库/点/室) at one of the four levels.

    ``place`` is the administrative place of its level (a county's warehouse is placed at the county,
    a village's storage room at the village), so that the levels below read it ("一张网"); the point
    (longitude/latitude) is where it physically stands.
    """

    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.CharField(
        _("层级"), max_length=10, choices=WarehouseLevel.choices, help_text=_("须与所属地区的层级一致")
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("管理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该部门的行业部门干部可管理本库"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=10, decimal_places=1, null=True, blank=True)
    capacity_m3 = models.DecimalField(
        _("库容（立方米）"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    keeper = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("保管员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("值守电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope(place="place", department="owner", read_up=True)

    class Meta:
        verbose_name = _("物资仓库")
        verbose_name_plural = _("物资仓库")
        ordering = ["place__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name"], name="materials_warehouse_unique_name_per_place"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.place_id and self.level and self.place.level != self.level:
            errors["level"] = ValidationError(
                _("仓库层级须与所属地区的层级一致：所属地区为“%(level)s”。")
                % {"level": self.place.get_level_display()},
                code="level_mismatch",
            )
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = ValidationError(
                _("经度和纬度须同时填写或同时留空。"), code="incomplete_location"
            )
        if errors:
            raise ValidationError(errors)


class Stock(BaseModel):
    """The current balance of one batch of one item in one warehouse (实物储备).

    Changed only by the movement services, each change with one ledger entry; never below zero.
    """

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("仓库"), on_delete=models.PROTECT, related_name="stock"
    )
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT, related_name="stock")
    batch_no = models.CharField(_("批号"), max_length=40, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    quantity = models.DecimalField(_("库存数量"), default=ZERO, **QTY)

    scope = Scope(place="warehouse__place", department="warehouse__owner", read_up=True)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("物资库存")
        ordering = ["warehouse_id", "item_id", "expiry_date", "batch_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="materials_stock_not_negative"),
            models.UniqueConstraint(
                fields=["warehouse", "item", "batch_no"], name="materials_stock_unique_batch"
            ),
        ]

    def __str__(self):
        batch = f" {self.batch_no}" if self.batch_no else ""
        return f"{self.item}{batch} @ {self.warehouse}"

    @property
    def expired(self) -> bool:
        return self.expiry_date is not None and self.expiry_date < timezone.localdate()


class Reserve(BaseModel):
    """A reserve held by agreement (协议储备 / 产能储备) instead of in a warehouse.

    Contract reserve: the supplier keeps ``quantity`` of the item for the government and delivers it
    within ``delivery_hours`` of a call. Capacity reserve: the supplier can produce ``daily_output``
    per day on call.
    """

    kind = models.CharField(_("储备方式"), max_length=10, choices=ReserveKind.choices)
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT, related_name="reserves")
    supplier = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("协议企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplier_name = models.CharField(
        _("协议单位名称"), max_length=120, blank=True, help_text=_("非本平台企业时填写")
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("签约地区"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("签约部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_no = models.CharField(_("协议编号"), max_length=60, blank=True)
    quantity = models.DecimalField(
        _("保障数量"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("协议储备填写"),
        **QTY,
    )
    delivery_hours = models.PositiveIntegerField(_("供货时限（小时）"), null=True, blank=True)
    daily_output = models.DecimalField(
        _("日产能"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("产能储备填写"),
        **QTY,
    )
    valid_from = models.DateField(_("协议起始日"), null=True, blank=True)
    valid_until = models.DateField(_("协议截止日"), null=True, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)

    scope = Scope(place="place", department="owner", read_up=True)

    class Meta:
        verbose_name = _("协议及产能储备")
        verbose_name_plural = _("协议及产能储备")
        ordering = ["place__path", "kind", "item_id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.item}（{self.supplier or self.supplier_name}）"

    def clean(self):
        errors = {}
        if not self.supplier_id and not self.supplier_name:
            errors["supplier_name"] = ValidationError(
                _("请选择协议企业或填写协议单位名称。"), code="supplier_required"
            )
        if self.kind == ReserveKind.CONTRACT:
            if self.quantity is None:
                errors["quantity"] = ValidationError(_("协议储备须填写保障数量。"), code="quantity_required")
            if self.delivery_hours is None:
                errors["delivery_hours"] = ValidationError(
                    _("协议储备须填写供货时限（小时）。"), code="delivery_hours_required"
                )
        if self.kind == ReserveKind.CAPACITY and self.daily_output is None:
            errors["daily_output"] = ValidationError(
                _("产能储备须填写日产能。"), code="daily_output_required"
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = ValidationError(_("协议截止日不能早于起始日。"), code="end_before_start")
        if errors:
            raise ValidationError(errors)


class DocumentCounter(models.Model):
    """The last number given to a kind of document in a year (numbers ``WZ-RK-2026-000123``)."""

    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="materials_counter_unique")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class Movement(BaseModel):
    """A numbered movement document (出入库单据): receipt, issue, transfer, stocktake, scrap, rotation.

    ``warehouse`` is the warehouse whose stock the document changes (for a transfer: the source);
    ``place`` is the warehouse's place, for a transfer the nearest common level of source and
    destination (so that both sides read it). Posted through :mod:`yingji.materials.services`;
    immutable once final.
    """

    number = models.CharField(_("单据编号"), max_length=30, unique=True)
    kind = models.CharField(_("单据类型"), max_length=20, choices=MovementKind.choices, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=MovementStatus.choices)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("仓库"), on_delete=models.PROTECT, related_name="movements"
    )
    to_warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("调入仓库"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_movements",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("业务时间"), default=timezone.now, db_index=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("制单人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # receipt
    source = models.CharField(_("来源"), max_length=20, choices=ReceiptSource.choices, blank=True)
    supplier = models.CharField(_("供货单位"), max_length=120, blank=True)
    accepted_by = models.CharField(_("验收人"), max_length=50, blank=True)
    acceptance_result = models.CharField(
        _("验收结论"), max_length=20, choices=AcceptanceResult.choices, blank=True
    )
    # issue
    recipient_kind = models.CharField(_("发放对象"), max_length=20, choices=RecipientKind.choices, blank=True)
    incident = models.CharField(_("突发事件"), max_length=120, blank=True, help_text=_("事件编号或名称"))
    destination_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("发往地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.CharField(_("领用人/单位"), max_length=100, blank=True)
    destination_longitude = models.FloatField(_("目的地经度"), null=True, blank=True)
    destination_latitude = models.FloatField(_("目的地纬度"), null=True, blank=True)
    # scrap, stocktake, rotation, transfer
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    # transfer workflow
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("发运人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("发运时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    closed_reason = models.CharField(_("驳回/撤销原因"), max_length=300, blank=True)

    scope = Scope(place="place", department="warehouse__owner", read_up=True)

    class Meta:
        verbose_name = _("出入库单据")
        verbose_name_plural = _("出入库单据")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in FINAL_STATUSES:
                raise ImmutableDocument()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument()


class MovementLine(BaseModel):
    """One line of a document: a quantity of one batch in or out of a warehouse.

    Stocktake lines also keep the book and counted quantities; the line's quantity is the absolute
    variance and its direction says surplus (in) or shortage (out).
    """

    movement = models.ForeignKey(
        Movement, verbose_name=_("单据"), on_delete=models.PROTECT, related_name="lines"
    )
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT, related_name="+")
    stock = models.ForeignKey(
        Stock, verbose_name=_("库存批次"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stock = models.ForeignKey(
        Stock, verbose_name=_("调入批次"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch_no = models.CharField(_("批号"), max_length=40, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    quantity = models.DecimalField(_("数量"), **QTY)
    book_quantity = models.DecimalField(_("账面数量"), null=True, blank=True, **QTY)
    counted_quantity = models.DecimalField(_("实盘数量"), null=True, blank=True, **QTY)

    scope = Scope(place="movement__place", department="movement__warehouse__owner", read_up=True)

    class Meta:
        verbose_name = _("单据明细")
        verbose_name_plural = _("单据明细")
        ordering = ["movement_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="materials_line_not_negative")
        ]

    def __str__(self):
        return f"{self.movement.number} {self.item} {self.quantity}"

    def get_absolute_url(self):
        return self.movement.get_absolute_url()

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and Movement.objects.filter(pk=self.movement_id, status__in=FINAL_STATUSES).exists()
        ):
            raise ImmutableDocument()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument()

    @property
    def variance(self):
        if self.book_quantity is None or self.counted_quantity is None:
            return None
        return self.counted_quantity - self.book_quantity


class LedgerEntry(BaseModel):
    """One change of one stock row (台账): append-only; ``balance_after`` is the row's quantity after it.

    The balance of an item in a warehouse at any time is the sum of its deltas up to that time
    (:func:`yingji.materials.services.balance_at`).
    """

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("仓库"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT, related_name="+")
    stock = models.ForeignKey(
        Stock, verbose_name=_("库存批次"), on_delete=models.PROTECT, related_name="ledger"
    )
    batch_no = models.CharField(_("批号"), max_length=40, blank=True)
    delta = models.DecimalField(_("变动数量"), **QTY)
    balance_after = models.DecimalField(_("变动后结存"), **QTY)
    line = models.ForeignKey(
        MovementLine, verbose_name=_("单据明细"), on_delete=models.PROTECT, related_name="ledger"
    )
    at = models.DateTimeField(_("记账时间"), default=timezone.now)

    scope = Scope(place="warehouse__place", department="warehouse__owner", read_up=True)

    class Meta:
        verbose_name = _("台账分录")
        verbose_name_plural = _("物资台账")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["warehouse", "item", "at"])]

    def __str__(self):
        sign = "+" if self.delta >= 0 else ""
        return f"{self.item} {sign}{self.delta} → {self.balance_after}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableDocument(_("台账只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument(_("台账只能追加，不能删除。"))
