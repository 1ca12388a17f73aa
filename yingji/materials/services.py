"""Write and read services of the materials app (C9)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from yingji.materials.models import Stock


def available_by_warehouse(item_id, *, user=None) -> dict[int, Decimal]:
    """Available quantity of an item per warehouse id, over all unexpired batches with stock.

    ``user`` (optional) limits the warehouses to those the user may view.
    """
    today = timezone.localdate()
    qs = Stock.objects.visible_to(user) if user is not None else Stock.objects.all()
    rows = (
        qs.filter(item_id=item_id, quantity__gt=0)
        .filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
        .values("warehouse_id")
        .annotate(total=Sum("quantity"))
        .order_by("warehouse_id")
    )
    return {row["warehouse_id"]: row["total"] for row in rows}
