"""The pages: the prefilled issue page, the movement forms, transfer buttons, ledger, near expiry."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from yingji.materials.models import Movement, Stock

pytestmark = pytest.mark.django_db


def test_issue_page_is_prefilled_from_the_query(warehouses, items, receive, officers, client):
    wh = warehouses["town00"]
    receive(wh, items["tent"], "8", batch="T9")
    client.force_login(officers["town00"])
    url = reverse("materials:issue")
    assert url == "/materials/issue/"
    html = client.get(
        url,
        {
            "warehouse": wh.pk,
            "item": items["tent"].pk,
            "longitude": "120.05",
            "latitude": "32.03",
            "place": "320602001201",
        },
    ).content.decode()
    assert f'<option value="{wh.pk}" selected>' in html
    assert f'<option value="{items["tent"].pk}" selected>' in html
    assert 'value="120.05"' in html and 'value="320602001201"' in html
    assert "T9" in html  # the batches of the chosen warehouse are offered
    too_much = client.post(
        url, {"warehouse": wh.pk, "item": items["tent"].pk, "quantity": "9", "recipient": "安置点"}
    )
    assert too_much.status_code == 200
    assert "库存不足" in too_much.content.decode() and "可用 8" in too_much.content.decode()
    assert not Movement.objects.filter(kind="issue").exists()
    done = client.post(
        url, {"warehouse": wh.pk, "item": items["tent"].pk, "quantity": "8", "place": "320602001201"}
    )
    movement = Movement.objects.get(kind="issue")
    assert done.status_code == 302 and done["Location"] == movement.get_absolute_url()
    assert movement.destination_place.code == "320602001201"


def test_receipt_stocktake_and_transfer_pages(warehouses, items, officers, client):
    client.force_login(officers["county0"])
    wh = warehouses["county0"]
    response = client.post(
        reverse("materials:receipt"),
        {
            "warehouse": wh.pk,
            "item": items["quilt"].pk,
            "quantity": "20",
            "source": "purchase",
            "accepted_by": "赵六",
            "acceptance_result": "qualified",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stock = Stock.objects.get()
    assert client.get(reverse("materials:stocktake")).status_code == 200  # asks for the warehouse first
    page = client.get(reverse("materials:stocktake"), {"warehouse": wh.pk}).content.decode()
    assert f"counted_{stock.pk}" in page
    response = client.post(
        reverse("materials:stocktake") + f"?warehouse={wh.pk}", {f"counted_{stock.pk}": "18"}
    )
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.quantity == 18
    response = client.post(
        reverse("materials:transfer"),
        {
            "source": wh.pk,
            "destination": warehouses["town00"].pk,
            "item": items["quilt"].pk,
            "quantity": "5",
            "reason": "前置",
        },
    )
    transfer = Movement.objects.get(kind="transfer")
    assert response["Location"] == transfer.get_absolute_url()
    # the requester sees no approve button; a colleague does and approves
    assert "step-approve" not in client.get(transfer.get_absolute_url()).content.decode()
    client.force_login(officers["county0b"])
    assert "step-approve" in client.get(transfer.get_absolute_url()).content.decode()
    client.post(reverse("materials:transfer_step", args=[transfer.pk, "approve"]))
    transfer.refresh_from_db()
    assert transfer.status == "approved"
    assert client.post(reverse("materials:transfer_step", args=[transfer.pk, "nonsense"])).status_code == 404
    # a reason longer than the document keeps is refused with a message, the transfer unchanged
    step = reverse("materials:transfer_step", args=[transfer.pk, "cancel"])
    response = client.post(step, {"reason": "长" * 301}, follow=True)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.closed_reason) == ("approved", "")
    assert "300" in " ".join(str(m) for m in response.context["messages"])
    client.post(step, {"reason": "已由社会捐赠解决"})
    transfer.refresh_from_db()
    assert (transfer.status, transfer.closed_reason) == ("cancelled", "已由社会捐赠解决")


def test_ledger_expiring_and_lists(warehouses, items, receive, officers, client):
    wh = warehouses["town00"]
    receive(wh, items["food"], "6", batch="F-soon", expiry=timezone.localdate() + dt.timedelta(days=5))
    client.force_login(officers["town00"])
    html = client.get(
        reverse("materials:ledger"), {"warehouse": wh.pk, "item": items["food"].pk}
    ).content.decode()
    assert "ledger-balance" in html and "6.00" in html
    expiring = client.get(reverse("materials:expiring")).content.decode()
    assert "F-soon" in expiring and "?warehouse=" in expiring
    for name in (
        "warehouse_list",
        "stock_list",
        "movement_list",
        "item_list",
        "reserve_list",
        "ledgerentry_list",
    ):
        assert client.get(reverse(f"materials:{name}")).status_code == 200, name
    assert client.get(warehouses["county0"].get_absolute_url()).status_code == 200
    leader_forms = client.get(reverse("materials:receipt"))
    assert leader_forms.status_code == 200
    client.force_login(officers["leader"])
    assert client.get(reverse("materials:receipt")).status_code == 403
