"""Write and read services of the materials app (C9 物资储备).

Every stock change goes through :func:`_change`, which updates one stock row with a conditional
``UPDATE … SET quantity = quantity + delta WHERE quantity >= -delta`` and writes its one ledger entry,
inside the document's single transaction. Concurrency (docs/materials.md):

* PostgreSQL: a document first locks every stock row it touches with ``SELECT … FOR UPDATE`` in
  primary-key order (one consistent order: no deadlocks between documents), then the number counter
  (always last); transfer steps lock their document row before anything else;
* SQLite: the project opens every transaction ``IMMEDIATE`` (``settings.DATABASES``), so writers
  serialise on the database lock;
* on both, the conditional UPDATE checks its row count, and the CHECK constraint
  ``quantity >= 0`` is the last line of defence.

Services are verb-named, take a keyword-only ``actor`` and run in one transaction; a refusal raises
before anything is written (or rolls everything back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.access import AccessDenied, allows_object, can, check_object
from yingji.materials import conf
from yingji.materials.choices import (
    NUMBER_CODES,
    AcceptanceResult,
    Direction,
    MovementKind,
    MovementStatus,
    RecipientKind,
)
from yingji.materials.models import (
    ZERO,
    DocumentCounter,
    Item,
    LedgerEntry,
    Movement,
    MovementLine,
    Stock,
    Warehouse,
)


# --- errors ---------------------------------------------------------------------------------------
class MaterialsError(ValidationError):
    """A refused operation: ``code`` is stable (the API shows it as the error code), the message is
    for people; ``field`` puts it next to a form field."""

    def __init__(self, message, code: str, field: str | None = None, **extra):
        if field:
            super().__init__({field: ValidationError(message, code=code)})
        else:
            super().__init__(message, code=code)
        self.domain_code = code
        self.text = str(message)
        self.extra = extra


class InsufficientStock(MaterialsError):
    """An issue, transfer, scrap or rotation asks for more than the (unexpired) stock holds."""

    def __init__(self, *, item, warehouse, requested, available, batch: str = ""):
        what = f"{item}" + (f"（批号 {batch}）" if batch else "")
        message = _(
            "库存不足：%(wh)s 的 %(what)s 可用 %(available)s%(unit)s，申请 %(requested)s%(unit)s。"
            "请减少数量或从其他仓库调拨。"
        ) % {
            "wh": warehouse,
            "what": what,
            "available": _fmt(available),
            "requested": _fmt(requested),
            "unit": item.unit,
        }
        super().__init__(
            message,
            "insufficient_stock",
            field="quantity",
            available=str(available),
            requested=str(requested),
            item=item.pk,
            warehouse=warehouse.pk,
        )


class InvalidTransition(MaterialsError):
    def __init__(self, message, code: str = "invalid_transition"):
        super().__init__(message, code)


def _fmt(value) -> str:
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


# --- input lines ----------------------------------------------------------------------------------
@dataclass
class LineIn:
    """One requested line: an item and a quantity; ``stock`` names a batch (else FEFO allocation);
    receipts give the batch number and dates instead."""

    item: Item | None = None
    quantity: Decimal | None = None
    stock: Stock | None = None
    batch_no: str = ""
    production_date: dt.date | None = None
    expiry_date: dt.date | None = None
    counted: Decimal | None = None


def _qty(value, field="quantity", allow_zero=False) -> Decimal:
    try:
        q = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise MaterialsError(_("请填写有效的数量。"), "invalid_quantity", field=field) from None
    if not q.is_finite() or q < 0 or (q == 0 and not allow_zero):
        raise MaterialsError(_("数量须大于零。"), "invalid_quantity", field=field)
    if q != q.quantize(Decimal("0.01")):
        raise MaterialsError(_("数量最多保留两位小数。"), "invalid_quantity", field=field)
    if q >= Decimal("1e12"):
        raise MaterialsError(_("数量过大。"), "invalid_quantity", field=field)
    return q


# --- rights ---------------------------------------------------------------------------------------
def _denied():
    return AccessDenied(
        _("您无权在此范围内执行该操作：请确认所选仓库属于您或您所在部门的管辖范围。"), code="out_of_scope"
    )


def may_operate(actor, warehouse) -> bool:
    """Whether ``actor`` may post documents that change stock in ``warehouse``: the ``add`` right on
    documents and the ``change`` right on stock there (its place subtree; a department officer only
    for warehouses of its department). Reading up (``read_up``) never gives this."""
    return (
        warehouse is not None
        and can(actor, "add", Movement)
        and allows_object(actor, "change", Stock(warehouse=warehouse))
    )


def _check_operate(actor, warehouse) -> None:
    if not may_operate(actor, warehouse):
        raise _denied()


def _check_view(actor, obj) -> None:
    if not allows_object(actor, "view", obj):
        raise _denied()


def _check_item(actor, item) -> None:
    if not Item.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise MaterialsError(_("所选物资不在您可用的物资目录中。"), "item_not_visible", field="item")


# --- numbering and locking ------------------------------------------------------------------------
def next_number(kind: str, at=None) -> str:
    """The next document number of ``kind`` in the year of ``at``: ``WZ-RK-2026-000123``.

    The counter row is locked (PostgreSQL) and incremented with a conditional UPDATE; numbers are
    gap-free within committed documents of a year unless a transaction rolls back.
    """
    year = timezone.localtime(at or timezone.now()).year
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(kind=kind, year=year)
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    last = DocumentCounter.objects.filter(pk=counter.pk).values_list("last", flat=True).get()
    return f"{conf.number_prefix()}-{NUMBER_CODES[kind]}-{year}-{last:06d}"


def _lock(stock_ids) -> dict[int, Stock]:
    """Lock the stock rows (PostgreSQL; in primary-key order) and return them fresh."""
    rows = (
        Stock.objects.select_for_update(of=("self",))
        .filter(pk__in=set(stock_ids))
        .select_related("item", "warehouse__place")
        .defer("warehouse__place__boundary")
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _usable(today) -> Q:
    return Q(expiry_date__isnull=True) | Q(expiry_date__gte=today)


def _fefo_key(stock: Stock):
    return (stock.expiry_date is None, stock.expiry_date or dt.date.max, stock.pk)


def _allocate(warehouse, lines: list[LineIn], *, today, allow_expired=False) -> list[tuple[Stock, Decimal]]:
    """Lock the candidate batches of every line at once (primary-key order) and allocate each line:
    the named batch, or first-expiry-first-out over the unexpired batches. Refuses an amount larger
    than what is there, with the available quantity, before anything is written."""
    named = [ln.stock.pk for ln in lines if ln.stock is not None]
    items = {ln.item.pk for ln in lines if ln.stock is None}
    ids = list(named)
    if items:
        ids += list(
            Stock.objects.filter(warehouse=warehouse, item_id__in=items, quantity__gt=0)
            .filter(_usable(today))
            .values_list("pk", flat=True)
        )
    locked = _lock(ids)
    remaining = {pk: s.quantity for pk, s in locked.items()}
    out = []
    for ln in lines:
        if ln.stock is not None:
            stock = locked.get(ln.stock.pk)
            if stock is None or stock.warehouse_id != warehouse.pk:
                raise MaterialsError(_("所选批次不属于该仓库。"), "wrong_warehouse", field="stock")
            if stock.expired and not allow_expired:
                raise MaterialsError(
                    _("批次 %(batch)s 已过有效期（%(date)s），不能发放或调拨：请报废或轮换。")
                    % {"batch": stock.batch_no or "—", "date": stock.expiry_date},
                    "expired_batch",
                    field="stock",
                )
            if remaining[stock.pk] < ln.quantity:
                raise InsufficientStock(
                    item=stock.item,
                    warehouse=warehouse,
                    requested=ln.quantity,
                    available=remaining[stock.pk],
                    batch=stock.batch_no,
                )
            remaining[stock.pk] -= ln.quantity
            out.append((stock, ln.quantity))
            continue
        candidates = sorted(
            (s for s in locked.values() if s.item_id == ln.item.pk and s.warehouse_id == warehouse.pk),
            key=_fefo_key,
        )
        available = sum((remaining[s.pk] for s in candidates if not s.expired), ZERO)
        if available < ln.quantity:
            raise InsufficientStock(
                item=ln.item, warehouse=warehouse, requested=ln.quantity, available=available
            )
        need = ln.quantity
        for stock in candidates:
            if need <= 0:
                break
            if stock.expired:
                continue
            take = min(need, remaining[stock.pk])
            if take > 0:
                remaining[stock.pk] -= take
                out.append((stock, take))
                need -= take
    return out


def _change(stock: Stock, delta: Decimal, line: MovementLine, at) -> LedgerEntry:
    """Change one stock row by ``delta`` and write its one ledger entry (the only way stock changes)."""
    rows = Stock.objects.filter(pk=stock.pk)
    if delta < 0:
        rows = rows.filter(quantity__gte=-delta)
    if rows.update(quantity=F("quantity") + delta, updated=timezone.now()) != 1:
        available = Stock.objects.filter(pk=stock.pk).values_list("quantity", flat=True).first() or ZERO
        raise InsufficientStock(
            item=stock.item,
            warehouse=stock.warehouse,
            requested=-delta,
            available=available,
            batch=stock.batch_no,
        )
    stock.quantity = Stock.objects.filter(pk=stock.pk).values_list("quantity", flat=True).get()
    entry = LedgerEntry(
        warehouse=stock.warehouse,  # the loaded rows: the audit entry's place and text need them
        item=stock.item,
        stock=stock,
        batch_no=stock.batch_no,
        delta=delta,
        balance_after=stock.quantity,
        line=line,
        at=at,
    )
    entry.save()
    _sync_expiry(stock, delta)
    return entry


# --- expiry reminders -----------------------------------------------------------------------------
def rotation_rule(category: str) -> str:
    return f"materials.rotate_{category}"


def register_rules() -> None:
    """One deadline rule per item category: due at the batch's expiry date, reminded the configured
    number of days before (``conf.expiry_warning_days``)."""
    from yingji.deadlines.rules import register_rule
    from yingji.materials.choices import ItemCategory

    days = conf.expiry_warning_days()
    for category in ItemCategory:
        register_rule(
            rotation_rule(category.value),
            f"物资轮换（{category.label}）",
            remind_before=dt.timedelta(days=days.get(category.value, 90)),
            escalate_after=dt.timedelta(0),
            source="应急物资储备轮换管理（到期前轮换，天数可配置：YINGJI_MATERIALS_EXPIRY_WARNING_DAYS）",
        )


def responsible_user(warehouse):
    """Who is reminded of the warehouse's expiring batches: a bureau officer of its place, else of the
    nearest level above it (the keeper is a person without an account)."""
    from yingji.accounts.models import RoleAssignment
    from yingji.framework.roles import Role

    codes = [c for c in warehouse.place.path.split("/") if c]
    first_by_code = {}
    for assignment in (
        RoleAssignment.objects.filter(role=Role.BUREAU_OFFICER, place__code__in=codes, user__is_active=True)
        .select_related("user")
        .annotate(code=F("place__code"))
        .order_by("user_id")
    ):
        first_by_code.setdefault(assignment.code, assignment.user)
    return next((first_by_code[code] for code in reversed(codes) if code in first_by_code), None)


def _sync_expiry(stock: Stock, delta: Decimal) -> None:
    """Track a rotation deadline for a batch that now holds stock; meet it when the batch is empty."""
    if stock.expiry_date is None:
        return
    from yingji.deadlines import services as deadlines

    rule = rotation_rule(stock.item.category)
    if stock.quantity == 0:
        deadlines.meet(stock, actor=None, rule=rule)
    elif delta > 0 and stock.quantity == delta:  # the batch has just become non-empty
        track_expiry(stock)


def track_expiry(stock: Stock):
    from yingji.deadlines import services as deadlines

    start = stock.production_date or timezone.localdate()
    return deadlines.track(
        stock,
        rule=rotation_rule(stock.item.category),
        start=min(start, stock.expiry_date),
        due=stock.expiry_date,
        actor=None,
        place=stock.warehouse.place,
        responsible=responsible_user(stock.warehouse),
        title=f"物资到期轮换：{stock.warehouse} {stock.item} 批号{stock.batch_no or '—'}",
    )


def near_expiry(queryset=None, *, today=None):
    """Batches with stock whose expiry date falls within their category's warning period (or has
    passed), soonest first."""
    today = today or timezone.localdate()
    qs = Stock.objects.all() if queryset is None else queryset
    condition = Q()
    for category, days in conf.expiry_warning_days().items():
        condition |= Q(item__category=category, expiry_date__lte=today + dt.timedelta(days=days))
    return (
        qs.filter(quantity__gt=0, expiry_date__isnull=False).filter(condition).order_by("expiry_date", "pk")
    )


# --- reading --------------------------------------------------------------------------------------
def available_by_warehouse(item_id, *, user=None) -> dict[int, Decimal]:
    """Available quantity of an item per warehouse id, over all unexpired batches with stock.

    ``user`` (optional) limits the warehouses to those the user may view.
    """
    today = timezone.localdate()
    qs = Stock.objects.visible_to(user) if user is not None else Stock.objects.all()
    rows = (
        qs.filter(item_id=item_id, quantity__gt=0)
        .filter(_usable(today))
        .values("warehouse_id")
        .annotate(total=Sum("quantity"))
        .order_by("warehouse_id")
    )
    return {row["warehouse_id"]: row["total"] for row in rows}


def balance_at(warehouse, item, at=None) -> Decimal:
    """The quantity of ``item`` in ``warehouse`` (all batches) at time ``at`` (default now), from
    the ledger: the sum of its deltas up to and including ``at``."""
    qs = LedgerEntry.objects.filter(warehouse=warehouse, item=item)
    if at is not None:
        qs = qs.filter(at__lte=at)
    return qs.aggregate(total=Sum("delta"))["total"] or ZERO


# --- documents ------------------------------------------------------------------------------------
def _common_place(a, b):
    """The nearest place that contains both (the lowest common level of two warehouses)."""
    pa, pb = a.path.split("/")[:-1], b.path.split("/")[:-1]
    common = 0
    while common < min(len(pa), len(pb)) and pa[common] == pb[common]:
        common += 1
    if common == 0:
        return a
    from yingji.places.models import Place

    return Place.objects.get(code=pa[common - 1])


def _new_movement(kind, warehouse, *, actor, status=MovementStatus.POSTED, at=None, **fields) -> Movement:
    at = at or timezone.now()
    movement = Movement(
        number=next_number(kind, at),
        kind=kind,
        status=status,
        warehouse=warehouse,
        place=fields.pop("place", None) or warehouse.place,
        occurred_at=at,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    movement.save()
    return movement


def _line(movement, direction, stock: Stock, quantity, **extra) -> MovementLine:
    line = MovementLine(
        movement=movement,
        direction=direction,
        item=stock.item,
        stock=stock,
        batch_no=stock.batch_no,
        production_date=stock.production_date,
        expiry_date=stock.expiry_date,
        quantity=quantity,
        **extra,
    )
    line.save()
    return line


def _clean_lines(lines, *, need_item=True) -> list[LineIn]:
    if not lines:
        raise MaterialsError(_("请至少填写一行物资明细。"), "lines_required", field="lines")
    out = []
    for ln in lines:
        if not isinstance(ln, LineIn):
            ln = LineIn(**ln)
        if ln.stock is not None and ln.item is None:
            ln.item = ln.stock.item
        if need_item and ln.item is None:
            raise MaterialsError(_("请选择物资。"), "item_required", field="item")
        if ln.stock is not None and ln.item is not None and ln.stock.item_id != ln.item.pk:
            raise MaterialsError(_("所选批次不是该物资的批次。"), "wrong_item", field="stock")
        if ln.counted is None:
            ln.quantity = _qty(ln.quantity)
        out.append(ln)
    return out


def _receive_rows(warehouse, lines: list[LineIn]) -> list[tuple[Stock, Decimal]]:
    """The stock rows that receive each line (created empty when new), locked."""
    keyed = []
    for ln in lines:
        expiry = ln.expiry_date
        if expiry is None and ln.production_date and ln.item.shelf_life_days:
            expiry = ln.production_date + dt.timedelta(days=ln.item.shelf_life_days)
        if expiry and ln.production_date and expiry < ln.production_date:
            raise MaterialsError(
                _("有效期不能早于生产日期。"), "expiry_before_production", field="expiry_date"
            )
        if ln.item.shelf_life_days and expiry is None:
            raise MaterialsError(
                _("%(item)s 有保质期：请填写生产日期或有效期。") % {"item": ln.item},
                "expiry_required",
                field="expiry_date",
            )
        keyed.append((ln, (ln.batch_no or "").strip(), expiry))
    rows = []
    for ln, batch, expiry in sorted(keyed, key=lambda k: (k[0].item.pk, k[1])):
        stock, created = Stock.objects.get_or_create(
            warehouse=warehouse,
            item=ln.item,
            batch_no=batch,
            defaults={"production_date": ln.production_date, "expiry_date": expiry},
        )
        if not created and expiry is not None and stock.expiry_date != expiry:
            raise MaterialsError(
                _("批号 %(batch)s 已在库，有效期为 %(date)s：同一批号的有效期须一致，请核对批号。")
                % {"batch": batch or "—", "date": stock.expiry_date or "—"},
                "batch_mismatch",
                field="batch_no",
            )
        rows.append((stock, ln.quantity))
    locked = _lock([s.pk for s, _q in rows])
    return [(locked[s.pk], q) for s, q in rows]


@transaction.atomic
def receive_stock(
    *,
    warehouse: Warehouse,
    lines,
    actor,
    accepted_by: str,
    acceptance_result: str = AcceptanceResult.QUALIFIED,
    source: str = "",
    supplier: str = "",
    note: str = "",
) -> Movement:
    """入库: receive accepted goods into a warehouse (new or existing batches)."""
    _check_operate(actor, warehouse)
    if not (accepted_by or "").strip():
        raise MaterialsError(_("入库须经验收：请填写验收人。"), "acceptance_required", field="accepted_by")
    if acceptance_result != AcceptanceResult.QUALIFIED:
        raise MaterialsError(
            _("验收不合格的物资不得入库：请退回供货单位。"), "acceptance_failed", field="acceptance_result"
        )
    lines = _clean_lines(lines)
    for ln in lines:
        _check_item(actor, ln.item)
    rows = _receive_rows(warehouse, lines)
    movement = _new_movement(
        MovementKind.RECEIPT,
        warehouse,
        actor=actor,
        source=source,
        supplier=supplier,
        accepted_by=accepted_by.strip(),
        acceptance_result=acceptance_result,
        note=note,
    )
    for stock, quantity in rows:
        _change(stock, quantity, _line(movement, Direction.IN, stock, quantity), movement.occurred_at)
    return movement


def _check_location(longitude, latitude):
    if (longitude is None) != (latitude is None):
        raise MaterialsError(_("经度和纬度须同时填写或同时留空。"), "incomplete_location", field="latitude")
    if longitude is not None and not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise MaterialsError(_("经纬度超出范围。"), "invalid_location", field="longitude")


@transaction.atomic
def issue_stock(
    *,
    warehouse: Warehouse,
    lines,
    actor,
    incident: str = "",
    destination_place=None,
    recipient: str = "",
    longitude: float | None = None,
    latitude: float | None = None,
    note: str = "",
) -> Movement:
    """出库（发放）: issue stock to an incident, a place or a person; first-expiry-first-out unless a
    batch is named. Refused with ``insufficient_stock`` (and the available quantity) when the
    warehouse holds less; nothing is written then."""
    _check_operate(actor, warehouse)
    incident, recipient = (incident or "").strip(), (recipient or "").strip()
    if not (incident or destination_place or recipient):
        raise MaterialsError(
            _("请填写发放对象：突发事件、发往地区或领用人/单位至少填写一项。"),
            "recipient_required",
            field="recipient",
        )
    _check_location(longitude, latitude)
    lines = _clean_lines(lines)
    today = timezone.localdate()
    allocation = _allocate(warehouse, lines, today=today)
    kind = (
        RecipientKind.INCIDENT
        if incident
        else RecipientKind.PLACE
        if destination_place
        else RecipientKind.PERSON
    )
    if longitude is None and destination_place is not None:
        longitude, latitude = destination_place.centroid_lon, destination_place.centroid_lat
    movement = _new_movement(
        MovementKind.ISSUE,
        warehouse,
        actor=actor,
        recipient_kind=kind,
        incident=incident,
        destination_place=destination_place,
        recipient=recipient,
        destination_longitude=longitude,
        destination_latitude=latitude,
        note=note,
    )
    for stock, quantity in allocation:
        _change(stock, -quantity, _line(movement, Direction.OUT, stock, quantity), movement.occurred_at)
    return movement


@transaction.atomic
def scrap_stock(*, warehouse: Warehouse, lines, actor, reason: str) -> Movement:
    """报废: write off damaged or expired stock of named batches, with a reason."""
    _check_operate(actor, warehouse)
    if not (reason or "").strip():
        raise MaterialsError(_("请填写报废原因。"), "reason_required", field="reason")
    lines = _clean_lines(lines)
    if any(ln.stock is None for ln in lines):
        raise MaterialsError(_("报废须指定批次。"), "stock_required", field="stock")
    allocation = _allocate(warehouse, lines, today=timezone.localdate(), allow_expired=True)
    movement = _new_movement(MovementKind.SCRAP, warehouse, actor=actor, reason=reason.strip())
    for stock, quantity in allocation:
        _change(stock, -quantity, _line(movement, Direction.OUT, stock, quantity), movement.occurred_at)
    return movement


@transaction.atomic
def take_stock(*, warehouse: Warehouse, counts, actor, reason: str = "") -> Movement:
    """盘点: record counted quantities of batches; the variance (counted - book) of each is posted
    (盘盈 in, 盘亏 out). The book quantity is read under the lock, so a count always compares with the
    balance at posting time."""
    _check_operate(actor, warehouse)
    if not counts:
        raise MaterialsError(_("请至少填写一个批次的实盘数量。"), "lines_required", field="lines")
    counts = [c if isinstance(c, LineIn) else LineIn(**c) for c in counts]
    for c in counts:
        if c.stock is None:
            raise MaterialsError(_("请选择盘点批次。"), "stock_required", field="stock")
        c.counted = _qty(c.counted, field="counted", allow_zero=True)
    if len({c.stock.pk for c in counts}) != len(counts):
        raise MaterialsError(_("同一批次只能盘点一次。"), "duplicate_stock", field="stock")
    locked = _lock([c.stock.pk for c in counts])
    for c in counts:
        if c.stock.pk not in locked or locked[c.stock.pk].warehouse_id != warehouse.pk:
            raise MaterialsError(_("所选批次不属于该仓库。"), "wrong_warehouse", field="stock")
    movement = _new_movement(MovementKind.STOCKTAKE, warehouse, actor=actor, reason=(reason or "").strip())
    for c in sorted(counts, key=lambda c: c.stock.pk):
        stock = locked[c.stock.pk]
        book = stock.quantity
        variance = c.counted - book
        line = _line(
            movement,
            Direction.IN if variance >= 0 else Direction.OUT,
            stock,
            abs(variance),
            book_quantity=book,
            counted_quantity=c.counted,
        )
        if variance:
            _change(stock, variance, line, movement.occurred_at)
    return movement


@transaction.atomic
def rotate_stock(*, warehouse: Warehouse, out_lines, in_lines, actor, reason: str = "") -> Movement:
    """轮换: take old batches out (sold, used or donated before expiry) and receive new batches of the
    same items in one document."""
    _check_operate(actor, warehouse)
    out_lines = _clean_lines(out_lines)
    in_lines = _clean_lines(in_lines)
    if any(ln.stock is None for ln in out_lines):
        raise MaterialsError(_("轮出须指定批次。"), "stock_required", field="stock")
    if {ln.item.pk for ln in out_lines} != {ln.item.pk for ln in in_lines}:
        raise MaterialsError(_("轮换的轮出与轮入须为相同物资。"), "rotation_items_mismatch", field="lines")
    for ln in in_lines:
        _check_item(actor, ln.item)
    out_batches = {(ln.stock.item_id, ln.stock.batch_no) for ln in out_lines}
    if any((ln.item.pk, (ln.batch_no or "").strip()) in out_batches for ln in in_lines):
        raise MaterialsError(
            _("轮入批次须为新批次，批号不能与轮出批次相同。"), "same_batch", field="batch_no"
        )
    allocation = _allocate(warehouse, out_lines, today=timezone.localdate(), allow_expired=True)
    rows = _receive_rows(warehouse, in_lines)
    movement = _new_movement(MovementKind.ROTATION, warehouse, actor=actor, reason=(reason or "").strip())
    for stock, quantity in allocation:
        _change(stock, -quantity, _line(movement, Direction.OUT, stock, quantity), movement.occurred_at)
    for stock, quantity in rows:
        _change(stock, quantity, _line(movement, Direction.IN, stock, quantity), movement.occurred_at)
    return movement


# --- transfers (调拨): requested → approved → dispatched → received ----------------------------------
def may_approve(actor, movement: Movement) -> bool:
    """The approval rule: whoever may operate the *source* warehouse — its own level (bureau officers
    of its place), every level above it (their place subtree contains it) and officers of its owning
    department — and is not the requester (four-eyes principle)."""
    if not may_operate(actor, movement.warehouse):
        return False
    return movement.requested_by_id is None or getattr(actor, "pk", None) != movement.requested_by_id


def _state(movement: Movement, expected: str, action: str) -> None:
    if movement.kind != MovementKind.TRANSFER:
        raise InvalidTransition(_("该单据不是调拨单。"), "not_a_transfer")
    if movement.status != expected:
        raise InvalidTransition(
            _("调拨单当前状态为“%(now)s”，只有“%(need)s”的调拨单才能%(action)s。")
            % {
                "now": movement.get_status_display(),
                "need": MovementStatus(expected).label,
                "action": action,
            }
        )


def _locked_movement(movement: Movement) -> Movement:
    return (
        Movement.objects.select_for_update(of=("self",))
        .select_related("warehouse__place", "to_warehouse__place")
        .get(pk=movement.pk)
    )


@transaction.atomic
def request_transfer(
    *, source: Warehouse, destination: Warehouse, lines, actor, reason: str = ""
) -> Movement:
    """申请调拨: ask for stock of ``source`` to be moved to ``destination``. The requester must see both
    warehouses (a town sees its county's read-only) and operate at least one of them. Batches are
    allocated now (first-expiry-first-out) and checked against the stock; stock leaves only at dispatch."""
    if source.pk == destination.pk:
        raise MaterialsError(_("调出仓库与调入仓库不能相同。"), "same_warehouse", field="to_warehouse")
    _check_view(actor, source)
    _check_view(actor, destination)
    if not (may_operate(actor, source) or may_operate(actor, destination)):
        raise _denied()
    if not (reason or "").strip():
        raise MaterialsError(_("请填写调拨事由。"), "reason_required", field="reason")
    lines = _clean_lines(lines)
    allocation = _allocate(source, lines, today=timezone.localdate())
    now = timezone.now()
    movement = _new_movement(
        MovementKind.TRANSFER,
        source,
        actor=actor,
        status=MovementStatus.REQUESTED,
        at=now,
        to_warehouse=destination,
        place=_common_place(source.place, destination.place),
        reason=reason.strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
        requested_at=now,
    )
    merged: dict[int, list] = {}
    for stock, quantity in allocation:
        merged.setdefault(stock.pk, [stock, ZERO])[1] += quantity
    for stock, quantity in merged.values():
        _line(movement, Direction.OUT, stock, quantity)
    return movement


@transaction.atomic
def approve_transfer(movement: Movement, *, actor) -> Movement:
    """批准: by the owner of the source warehouse or a higher level, not the requester."""
    movement = _locked_movement(movement)
    _state(movement, MovementStatus.REQUESTED, _("批准"))
    if not may_operate(actor, movement.warehouse):
        raise AccessDenied(_("只有调出仓库的管理单位或其上级才能批准调拨。"), code="not_approver")
    if not may_approve(actor, movement):
        raise AccessDenied(
            _("申请人不能批准自己的调拨申请：请由同级或上级其他人员审批。"), code="self_approval"
        )
    movement.status = MovementStatus.APPROVED
    movement.approved_by = actor if getattr(actor, "pk", None) else None
    movement.approved_at = timezone.now()
    movement.save()
    return movement


@transaction.atomic
def reject_transfer(movement: Movement, *, actor, reason: str) -> Movement:
    """驳回 a requested transfer (same people as for approval)."""
    movement = _locked_movement(movement)
    _state(movement, MovementStatus.REQUESTED, _("驳回"))
    if not may_operate(actor, movement.warehouse):
        raise AccessDenied(_("只有调出仓库的管理单位或其上级才能驳回调拨。"), code="not_approver")
    if not (reason or "").strip():
        raise MaterialsError(_("请填写驳回原因。"), "reason_required", field="reason")
    movement.status = MovementStatus.REJECTED
    movement.closed_reason = reason.strip()
    movement.save()
    return movement


@transaction.atomic
def cancel_transfer(movement: Movement, *, actor, reason: str = "") -> Movement:
    """撤销 a transfer not yet dispatched: by the requester or whoever may operate the source."""
    movement = _locked_movement(movement)
    if movement.kind != MovementKind.TRANSFER:
        raise InvalidTransition(_("该单据不是调拨单。"), "not_a_transfer")
    if movement.status not in (MovementStatus.REQUESTED, MovementStatus.APPROVED):
        raise InvalidTransition(
            _("调拨单当前状态为“%(now)s”：只有发运前的调拨单才能撤销。")
            % {"now": movement.get_status_display()}
        )
    is_requester = getattr(actor, "pk", None) is not None and actor.pk == movement.requested_by_id
    if not (is_requester or may_operate(actor, movement.warehouse)):
        raise _denied()
    movement.status = MovementStatus.CANCELLED
    movement.closed_reason = (reason or "").strip()
    movement.save()
    return movement


@transaction.atomic
def dispatch_transfer(movement: Movement, *, actor) -> Movement:
    """发运: the approved quantities leave the source warehouse (stock and ledger); refused with
    ``insufficient_stock`` when a batch no longer holds them."""
    movement = _locked_movement(movement)
    _state(movement, MovementStatus.APPROVED, _("发运"))
    _check_operate(actor, movement.warehouse)
    lines = list(movement.lines.select_related("stock__item", "stock__warehouse").order_by("stock_id"))
    locked = _lock([ln.stock_id for ln in lines])
    now = timezone.now()
    for ln in lines:
        stock = locked[ln.stock_id]
        if stock.quantity < ln.quantity:
            raise InsufficientStock(
                item=stock.item,
                warehouse=movement.warehouse,
                requested=ln.quantity,
                available=stock.quantity,
                batch=stock.batch_no,
            )
    for ln in lines:
        _change(locked[ln.stock_id], -ln.quantity, ln, now)
    movement.status = MovementStatus.DISPATCHED
    movement.dispatched_by = actor if getattr(actor, "pk", None) else None
    movement.dispatched_at = now
    movement.save()
    return movement


@transaction.atomic
def receive_transfer(movement: Movement, *, actor) -> Movement:
    """接收: the dispatched quantities enter the destination warehouse under the same batch numbers and
    dates; the total is conserved."""
    movement = _locked_movement(movement)
    _state(movement, MovementStatus.DISPATCHED, _("接收"))
    _check_operate(actor, movement.to_warehouse)
    lines = list(movement.lines.select_related("item").order_by("id"))
    targets = []
    for ln in sorted(lines, key=lambda ln: (ln.item_id, ln.batch_no)):
        stock, created = Stock.objects.get_or_create(
            warehouse=movement.to_warehouse,
            item=ln.item,
            batch_no=ln.batch_no,
            defaults={"production_date": ln.production_date, "expiry_date": ln.expiry_date},
        )
        targets.append((ln, stock))
    locked = _lock([s.pk for _ln, s in targets])
    now = timezone.now()
    for ln, stock in targets:
        stock = locked[stock.pk]
        ln.to_stock = stock
        ln.save()
        _change(stock, ln.quantity, ln, now)
    movement.status = MovementStatus.RECEIVED
    movement.received_by = actor if getattr(actor, "pk", None) else None
    movement.received_at = now
    movement.save()
    return movement


TRANSFER_STEPS = {
    "approve": approve_transfer,
    "dispatch": dispatch_transfer,
    "receive": receive_transfer,
}


def allowed_steps(movement: Movement, user) -> list[str]:
    """The transfer steps ``user`` may take on ``movement`` now (for the buttons of the page)."""
    if movement.kind != MovementKind.TRANSFER:
        return []
    steps = []
    source_ok = may_operate(user, movement.warehouse)
    if movement.status == MovementStatus.REQUESTED and source_ok:
        if may_approve(user, movement):
            steps.append("approve")
        steps.append("reject")
    if movement.status == MovementStatus.APPROVED and source_ok:
        steps.append("dispatch")
    if movement.status == MovementStatus.DISPATCHED and may_operate(user, movement.to_warehouse):
        steps.append("receive")
    if movement.status in (MovementStatus.REQUESTED, MovementStatus.APPROVED) and (
        source_ok or getattr(user, "pk", None) == movement.requested_by_id
    ):
        steps.append("cancel")
    return steps


# --- plain objects ----------------------------------------------------------------------------------
@transaction.atomic
def save_warehouse(warehouse: Warehouse, *, actor) -> Warehouse:
    """Create or change a warehouse; its level follows its place when left empty."""
    from yingji.framework.services import save_object

    if warehouse.place_id and not warehouse.level:
        warehouse.level = warehouse.place.level
    return save_object(warehouse, actor=actor)


def check_view(actor, obj) -> None:
    """Raise unless ``actor`` may view ``obj`` (used by pages and API before acting)."""
    check_object(actor, "view", obj)
