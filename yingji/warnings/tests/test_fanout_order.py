"""Write order of a fan-out (fanout.send_order) and the delivery indexes it relies on."""

import pytest
from django.db import connection

from yingji.warnings import fanout


def test_send_order_keeps_other_groups_first_and_tiles_subscribers(settings):
    settings.YINGJI_WARNINGS_FANOUT_SORT_TILE = 3
    rows = [
        ("inapp", "user:9", 9, 4, 50),  # a responsible person
        ("sms", "13900000005", None, None, 7),
        ("sms", "13900000001", None, None, 8),
        ("sms", "13800000000", 9, 4, 50),  # the same person's mobile
        ("sms", "13900000004", None, None, 7),
        ("sms", "13900000002", None, None, 9),
        ("sms", "13900000003", None, None, 7),
        ("broadcast", "320602001001", None, None, 7),
    ]
    groups = [
        "village",
        "subscribers",
        "subscribers",
        "village",
        "subscribers",
        "subscribers",
        "subscribers",
        "places",
    ]
    out = fanout.send_order(rows, groups)
    assert out[:3] == [rows[0], rows[3], rows[7]]  # resolution order, before any subscriber
    # subscribers by address: …01 …02 …03 | …04 …05; each tile of 3 then by place (stable)
    assert [r[1][-2:] for r in out[3:]] == ["03", "01", "02", "04", "05"]
    assert sorted(out) == sorted(rows)


def test_send_order_without_tiles_is_address_order(settings):
    settings.YINGJI_WARNINGS_FANOUT_SORT_TILE = 0
    rows = [("sms", f"1390000000{i}", None, None, 10 - i) for i in (3, 1, 2)]
    out = fanout.send_order(rows, ["subscribers"] * 3)
    assert [r[1] for r in out] == ["13900000001", "13900000002", "13900000003"]


@pytest.mark.django_db
def test_delivery_indexes_are_lean():
    """Each index is one B-tree write per delivery: no single-column channel/status index, and the
    account, person and carrier-id indexes hold only the rows that have one."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "messaging_delivery")
    plain = {tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["primary_key"]}
    assert ("channel",) not in plain and ("status",) not in plain
    assert ("message_id", "channel", "address") in plain  # the unique constraint: exactly once
    assert ("place_id",) in plain  # the access filter
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messaging_delivery'"
            )
            sql = dict(cursor.fetchall())
        assert "WHERE" in sql["messaging_delivery_user"] and "WHERE" in sql["messaging_delivery_person"]
        assert "WHERE" in sql["messaging_delivery_provider"]
        assert not any("user_id" in s and "WHERE" not in s for s in sql.values() if s)
