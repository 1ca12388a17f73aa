"""The movement endpoints: refusals in the standard error shape, transfer steps, balance."""

import datetime as dt

import pytest

from yingji.materials.models import LedgerEntry, Movement, Stock

pytestmark = pytest.mark.django_db


def test_issue_larger_than_stock_is_refused_with_the_available_quantity(
    warehouses, items, receive, officers, api
):
    wh = warehouses["town00"]
    receive(wh, items["tent"], "12")
    c = api(officers["town00"])
    before = (Movement.objects.count(), LedgerEntry.objects.count())
    response = c.post(
        "/api/v1/materials/issues/",
        {"warehouse": wh.pk, "lines": [{"item": items["tent"].pk, "quantity": "13"}], "incident": "E-1"},
        format="json",
    )
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "insufficient_stock"
    assert "可用 12" in error["message"]
    assert error["fields"]["quantity"][0]["available"] == "12.00"
    assert (Movement.objects.count(), LedgerEntry.objects.count()) == before
    ok = c.post(
        "/api/v1/materials/issues/",
        {
            "warehouse": wh.pk,
            "lines": [{"item": items["tent"].pk, "quantity": "12"}],
            "place": "320602001201",
            "longitude": 120.05,
            "latitude": 32.02,
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["kind"] == "issue" and body["destination_place"] == "320602001201"
    assert body["lines"][0]["quantity"] == "12.00"


def test_out_of_scope_warehouse_reads_as_missing(warehouses, items, officers, api):
    c = api(officers["town00"])
    response = c.post(
        "/api/v1/materials/receipts/",
        {
            "warehouse": warehouses["town10"].pk,
            "lines": [{"item": items["tent"].pk, "quantity": "1"}],
            "accepted_by": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["warehouse"][0]["code"] == "does_not_exist"
    read_only = c.post(
        "/api/v1/materials/receipts/",
        {
            "warehouse": warehouses["county0"].pk,
            "lines": [{"item": items["tent"].pk, "quantity": "1"}],
            "accepted_by": "x",
        },
        format="json",
    )
    assert read_only.status_code == 403
    assert read_only.json()["error"]["code"] == "out_of_scope"


def test_transfer_through_the_api(warehouses, items, receive, officers, api):
    receive(warehouses["county0"], items["quilt"], "100", batch="Q1")
    town, county = api(officers["town00"]), api(officers["county0"])
    created = town.post(
        "/api/v1/materials/transfers/",
        {
            "source": warehouses["county0"].pk,
            "destination": warehouses["town00"].pk,
            "lines": [{"item": items["quilt"].pk, "quantity": "30"}],
            "reason": "寒潮安置",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"/api/v1/materials/movements/{pk}/"
    skipped = town.post(url + "receive/")
    assert skipped.status_code == 409 and skipped.json()["error"]["code"] == "invalid_transition"
    denied = town.post(url + "approve/")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "not_approver"
    assert county.post(url + "approve/").json()["status"] == "approved"
    assert county.post(url + "dispatch/").json()["status"] == "dispatched"
    received = town.post(url + "receive/")
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert Stock.objects.get(warehouse=warehouses["town00"]).quantity == 30
    balance = town.get(
        "/api/v1/materials/balance/", {"warehouse": warehouses["town00"].pk, "item": items["quilt"].pk}
    )
    assert balance.json()["balance"] == "30.00"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    past = town.get(
        "/api/v1/materials/balance/",
        {"warehouse": warehouses["town00"].pk, "item": items["quilt"].pk, "at": yesterday},
    )
    assert past.json()["balance"] == "0.00"
    available = town.get("/api/v1/materials/available/", {"item": items["quilt"].pk}).json()
    assert {w["warehouse"]: w["available"] for w in available["warehouses"]} == {
        warehouses["county0"].pk: "70.00",
        warehouses["town00"].pk: "30.00",
    }


def test_stocktake_scrap_rotation_endpoints(warehouses, items, receive, officers, api):
    wh = warehouses["town00"]
    receive(wh, items["food"], "10", batch="F1")
    stock = Stock.objects.get()
    c = api(officers["town00"])
    take = c.post(
        "/api/v1/materials/stocktakes/",
        {"warehouse": wh.pk, "counts": [{"stock": stock.pk, "counted": "9"}]},
        format="json",
    )
    assert take.status_code == 201, take.content
    assert take.json()["lines"][0]["book_quantity"] == "10.00"
    scrap = c.post(
        "/api/v1/materials/scraps/",
        {"warehouse": wh.pk, "lines": [{"stock": stock.pk, "quantity": "1"}], "reason": "受潮"},
        format="json",
    )
    assert scrap.status_code == 201, scrap.content
    rotation = c.post(
        "/api/v1/materials/rotations/",
        {
            "warehouse": wh.pk,
            "out_lines": [{"stock": stock.pk, "quantity": "8"}],
            "in_lines": [
                {"item": items["food"].pk, "quantity": "8", "batch_no": "F2", "expiry_date": "2030-01-01"}
            ],
        },
        format="json",
    )
    assert rotation.status_code == 201, rotation.content
    stock.refresh_from_db()
    assert stock.quantity == 0
    assert c.post("/api/v1/materials/movements/", {}, format="json").status_code == 405
    leader = api(officers["leader"])
    assert leader.get("/api/v1/materials/movements/").json()["count"] == 4  # with the receipt
    assert leader.post("/api/v1/materials/scraps/", {}, format="json").status_code == 403
