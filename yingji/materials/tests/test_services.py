"""Movements, the ledger and its invariants, transfer approval rules, stocktake, expiry reminders."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yingji.deadlines.choices import DeadlineStatus
from yingji.deadlines.models import Deadline
from yingji.framework.access import SYSTEM, AccessDenied
from yingji.materials import services
from yingji.materials.choices import MovementStatus
from yingji.materials.models import ImmutableDocument, LedgerEntry, Movement, Stock

D = Decimal
pytestmark = pytest.mark.django_db


def total(warehouse, item):
    return Stock.objects.filter(warehouse=warehouse, item=item).aggregate(t=Sum("quantity"))["t"] or D(0)


def assert_ledger_consistent():
    """Invariant: for every stock row, the sum of its ledger deltas equals its quantity, and the last
    entry's balance_after equals it too."""
    for stock in Stock.objects.all():
        entries = LedgerEntry.objects.filter(stock=stock)
        assert (entries.aggregate(t=Sum("delta"))["t"] or D(0)) == stock.quantity, stock
        last = entries.order_by("-at", "-id").first()
        if last:
            assert last.balance_after == stock.quantity


def test_receipt_creates_batch_ledger_and_number(warehouses, items, receive, officers):
    wh = warehouses["county0"]
    movement = receive(wh, items["tent"], "120", batch="T-2026-01", actor=officers["county0"])
    year = timezone.localdate().year
    assert movement.number == f"WZ-RK-{year}-000001"
    assert movement.status == MovementStatus.POSTED
    stock = Stock.objects.get(warehouse=wh, item=items["tent"], batch_no="T-2026-01")
    assert stock.quantity == D("120")
    entry = LedgerEntry.objects.get(stock=stock)
    assert (entry.delta, entry.balance_after, entry.line.movement_id) == (D("120"), D("120"), movement.pk)
    second = receive(wh, items["tent"], "30", batch="T-2026-01")
    assert second.number == f"WZ-RK-{year}-000002"
    assert Stock.objects.get(pk=stock.pk).quantity == D("150")
    assert services.balance_at(wh, items["tent"]) == D("150")
    assert_ledger_consistent()


def test_receipt_needs_qualified_acceptance_and_consistent_batches(warehouses, items, receive):
    wh = warehouses["county0"]
    line = [services.LineIn(item=items["tent"], quantity=D("5"))]
    with pytest.raises(services.MaterialsError) as exc:
        services.receive_stock(warehouse=wh, lines=line, actor=SYSTEM, accepted_by="")
    assert exc.value.domain_code == "acceptance_required"
    with pytest.raises(services.MaterialsError) as exc:
        services.receive_stock(
            warehouse=wh, lines=line, actor=SYSTEM, accepted_by="李四", acceptance_result="unqualified"
        )
    assert exc.value.domain_code == "acceptance_failed"
    # an expiring item needs its dates; the expiry follows from production date + shelf life
    with pytest.raises(services.MaterialsError) as exc:
        services.receive_stock(
            warehouse=wh,
            lines=[services.LineIn(item=items["food"], quantity=D("1"))],
            actor=SYSTEM,
            accepted_by="李四",
        )
    assert exc.value.domain_code == "expiry_required"
    produced = dt.date(2026, 3, 1)
    services.receive_stock(
        warehouse=wh,
        lines=[
            services.LineIn(item=items["food"], quantity=D("10"), batch_no="F1", production_date=produced)
        ],
        actor=SYSTEM,
        accepted_by="李四",
    )
    assert Stock.objects.get(batch_no="F1").expiry_date == produced + dt.timedelta(days=365)
    with pytest.raises(services.MaterialsError) as exc:
        receive(wh, items["food"], "3", batch="F1", expiry=dt.date(2030, 1, 1))
    assert exc.value.domain_code == "batch_mismatch"
    assert Movement.objects.count() == 1


