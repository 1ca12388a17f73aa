"""Concurrent issues and transfers on the same stock, from threads that each hold their own database
connection: stock never goes negative, every refusal is clean, and the total is conserved.

PostgreSQL (``@pytest.mark.postgres``; run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``):
the services lock the stock rows ``FOR UPDATE`` in primary-key order and use conditional UPDATEs.

SQLite: the test database of the test run is in memory with a shared cache; there SQLite reports a
held table lock as ``SQLITE_LOCKED`` at once instead of waiting (``busy_timeout`` applies only to
file databases), so concurrent writers fail rather than queue. The production setting (a WAL file
with ``IMMEDIATE`` transactions and ``busy_timeout``) serialises writers; the SQLite variant below
therefore runs only against a file test database and is skipped otherwise: run it with
``YINGJI_TEST_DB_FILE=/tmp/yingji-test.sqlite3`` (``.ci/run`` does).
"""

import os
import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from yingji.framework.access import SYSTEM
from yingji.materials import services
from yingji.materials.choices import MovementKind
from yingji.materials.models import Item, LedgerEntry, Movement, MovementLine, Stock, Warehouse

D = Decimal


def _setup(region):
    item = Item.objects.create(category="shelter", name="折叠床", unit="张", place=region["city"])
    source = Warehouse.objects.create(name="县储备库", level="county", place=region["county0"])
    target = Warehouse.objects.create(name="镇储备点", level="town", place=region["town00"])
    for batch in ("A", "B"):
        services.receive_stock(
            warehouse=source,
            lines=[services.LineIn(item=item, quantity=D("50"), batch_no=batch)],
            actor=SYSTEM,
            accepted_by="验收员",
        )
    return item, source, target


def _run(item, source, target, *, workers: int, seed: int = 7):
    rng = random.Random(seed)
    plan = [("issue" if i % 3 else "transfer", D(rng.choice(["2", "3", "5", "7"]))) for i in range(workers)]
    barrier = threading.Barrier(workers)
    outcome = {"ok": 0, "refused": 0, "errors": []}
    lock = threading.Lock()

    def work(kind, quantity):
        try:
            barrier.wait(timeout=30)
            line = [services.LineIn(item=item, quantity=quantity)]
            if kind == "issue":
                services.issue_stock(warehouse=source, lines=line, actor=SYSTEM, incident="并发测试")
            else:
                movement = services.request_transfer(
                    source=source, destination=target, lines=line, actor=SYSTEM, reason="并发测试"
                )
                services.approve_transfer(movement, actor=SYSTEM)
                services.dispatch_transfer(movement, actor=SYSTEM)
                services.receive_transfer(movement, actor=SYSTEM)
            with lock:
                outcome["ok"] += 1
        except services.InsufficientStock:
            with lock:
                outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                outcome["errors"].append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=p) for p in plan]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcome


def _assert_conserved(item, source, target, initial: Decimal):
    assert not Stock.objects.filter(quantity__lt=0).exists()
    held = Stock.objects.filter(item=item).aggregate(t=Sum("quantity"))["t"]
    issued = (
        MovementLine.objects.filter(movement__kind=MovementKind.ISSUE).aggregate(t=Sum("quantity"))["t"] or 0
    )
    in_transit = (
        MovementLine.objects.filter(
            movement__kind=MovementKind.TRANSFER, movement__status="dispatched"
        ).aggregate(t=Sum("quantity"))["t"]
        or 0
    )
    assert held + issued + in_transit == initial
    for stock in Stock.objects.all():
        assert LedgerEntry.objects.filter(stock=stock).aggregate(t=Sum("delta"))["t"] == stock.quantity
    numbers = list(Movement.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_and_transfers_on_postgresql(region):
    item, source, target = _setup(region)
    outcome = _run(item, source, target, workers=60)
    assert outcome["errors"] == []
    assert outcome["ok"] + outcome["refused"] == 60
    assert outcome["refused"] > 0 and outcome["ok"] > 0  # demand (≈250) exceeds the 100 in stock
    _assert_conserved(item, source, target, D("100"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite" or not os.environ.get("YINGJI_TEST_DB_FILE"),
    reason="SQLite threads need a file test database: set YINGJI_TEST_DB_FILE (see the module docstring)",
)
def test_parallel_issues_on_sqlite_file(region):
    item, source, target = _setup(region)
    outcome = _run(item, source, target, workers=12)
    assert outcome["errors"] == []
    _assert_conserved(item, source, target, D("100"))
