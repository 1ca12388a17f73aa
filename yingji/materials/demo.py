"""Demo data of the materials app: the four-level reserve network "一张网" of the demo city.

One city reserve depot and a flood-control depot, one depot per county, a storage point in every town
and a storage room in about two villages of five; a catalogue of real relief items; thousands of
stock batches (some near expiry); contract and capacity reserves; an opening receipt per warehouse, a
few issues — all with consistent ledger entries — and a few transfers in every state, posted through
the services. Rotation deadlines of the expiring batches are tracked. Bulk-written and audited with
``record_bulk``; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from yingji.materials.choices import (
    NUMBER_CODES,
    AcceptanceResult,
    Direction,
    MovementKind,
    MovementStatus,
    ReceiptSource,
    RecipientKind,
)

#: (category, name, specification, unit, shelf life in days or None, typical quantities per level)
CATALOGUE = (
    ("shelter", "帐篷", "12平方米单帐篷", "顶", None),
    ("shelter", "帐篷", "36平方米框架式", "顶", None),
    ("shelter", "折叠床", "单人钢木", "张", None),
    ("shelter", "棉被", "2.5公斤", "床", None),
    ("shelter", "毛毯", "化纤", "床", None),
    ("shelter", "棉大衣", "军绿色", "件", None),
    ("rescue", "救生衣", "成人型", "件", 1825),
    ("rescue", "救生圈", "2.5公斤", "个", 1825),
    ("rescue", "冲锋舟", "玻璃钢5.2米", "艘", None),
    ("rescue", "橡皮艇", "6人", "艘", None),
    ("power", "发电机", "汽油5千瓦", "台", None),
    ("power", "移动照明灯塔", "4×500瓦", "台", None),
    ("power", "强光手电", "充电式", "支", None),
    ("flood", "抽水泵", "潜水泵100立方米/时", "台", None),
    ("flood", "沙袋", "编织袋50×80厘米", "条", None),
    ("flood", "防汛土工布", "200克/平方米", "平方米", None),
    ("food", "方便食品", "方便面24桶/箱", "箱", 180),
    ("food", "压缩饼干", "5公斤/箱", "箱", 730),
    ("food", "自热米饭", "12盒/箱", "箱", 365),
    ("water", "饮用水", "550毫升×24瓶", "箱", 540),
    ("medical", "医用口罩", "50只/盒", "盒", 730),
    ("medical", "急救包", "家庭应急型", "个", 1095),
    ("tools", "铁锹", "尖头", "把", None),
    ("tools", "雨衣雨靴", "套装", "套", None),
)

#: how many different items a warehouse of each level keeps, and the quantity range of a batch
LEVEL_PLAN = {
    "city": (24, 200, 3000),
    "county": (18, 100, 1200),
    "town": (10, 20, 300),
    "village": (3, 5, 60),
}


def _q(rng, lo, hi) -> Decimal:
    return Decimal(rng.randint(lo, hi))


def load_demo(*, seed: int, counts) -> None:
    from yingji.accounts.models import Person, RoleAssignment
    from yingji.audit.services import record_bulk
    from yingji.deadlines import calendar
    from yingji.deadlines.models import Deadline
    from yingji.deadlines.rules import escalate_time, get_rule, remind_time
    from yingji.framework.roles import Role
    from yingji.materials import services
    from yingji.materials.models import (
        DocumentCounter,
        Item,
        LedgerEntry,
        Movement,
        MovementLine,
        Reserve,
        Stock,
        Warehouse,
    )
    from yingji.orgs.models import Department, Enterprise
    from yingji.places.models import Place

    rng = random.Random(f"{seed}-materials")
    now = timezone.now()
    today = timezone.localdate()
    year = timezone.localtime(now).year

    def write(model, objs):
        model.objects.bulk_create(objs, batch_size=1000)
        for i in range(0, len(objs), 2000):
            counts["audit_entries"] += record_bulk(objs[i : i + 2000])
        return objs

    places = list(Place.objects.defer("boundary").order_by("code"))
    city = next((p for p in places if p.level == "city"), None)
    if city is None:
        return
    by_level = {lvl: [p for p in places if p.level == lvl] for lvl in ("county", "town", "village")}
    parents = {p.pk: p for p in places}

    # --- catalogue ------------------------------------------------------------------------------
    items = write(
        Item,
        [
            Item(category=c, name=n, specification=spec, unit=u, shelf_life_days=life, place=city)
            for c, n, spec, u, life in CATALOGUE
        ],
    )
    counts["material_items"] = len(items)

    # --- warehouses -----------------------------------------------------------------------------
    emergency = {d.place_id: d for d in Department.objects.filter(kind="emergency")}
    government = {d.place_id: d for d in Department.objects.filter(kind="government")}
    keepers = {}
    for person in Person.objects.filter(place__level__in=["city", "county", "town"]).only("pk", "place_id"):
        keepers.setdefault(person.place_id, person)

    def spot(place, spread=0.01):
        lon, lat = place.centroid_lon, place.centroid_lat
        if lon is None or lat is None:
            return None, None
        return round(lon + rng.uniform(-spread, spread), 6), round(lat + rng.uniform(-spread, spread), 6)

    warehouses = []

    def add(name, place, level, owner, capacity, spread=0.01):
        lon, lat = spot(place, spread)
        warehouses.append(
            Warehouse(
                name=name,
                level=level,
                place=place,
                owner=owner,
                address=f"{place.name}{rng.choice(['工业园区', '物流园', '镇政府院内', '开发区'])}{rng.randint(1, 99)}号",
                longitude=lon,
                latitude=lat,
                area_m2=Decimal(capacity) / 3,
                capacity_m3=Decimal(capacity),
                keeper=keepers.get(place.pk),
                phone=f"0513-{rng.randint(80000000, 89999999)}",
            )
        )

    add(f"{city.name}救灾物资储备库", city, "city", emergency.get(city.pk), 24000)
    add(f"{city.name}防汛抗旱物资仓库", city, "city", emergency.get(city.pk), 12000)
    for county in by_level["county"]:
        add(
            f"{county.name}应急物资储备库",
            county,
            "county",
            emergency.get(county.pk),
            rng.randint(3000, 8000),
        )
    for town in by_level["town"]:
        add(f"{town.name}应急物资储备点", town, "town", government.get(town.pk), rng.randint(300, 1200))
    for village in by_level["village"]:
        if rng.random() < 0.3:
            town = parents.get(village.parent_id)
            owner = government.get(town.pk) if town else None
            add(f"{village.name}应急物资储备室", village, "village", owner, rng.randint(20, 80), spread=0.002)
    write(Warehouse, warehouses)
    counts["material_warehouses"] = len(warehouses)

    # --- stock with an opening receipt per warehouse ---------------------------------------------
    stocks, movements, lines_for = [], [], []
    opened = now - dt.timedelta(days=120)
    seq = 0
    for wh in warehouses:
        n_items, lo, hi = LEVEL_PLAN[wh.level]
        chosen = rng.sample(items, min(n_items, len(items)))
        seq += 1
        movement = Movement(
            number=f"WZ-{NUMBER_CODES[MovementKind.RECEIPT]}-{year}-{seq:06d}",
            kind=MovementKind.RECEIPT,
            status=MovementStatus.POSTED,
            warehouse=wh,
            place=wh.place,
            occurred_at=opened + dt.timedelta(minutes=seq),
            source=ReceiptSource.ALLOCATION if wh.level != "city" else ReceiptSource.PURCHASE,
            supplier="上级调拨" if wh.level != "city" else "政府采购",
            accepted_by=rng.choice(["王建国", "李红梅", "张卫东", "陈静", "刘志强"]),
            acceptance_result=AcceptanceResult.QUALIFIED,
            note="期初入库（演示数据）",
        )
        movements.append(movement)
        for item in chosen:
            batches = 1 if item.shelf_life_days is None else rng.choice([1, 1, 2, 3])
            for b in range(batches):
                production = expiry = None
                if item.shelf_life_days:
                    # most batches have months or years left; about one in eight is near (or past) expiry
                    left = (
                        rng.randint(-5, 60) if rng.random() < 0.12 else rng.randint(90, item.shelf_life_days)
                    )
                    expiry = today + dt.timedelta(days=left)
                    production = expiry - dt.timedelta(days=item.shelf_life_days)
                stock = Stock(
                    warehouse=wh,
                    item=item,
                    batch_no=f"{year - (1 if production and production.year < year else 0)}{wh.level[0].upper()}{seq:04d}{b}",
                    production_date=production,
                    expiry_date=expiry,
                    quantity=_q(rng, lo, hi),
                )
                stocks.append(stock)
                lines_for.append((movement, stock))
    write(Movement, movements)
    write(Stock, stocks)
    lines = [
        MovementLine(
            movement=m,
            direction=Direction.IN,
            item=s.item,
            stock=s,
            batch_no=s.batch_no,
            production_date=s.production_date,
            expiry_date=s.expiry_date,
            quantity=s.quantity,
        )
        for m, s in lines_for
    ]
    write(MovementLine, lines)
    entries = [
        LedgerEntry(
            warehouse=s.warehouse,
            item=s.item,
            stock=s,
            batch_no=s.batch_no,
            delta=s.quantity,
            balance_after=s.quantity,
            line=ln,
            at=m.occurred_at,
        )
        for (m, s), ln in zip(lines_for, lines, strict=True)
    ]

    # --- some issues to incidents and places, with their ledger entries ---------------------------
    issue_no = 0
    issues, issue_lines, issue_rows = [], [], []
    incidents = ["2026年第5号台风“梅花”", "7·18 强降雨内涝", "寒潮低温过程", "通吕运河堤防管涌险情"]
    for stock in rng.sample(stocks, min(150, len(stocks))):
        if stock.quantity < 4:
            continue
        issue_no += 1
        take = Decimal(rng.randint(1, int(stock.quantity) // 2))
        wh = stock.warehouse
        at = opened + dt.timedelta(days=rng.randint(10, 110), minutes=issue_no)
        village = rng.choice(by_level["village"]) if by_level["village"] else None
        incident = rng.choice(incidents) if rng.random() < 0.6 else ""
        movement = Movement(
            number=f"WZ-{NUMBER_CODES[MovementKind.ISSUE]}-{year}-{issue_no:06d}",
            kind=MovementKind.ISSUE,
            status=MovementStatus.POSTED,
            warehouse=wh,
            place=wh.place,
            occurred_at=at,
            recipient_kind=RecipientKind.INCIDENT if incident else RecipientKind.PLACE,
            incident=incident,
            destination_place=None if incident else village,
            destination_longitude=village.centroid_lon if village else None,
            destination_latitude=village.centroid_lat if village else None,
            recipient="受灾群众安置点" if incident else "",
        )
        issues.append(movement)
        stock.quantity -= take
        issue_rows.append((movement, stock, take, at))
    write(Movement, issues)
    for movement, stock, take, _at in issue_rows:
        issue_lines.append(
            MovementLine(
                movement=movement,
                direction=Direction.OUT,
                item=stock.item,
                stock=stock,
                batch_no=stock.batch_no,
                production_date=stock.production_date,
                expiry_date=stock.expiry_date,
                quantity=take,
            )
        )
    write(MovementLine, issue_lines)
    for (_movement, stock, take, at), ln in zip(issue_rows, issue_lines, strict=True):
        entries.append(
            LedgerEntry(
                warehouse=stock.warehouse,
                item=stock.item,
                stock=stock,
                batch_no=stock.batch_no,
                delta=-take,
                balance_after=stock.quantity,
                line=ln,
                at=at,
            )
        )
    Stock.objects.bulk_update([s for _m, s, _t, _a in issue_rows], ["quantity"], batch_size=1000)
    write(LedgerEntry, entries)
    DocumentCounter.objects.bulk_create(
        [
            DocumentCounter(kind=MovementKind.RECEIPT, year=year, last=seq),
            DocumentCounter(kind=MovementKind.ISSUE, year=year, last=issue_no),
        ]
    )
    counts["material_stock_batches"] = len(stocks)
    counts["material_movements"] = len(movements) + len(issues)
    counts["material_ledger_entries"] = len(entries)

    # --- rotation deadlines of the expiring batches ----------------------------------------------
    officers = {}
    for a in RoleAssignment.objects.filter(role=Role.BUREAU_OFFICER, place__isnull=False).select_related(
        "user", "place"
    ):
        officers.setdefault(a.place.code, a.user)

    def responsible(place):
        for code in reversed([c for c in place.path.split("/") if c]):
            if code in officers:
                return officers[code]
        return None

    stock_type = ContentType.objects.get_for_model(Stock)
    deadlines = []
    for stock in stocks:
        if stock.expiry_date is None or stock.quantity <= 0:
            continue
        rule = get_rule(services.rotation_rule(stock.item.category))
        due = calendar.end_of_day(stock.expiry_date)
        start = calendar.end_of_day(stock.production_date) - dt.timedelta(days=1)
        deadlines.append(
            Deadline(
                content_type=stock_type,
                object_id=str(stock.pk),
                rule=rule.code,
                title=f"物资到期轮换：{stock.warehouse} {stock.item} 批号{stock.batch_no}"[:200],
                start_at=start,
                due_at=due,
                due_computed=False,
                remind_at=remind_time(rule, due, day_based=True),
                escalate_at=escalate_time(rule, due, day_based=True),
                status="overdue" if now > due else "open",
                responsible=responsible(stock.warehouse.place),
                place=stock.warehouse.place,
            )
        )
    write(Deadline, deadlines)
    counts["material_deadlines"] = len(deadlines)

    # --- contract and capacity reserves -----------------------------------------------------------
    suppliers = list(Enterprise.objects.filter(industry__in=["13", "14", "15", "17", "18", "51", "52"])[:300])
    if not suppliers:
        suppliers = list(Enterprise.objects.all()[:300])
    reserves = []
    for place in [city, *by_level["county"]]:
        for _ in range(6 if place.level == "city" else 4):
            item = rng.choice(items)
            supplier = rng.choice(suppliers) if suppliers else None
            kind = "contract" if rng.random() < 0.65 else "capacity"
            reserves.append(
                Reserve(
                    kind=kind,
                    item=item,
                    supplier=supplier,
                    supplier_name="" if supplier else f"{place.name}应急物资供应商",
                    place=place,
                    owner=emergency.get(place.pk),
                    contract_no=f"{place.code[:6]}-XY-{year}-{len(reserves) + 1:03d}",
                    quantity=_q(rng, 500, 20000) if kind == "contract" else None,
                    delivery_hours=rng.choice([6, 12, 24, 48]) if kind == "contract" else None,
                    daily_output=_q(rng, 200, 5000) if kind == "capacity" else None,
                    valid_from=dt.date(year, 1, 1),
                    valid_until=dt.date(year + 2, 12, 31),
                    contact=f"{rng.choice(['王', '李', '张', '陈'])}经理 139{rng.randint(10000000, 99999999)}",
                )
            )
    write(Reserve, reserves)
    counts["material_reserves"] = len(reserves)

    # --- a few transfers in every state, through the services -------------------------------------
    from yingji.framework.access import SYSTEM

    county_wh = [w for w in warehouses if w.level == "county"]
    town_wh = [w for w in warehouses if w.level == "town"]
    made = 0
    for i, source in enumerate(county_wh[:6]):
        candidates = [w for w in town_wh if w.place.parent_id == source.place_id]
        row = next(
            (s for s in stocks if s.warehouse_id == source.pk and s.quantity >= 20 and not s.expiry_date),
            None,
        )
        if not candidates or row is None:
            continue
        movement = services.request_transfer(
            source=source,
            destination=rng.choice(candidates),
            lines=[services.LineIn(item=row.item, quantity=Decimal(10))],
            actor=SYSTEM,
            reason="汛前物资前置",
        )
        made += 1
        if i % 5 >= 1:
            services.approve_transfer(movement, actor=SYSTEM)
        if i % 5 >= 2:
            services.dispatch_transfer(movement, actor=SYSTEM)
        if i % 5 >= 3:
            services.receive_transfer(movement, actor=SYSTEM)
    counts["material_transfers"] = made


def _purge(qs) -> int:
    """Delete the rows of ``qs`` in one statement, logging each delete with ``record_bulk`` (the demo's
    documents and ledger are immutable row by row; removing the whole demo is an operator's act)."""
    from yingji.audit.choices import ChangeAction
    from yingji.audit.services import record_bulk

    objs = list(qs)
    if not objs:
        return 0
    record_bulk(objs, ChangeAction.DELETE)
    pks = [o.pk for o in objs]
    for i in range(0, len(pks), 900):
        chunk = qs.model.objects.filter(pk__in=pks[i : i + 900])
        chunk._raw_delete(chunk.db)
    return len(objs)


def remove_demo(counts: dict) -> None:
    from yingji.deadlines.models import Deadline
    from yingji.materials.models import (
        DocumentCounter,
        Item,
        LedgerEntry,
        Movement,
        MovementLine,
        Reserve,
        Stock,
        Warehouse,
    )

    stock_type = ContentType.objects.get_for_model(Stock)
    counts["material_deadlines"] = _purge(Deadline.objects.filter(content_type=stock_type))
    counts["material_ledger_entries"] = _purge(LedgerEntry.objects.select_related("warehouse__place", "item"))
    _purge(MovementLine.objects.select_related("movement", "item"))
    counts["material_movements"] = _purge(Movement.objects.select_related("place"))
    counts["material_stock_batches"] = _purge(Stock.objects.select_related("warehouse__place", "item"))
    counts["material_reserves"] = _purge(Reserve.objects.select_related("place", "item", "supplier"))
    counts["material_warehouses"] = _purge(Warehouse.objects.select_related("place"))
    counts["material_items"] = _purge(Item.objects.all())
    DocumentCounter.objects.all().delete()
