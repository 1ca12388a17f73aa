"""insert_rows: one prepared INSERT for many new rows, primary keys read back by a natural key."""

import datetime

import pytest
from django.db import connection

from yingji.framework.bulk import insert_rows
from yingji.orgs.models import Enterprise
from yingji.utilities.identifiers import make_uscc

pytestmark = pytest.mark.django_db


def test_inserts_rows_sets_keys_timestamps_and_prepares_custom_fields(region, make_department):
    village = region["village000"]
    department = make_department(place=village)
    objs = [
        Enterprise(
            name=f"甲{i}公司",
            uscc=make_uscc("9", "1", "320600", f"{i:08d}"),
            industry="26",
            place=village,
            regulator=department if i % 2 else None,
            risk_flags=["hazardous_chemicals"] if i % 3 == 0 else [],
            employees=i,
            longitude=120.5 + i / 1000 if i % 2 else None,
            latitude=32.0,
        )
        for i in range(1, 8)
    ]
    before = Enterprise.objects.count()
    out = insert_rows(Enterprise, objs, key="uscc", batch_size=3)
    assert out == objs
    assert Enterprise.objects.count() == before + 7
    for obj in objs:
        assert obj.pk is not None and not obj._state.adding
        assert isinstance(obj.created, datetime.datetime) and obj.created.tzinfo is not None
        stored = Enterprise.objects.get(pk=obj.pk)
        assert stored.uscc == obj.uscc
        assert stored.name == obj.name
        assert stored.regulator_id == obj.regulator_id
        assert stored.employees == obj.employees
        assert stored.longitude == obj.longitude
        assert stored.created == obj.created and stored.updated == obj.updated
        assert stored.risk_flags == obj.risk_flags
    # the custom field went through its own preparation: one flag is one LIKE filter
    assert set(
        Enterprise.objects.filter(risk_flags__contains=",hazardous_chemicals,").values_list("pk", flat=True)
    ) == {o.pk for o in objs if o.risk_flags}


def test_nothing_to_insert_and_key_must_be_unique():
    assert insert_rows(Enterprise, [], key="uscc") == []
    with pytest.raises(ValueError):
        insert_rows(Enterprise, [Enterprise(name="x")], key="name")


def test_same_table_as_bulk_create(region):
    """A row written by insert_rows reads back exactly like one written by bulk_create."""
    village = region["village000"]
    a = Enterprise(name="乙", uscc=make_uscc("9", "1", "320600", "00000101"), industry="26", place=village)
    b = Enterprise(name="乙", uscc=make_uscc("9", "1", "320600", "00000102"), industry="26", place=village)
    insert_rows(Enterprise, [a], key="uscc")
    Enterprise.objects.bulk_create([b])
    fields = [
        f.attname
        for f in Enterprise._meta.concrete_fields
        if f.attname not in ("id", "uscc", "created", "updated")
    ]
    ra, rb = (Enterprise.objects.filter(uscc=o.uscc).values(*fields).get() for o in (a, b))
    assert ra == rb
    assert connection.vendor in ("sqlite", "postgresql")