def test_issue_first_expiry_first_out_and_refusal_writes_nothing(warehouses, items, receive, region):
    wh = warehouses["town00"]
    today = timezone.localdate()
    receive(wh, items["water"], "50", batch="W-late", expiry=today + dt.timedelta(days=300))
    receive(wh, items["water"], "20", batch="W-early", expiry=today + dt.timedelta(days=40))
    receive(wh, items["water"], "99", batch="W-expired", expiry=today - dt.timedelta(days=1))
    movement = services.issue_stock(
        warehouse=wh,
        lines=[services.LineIn(item=items["water"], quantity=D("30"))],
        actor=SYSTEM,
        incident="2026-07 台风“烟花”",
        destination_place=region["village000"],
    )
    taken = {ln.batch_no: ln.quantity for ln in movement.lines.all()}
    assert taken == {"W-early": D("20"), "W-late": D("10")}
    assert movement.destination_longitude is None or isinstance(movement.destination_longitude, float)
    assert services.available_by_warehouse(items["water"].pk) == {wh.pk: D("40")}

    counts = (Movement.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(services.InsufficientStock) as exc:
        services.issue_stock(
            warehouse=wh,
            lines=[services.LineIn(item=items["water"], quantity=D("41"))],
            actor=SYSTEM,
            recipient="某村",
        )
    assert exc.value.domain_code == "insufficient_stock"
    assert "可用 40" in exc.value.text and "申请 41" in exc.value.text
    assert exc.value.extra["available"] == "40.00"
    assert (Movement.objects.count(), LedgerEntry.objects.count()) == counts
    assert total(wh, items["water"]) == D("139")  # 40 usable + 99 expired, untouched
    # exactly all that is available is allowed (boundary)
    services.issue_stock(
        warehouse=wh,
        lines=[services.LineIn(item=items["water"], quantity=D("40"))],
        actor=SYSTEM,
        recipient="某村",
    )
    assert services.available_by_warehouse(items["water"].pk) == {}
    assert_ledger_consistent()


def test_issue_needs_a_recipient_and_a_positive_quantity(warehouses, items, receive):
    wh = warehouses["town00"]
    receive(wh, items["tent"], "5")
    with pytest.raises(services.MaterialsError) as exc:
        services.issue_stock(
            warehouse=wh, lines=[services.LineIn(item=items["tent"], quantity=D("1"))], actor=SYSTEM
        )
    assert exc.value.domain_code == "recipient_required"
    for bad in ("0", "-1", "abc", "0.001"):
        with pytest.raises(services.MaterialsError) as exc:
            services.issue_stock(
                warehouse=wh,
                lines=[services.LineIn(item=items["tent"], quantity=bad)],
                actor=SYSTEM,
                recipient="x",
            )
        assert exc.value.domain_code == "invalid_quantity"


def test_balance_at_past_times(warehouses, items, receive):
    wh, tent = warehouses["county0"], items["tent"]
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        receive(wh, tent, "100")
    with time_machine.travel(dt.datetime(2026, 5, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        services.issue_stock(
            warehouse=wh,
            lines=[services.LineIn(item=tent, quantity=D("30"))],
            actor=SYSTEM,
            recipient="灾民安置点",
        )
    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        receive(wh, tent, "5", batch="B2")
    at = lambda *a: dt.datetime(*a, tzinfo=dt.UTC)  # noqa: E731
    assert services.balance_at(wh, tent, at(2026, 4, 30)) == D("0")
    assert services.balance_at(wh, tent, at(2026, 5, 1, 9, 0)) == D("100")  # the posting instant counts
    assert services.balance_at(wh, tent, at(2026, 5, 2)) == D("100")
    assert services.balance_at(wh, tent, at(2026, 5, 4)) == D("70")
    assert services.balance_at(wh, tent, at(2026, 5, 6)) == D("75")
    assert services.balance_at(wh, tent) == total(wh, tent)


# --- transfers ------------------------------------------------------------------------------------
@pytest.fixture
def stocked(warehouses, items, receive):
    receive(warehouses["county0"], items["tent"], "100", batch="T1")
    return warehouses


def _request(stocked, items, actor, qty="40"):
    return services.request_transfer(
        source=stocked["county0"],
        destination=stocked["town00"],
        lines=[services.LineIn(item=items["tent"], quantity=D(qty))],
        actor=actor,
        reason="防汛前置",
    )


def test_transfer_full_cycle_conserves_total_and_posts_ledger(stocked, items, officers):
    tent = items["tent"]
    before = Stock.objects.aggregate(t=Sum("quantity"))["t"]
    movement = _request(stocked, items, officers["town00"])  # the town asks its county (read-up)
    assert movement.status == MovementStatus.REQUESTED
    assert movement.place == stocked["county0"].place  # both sides read it
    assert movement.number.startswith("WZ-DB-")
    assert LedgerEntry.objects.filter(line__movement=movement).count() == 0
    services.approve_transfer(movement, actor=officers["county0"])
    services.dispatch_transfer(movement, actor=officers["county0"])
    assert total(stocked["county0"], tent) == D("60")
    assert total(stocked["town00"], tent) == D("0")
    services.receive_transfer(movement, actor=officers["town00"])
    movement.refresh_from_db()
    assert movement.status == MovementStatus.RECEIVED
    assert total(stocked["town00"], tent) == D("40")
    assert Stock.objects.get(warehouse=stocked["town00"]).batch_no == "T1"
    assert Stock.objects.aggregate(t=Sum("quantity"))["t"] == before
    assert LedgerEntry.objects.filter(line__movement=movement).aggregate(t=Sum("delta"))["t"] == 0
    assert_ledger_consistent()


def test_who_may_approve_a_transfer(stocked, items, officers):
    movement = _request(stocked, items, officers["town00"])
    # the requesting town only reads the county's warehouse: it may not approve
    with pytest.raises(AccessDenied) as exc:
        services.approve_transfer(movement, actor=officers["town00"])
    assert exc.value.code == "not_approver"
    # another county neither
    with pytest.raises(AccessDenied):
        services.approve_transfer(movement, actor=officers["county1"])
    # a leader reads but does not approve
    with pytest.raises(AccessDenied):
        services.approve_transfer(movement, actor=officers["leader"])
    # a higher level (the city) may
    services.approve_transfer(movement, actor=officers["city"])
    movement.refresh_from_db()
    assert movement.status == MovementStatus.APPROVED and movement.approved_by == officers["city"]


def test_the_requester_may_not_approve_own_request(stocked, items, officers):
    movement = _request(stocked, items, officers["county0"])
    with pytest.raises(AccessDenied) as exc:
        services.approve_transfer(movement, actor=officers["county0"])
    assert exc.value.code == "self_approval"
    services.approve_transfer(movement, actor=officers["county0b"])  # a colleague of the same level


def test_transfer_steps_in_order_only(stocked, items, officers):
    movement = _request(stocked, items, officers["town00"])
    for step, actor in (
        (services.dispatch_transfer, officers["county0"]),
        (services.receive_transfer, officers["town00"]),
    ):
        with pytest.raises(services.InvalidTransition) as exc:
            step(movement, actor=actor)
        assert exc.value.domain_code == "invalid_transition"
    services.approve_transfer(movement, actor=officers["county0"])
    with pytest.raises(services.InvalidTransition):
        services.approve_transfer(movement, actor=officers["city"])  # twice
    with pytest.raises(services.InvalidTransition):
        services.receive_transfer(movement, actor=officers["town00"])  # before dispatch
    # the destination's side dispatches nothing from the county's warehouse
    with pytest.raises(AccessDenied):
        services.dispatch_transfer(movement, actor=officers["town00"])
    services.dispatch_transfer(movement, actor=officers["county0"])
    with pytest.raises(services.InvalidTransition):
        services.cancel_transfer(movement, actor=officers["county0"])  # stock is on the road
    with pytest.raises(AccessDenied):
        services.receive_transfer(movement, actor=officers["town01"])  # not the destination
    services.receive_transfer(movement, actor=officers["county0"])  # the county may receive for its town
    with pytest.raises(ImmutableDocument):
        movement.refresh_from_db()
        movement.note = "改"
        movement.save()


def test_transfer_reject_and_cancel(stocked, items, officers):
    movement = _request(stocked, items, officers["town00"])
    with pytest.raises(services.MaterialsError) as exc:
        services.reject_transfer(movement, actor=officers["county0"], reason="")
    assert exc.value.domain_code == "reason_required"
    services.reject_transfer(movement, actor=officers["county0"], reason="库存需保障本级")
    with pytest.raises(services.InvalidTransition):
        services.approve_transfer(movement, actor=officers["county0"])
    second = _request(stocked, items, officers["town00"])
    services.cancel_transfer(second, actor=officers["town00"], reason="已由社会捐赠解决")
    second.refresh_from_db()
    assert second.status == MovementStatus.CANCELLED
    assert total(stocked["county0"], items["tent"]) == D("100")


def test_transfer_request_rules(stocked, items, officers):
    with pytest.raises(services.MaterialsError) as exc:
        services.request_transfer(
            source=stocked["county0"],
            destination=stocked["county0"],
            lines=[services.LineIn(item=items["tent"], quantity=D("1"))],
            actor=officers["county0"],
            reason="x",
        )
    assert exc.value.domain_code == "same_warehouse"
    # a town cannot see a sibling town's warehouse, so it cannot ask it
    with pytest.raises(AccessDenied):
        services.request_transfer(
            source=stocked["town01"],
            destination=stocked["town00"],
            lines=[services.LineIn(item=items["tent"], quantity=D("1"))],
            actor=officers["town00"],
            reason="x",
        )
    with pytest.raises(services.InsufficientStock):
        _request(stocked, items, officers["town00"], qty="101")
    # dispatch re-checks the stock: it may have been issued meanwhile
    movement = _request(stocked, items, officers["town00"], qty="80")
    services.approve_transfer(movement, actor=officers["county0"])
    services.issue_stock(
        warehouse=stocked["county0"],
        lines=[services.LineIn(item=items["tent"], quantity=D("50"))],
        actor=officers["county0"],
        recipient="x",
    )
    with pytest.raises(services.InsufficientStock):
        services.dispatch_transfer(movement, actor=officers["county0"])
    movement.refresh_from_db()
    assert movement.status == MovementStatus.APPROVED
    assert total(stocked["county0"], items["tent"]) == D("50")


# --- stocktake, scrap, rotation -------------------------------------------------------------------
def test_stocktake_posts_variances(warehouses, items, receive):
    wh = warehouses["town00"]
    receive(wh, items["tent"], "10", batch="A")
    receive(wh, items["quilt"], "50", batch="B")
    receive(wh, items["quilt"], "7", batch="C")
    a, b, c = (Stock.objects.get(batch_no=x) for x in "ABC")
    movement = services.take_stock(
        warehouse=wh,
        counts=[
            services.LineIn(stock=a, counted=D("12")),
            services.LineIn(stock=b, counted=D("47")),
            services.LineIn(stock=c, counted=D("7")),
        ],
        actor=SYSTEM,
        reason="季度盘点",
    )
    lines = {ln.batch_no: ln for ln in movement.lines.all()}
    assert (lines["A"].book_quantity, lines["A"].counted_quantity, lines["A"].variance) == (
        D(10),
        D(12),
        D(2),
    )
    assert (lines["B"].direction, lines["B"].quantity, lines["B"].variance) == ("out", D(3), D(-3))
    assert lines["C"].variance == 0
    assert LedgerEntry.objects.filter(line__movement=movement).count() == 2  # no entry without a change
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.quantity, b.quantity, c.quantity) == (D(12), D(47), D(7))
    with pytest.raises(services.MaterialsError) as exc:
        services.take_stock(
            warehouse=warehouses["town01"], counts=[services.LineIn(stock=a, counted=D("1"))], actor=SYSTEM
        )
    assert exc.value.domain_code == "wrong_warehouse"
    assert_ledger_consistent()


def test_scrap_and_rotation_meet_the_expiry_deadline(warehouses, items, receive):
    wh = warehouses["town00"]
    today = timezone.localdate()
    receive(wh, items["food"], "20", batch="OLD", expiry=today + dt.timedelta(days=10))
    old = Stock.objects.get(batch_no="OLD")
    deadline = Deadline.objects.get(object_id=str(old.pk), rule="materials.rotate_food")
    assert deadline.status == DeadlineStatus.OPEN
    with pytest.raises(services.MaterialsError) as exc:
        services.scrap_stock(
            warehouse=wh, lines=[services.LineIn(stock=old, quantity=D("2"))], actor=SYSTEM, reason=""
        )
    assert exc.value.domain_code == "reason_required"
    services.scrap_stock(
        warehouse=wh, lines=[services.LineIn(stock=old, quantity=D("2"))], actor=SYSTEM, reason="包装破损"
    )
    movement = services.rotate_stock(
        warehouse=wh,
        out_lines=[services.LineIn(stock=old, quantity=D("18"))],
        in_lines=[
            services.LineIn(
                item=items["food"],
                quantity=D("18"),
                batch_no="NEW",
                expiry_date=today + dt.timedelta(days=365),
            )
        ],
        actor=SYSTEM,
        reason="临期轮换",
    )
    assert movement.number.startswith("WZ-LH-")
    old.refresh_from_db()
    assert old.quantity == 0
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    new = Stock.objects.get(batch_no="NEW")
    assert new.quantity == D("18")
    assert Deadline.objects.get(object_id=str(new.pk)).status == DeadlineStatus.OPEN
    with pytest.raises(services.MaterialsError) as exc:
        services.rotate_stock(
            warehouse=wh,
            out_lines=[services.LineIn(stock=new, quantity=D("1"))],
            in_lines=[services.LineIn(item=items["tent"], quantity=D("1"))],
            actor=SYSTEM,
        )
    assert exc.value.domain_code == "rotation_items_mismatch"
    assert_ledger_consistent()


def test_expiry_reminder_with_a_frozen_clock(warehouses, items, receive, officers, settings):
    from yingji.deadlines.services import check_deadlines
    from yingji.messaging.models import Message

    wh = warehouses["town00"]
    expiry = dt.date(2026, 9, 30)
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        receive(wh, items["food"], "40", batch="F-0930", expiry=expiry, production=dt.date(2025, 10, 1))
    stock = Stock.objects.get(batch_no="F-0930")
    deadline = Deadline.objects.get(object_id=str(stock.pk))
    assert deadline.responsible == officers["town00"]  # the bureau officer of the warehouse's town
    assert deadline.rule == "materials.rotate_food"
    # food: reminded 30 days before the expiry date (at 08:00 local time), not before
    day_before = dt.datetime(2026, 8, 30, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(day_before, tick=False):
        assert check_deadlines(now=timezone.now())["reminded"] == 0
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        assert check_deadlines(now=timezone.now())["reminded"] == 1
    deadline.refresh_from_db()
    assert deadline.reminded_at is not None
    assert Message.objects.filter(subject__contains="物资到期轮换").exists()
    # the page of batches near expiry lists it
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        assert list(services.near_expiry()) == [stock]
    with time_machine.travel(dt.datetime(2026, 8, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        assert list(services.near_expiry()) == []


def test_ledger_and_posted_documents_are_immutable(warehouses, items, receive):
    movement = receive(warehouses["city"], items["tent"], "3")
    entry = LedgerEntry.objects.get()
    entry.delta = D("300")
    with pytest.raises(ImmutableDocument):
        entry.save()
    with pytest.raises(ImmutableDocument):
        entry.delete()
    line = movement.lines.get()
    line.quantity = D("9")
    with pytest.raises(ImmutableDocument):
        line.save()
    with pytest.raises(ImmutableDocument):
        movement.delete()


def test_stock_never_negative_in_the_database(warehouses, items, receive):
    from django.db import IntegrityError, transaction

    receive(warehouses["city"], items["tent"], "3")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.update(quantity=D("-1"))


def test_responsible_user_is_the_first_officer_of_the_nearest_level(warehouses, officers, region):
    assert services.responsible_user(warehouses["village000"]) == officers["town00"]
    assert services.responsible_user(warehouses["town10"]) == officers["county1"]  # no officer in town10
    assert services.responsible_user(warehouses["county0"]) == officers["county0"]  # lower id of two
    officers["county0"].is_active = False
    officers["county0"].save()
    assert services.responsible_user(warehouses["county0"]) == officers["county0b"]


def test_receipt_costs_the_same_queries_per_line(items, warehouses, officers):
    """Every line of a receipt costs the same fixed number of queries: the item, warehouse and place
    loaded with the locked batches serve the audit entries and the rotation deadline of each line."""

    def cost(n, tag):
        lines = [
            services.LineIn(
                item=items["food"],
                quantity=Decimal(5),
                batch_no=f"{tag}-{i}",
                expiry_date=dt.date.today() + dt.timedelta(days=100 + i),
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            services.receive_stock(
                warehouse=warehouses["village000"], lines=lines, actor=SYSTEM, accepted_by="张三"
            )
        return len(ctx.captured_queries)

    one, eleven = cost(1, "A"), cost(11, "B")
    assert (eleven - one) / 10 <= 20
