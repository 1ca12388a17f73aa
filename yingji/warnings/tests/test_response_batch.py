"""Answers relayed in bulk (``POST /api/v1/warning-acks/by-token/batch/``): the SMS/voice carrier or the
政务微信 gateway posts many persons' replies at once. Same result as answering one by one; the first
answer counts; repeats, unknown tokens and bad items are reported per item; a bounded number of
statements whatever the batch size; only accounts that may change acknowledgements."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from yingji.audit.models import ObjectChange
from yingji.framework.roles import Role
from yingji.warnings import response
from yingji.warnings.models_response import Acknowledgement
from yingji.warnings.tests.test_response_support import make_warning

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
URL = "/api/v1/warning-acks/by-token/batch/"
#: authentication (token, user, role assignments), SAVEPOINT, UPDATE … RETURNING, the read of the tokens
#: not answered, the change-log executemany, RELEASE — with some slack, whatever the batch size
MAX_QUERIES = 10
_TX = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def warning(region, clock):
    return make_warning(
        region,
        sent_at=T0,
        effective_at=T0,
        expires_at=T0 + dt.timedelta(hours=6),
        places=[region["village000"]],
    )


def _acks(warning, place, n, prefix="网格员"):
    rows = [
        Acknowledgement(
            warning=warning,
            place=place,
            tier="village",
            name=f"{prefix}{i}",
            called_at=T0,
            due_at=T0 + dt.timedelta(minutes=10),
        )
        for i in range(n)
    ]
    Acknowledgement.objects.bulk_create(rows)
    return list(Acknowledgement.objects.filter(warning=warning, name__startswith=prefix).order_by("id"))


@pytest.fixture
def gateway(make_user, region):
    """The carrier's integration account: a duty-officer account at the city."""
    ContentType.objects.get_for_model(Acknowledgement)  # cached per process, as in a running server
    return make_user(Role.DUTY_OFFICER, username="sms-gateway", place=region["city"])


def _log(ack):
    ct = ContentType.objects.get_for_model(Acknowledgement)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=str(ack.pk), action="update"))


def _entry(e):
    return (
        e.time,
        e.actor_id,
        e.actor_name,
        e.source,
        e.action,
        e.object_repr,
        e.place_id,
        e.before,
        e.after,
    )


def test_batch_equals_the_same_answers_one_by_one(warning, region, clock, api, gateway):
    batch = _acks(warning, region["village000"], 6, "甲")
    single = _acks(warning, region["village000"], 6, "乙")
    vias = ["sms", "voice", "wechat", "sms", "voice", "wechat"]
    ats = [T0 + dt.timedelta(minutes=m) for m in (1, 2, 2, 9, 11, 14)]
    clock.move_to(T0 + dt.timedelta(minutes=15))
    answers = [
        {"token": a.token, "at": at.isoformat(), "via": via}
        for a, at, via in zip(batch, ats, vias, strict=True)
    ]
    answer = api(gateway).post(URL, {"answers": answers}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {
        "accepted": 6,
        "already_answered": 0,
        "unknown": 0,
        "duplicate": 0,
        "invalid": 0,
        "results": [],
    }
    from yingji.audit.context import change_context

    with change_context("api", actor=gateway, ip="127.0.0.1"):
        for a, at, via in zip(single, ats, vias, strict=True):
            response.answer_token(a.token, actor=gateway, via=via, at=at)
    for a, b in zip(batch, single, strict=True):
        a.refresh_from_db()
        b.refresh_from_db()
        fields = ("acknowledged_at", "via", "acknowledged_by_id", "updated", "stage")
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
        assert a.acknowledged_by_id == gateway.pk
        [ea], [eb] = _log(a), _log(b)
        assert _entry(ea)[:5] == _entry(eb)[:5] and _entry(ea)[6:] == _entry(eb)[6:]
        assert ea.object_repr == f"{warning.headline} · {a.place.name} · {a.name}"
        assert ea.actor_id == gateway.pk and ea.source == "api" and ea.time == T0 + dt.timedelta(minutes=15)
    assert [a.acknowledged_at for a in batch] == ats
    assert [a.late for a in batch] == [False, False, False, False, True, True]
    assert batch[0].via == "sms" and batch[1].get_via_display() == "语音应答"


def test_first_answer_wins_and_repeats_are_reported(warning, region, clock, api, gateway):
    [ack] = _acks(warning, region["village000"], 1)
    clock.move_to(T0 + dt.timedelta(minutes=3))
    response.answer_token(ack.token)  # the link, first
    clock.move_to(T0 + dt.timedelta(minutes=5))
    answer = api(gateway).post(
        URL, {"answers": [{"token": ack.token, "at": "2026-07-01T08:02:00Z", "via": "sms"}]}, format="json"
    )
    body = answer.json()
    assert body["accepted"] == 0 and body["already_answered"] == 1
    [item] = body["results"]
    assert item["code"] == "already_answered" and item["index"] == 0 and item["token"] == ack.token
    assert item["acknowledged_at"] == "2026-07-01T08:03:00Z" and item["via"] == "link"
    ack.refresh_from_db()
    assert ack.acknowledged_at == T0 + dt.timedelta(minutes=3) and ack.via == "link"
    assert len(_log(ack)) == 1
    # and a second batch with the same answer after an accepted batch changes nothing either
    [other] = _acks(warning, region["village000"], 1, "乙")
    for _ in range(2):
        api(gateway).post(URL, {"answers": [{"token": other.token, "via": "wechat"}]}, format="json")
    other.refresh_from_db()
    assert other.acknowledged_at == T0 + dt.timedelta(minutes=5) and len(_log(other)) == 1


def test_unknown_duplicate_and_bad_items_in_one_batch(warning, region, clock, api, gateway):
    a, b, c = _acks(warning, region["village000"], 3)
    clock.move_to(T0 + dt.timedelta(minutes=20))
    answers = [
        {"token": a.token, "at": "2026-07-01T16:07:00+08:00", "via": "sms"},  # 0: later duplicate of 2
        {"token": "no-such-token", "via": "sms"},  # 1: unknown
        {"token": a.token, "at": "2026-07-01T08:05:00Z", "via": "voice"},  # 2: the earliest: counts
        {"token": b.token, "via": "fax"},  # 3: bad via
        {"token": b.token, "at": "yesterday", "via": "sms"},  # 4: unparseable time
        {"token": b.token, "at": "2026-07-01T08:21:01Z", "via": "sms"},  # 5: beyond the 60 s skew
        {"token": c.token, "at": "2026-07-01T07:59:59Z", "via": "sms"},  # 6: before the call
        {"token": "", "via": "sms"},  # 7: empty token
        "not an object",  # 8
        {"token": b.token, "at": "2026-07-01T08:21:00Z", "via": "wechat"},  # 9: within the skew → now
        {"token": a.token, "at": "2026-07-01T08:05:00Z", "via": "sms"},  # 10: same time, later in list
    ]
    body = api(gateway).post(URL, {"answers": answers}, format="json").json()
    assert {k: body[k] for k in ("accepted", "already_answered", "unknown", "duplicate", "invalid")} == {
        "accepted": 2,
        "already_answered": 0,
        "unknown": 2,
        "duplicate": 2,
        "invalid": 5,
    }
    assert [(r["index"], r["code"]) for r in body["results"]] == [
        (0, "duplicate"),
        (1, "invalid_token"),
        (3, "invalid_via"),
        (4, "invalid_at"),
        (5, "invalid_at"),
        (6, "before_call"),
        (7, "invalid_token"),
        (8, "invalid"),
        (10, "duplicate"),
    ]
    assert all(r["message"] for r in body["results"])
    for ack in (a, b, c):
        ack.refresh_from_db()
    assert (a.acknowledged_at, a.via) == (T0 + dt.timedelta(minutes=5), "voice")
    assert (b.acknowledged_at, b.via) == (T0 + dt.timedelta(minutes=20), "wechat")  # clamped to now
    assert c.acknowledged_at is None and not _log(c)
    assert len(_log(a)) == 1 and len(_log(b)) == 1


def test_time_defaults_to_now_and_naive_times_are_local(warning, region, clock, api, gateway):
    a, b = _acks(warning, region["village000"], 2)
    clock.move_to(T0 + dt.timedelta(minutes=7))
    answers = [
        {"token": a.token, "via": "sms"},
        {"token": b.token, "at": "2026-07-01 16:04:00", "via": "sms"},
    ]
    assert api(gateway).post(URL, {"answers": answers}, format="json").json()["accepted"] == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.acknowledged_at == T0 + dt.timedelta(minutes=7)
    assert b.acknowledged_at == T0 + dt.timedelta(minutes=4)  # Asia/Shanghai 16:04 = 08:04 UTC


def test_limits_and_request_shape(warning, region, clock, api, gateway, settings):
    [ack] = _acks(warning, region["village000"], 1)
    settings.YINGJI_WARNINGS_ACK_BATCH_MAX = 3
    client = api(gateway)
    four = {"answers": [{"token": ack.token, "via": "sms"}] * 4}
    too_many = client.post(URL, four, format="json")
    assert too_many.status_code == 400
    assert too_many.json()["error"]["fields"]["answers"][0]["code"] == "too_many"
    for body in ({}, {"answers": []}, {"answers": "x"}, {"answers": {"token": ack.token}}):
        bad = client.post(URL, body, format="json")
        assert bad.status_code == 400 and bad.json()["error"]["fields"]["answers"][0]["code"] == "required"
    assert not _log(ack)
    three = client.post(URL, {"answers": [{"token": ack.token, "via": "sms"}] * 3}, format="json").json()
    assert three["accepted"] == 1 and three["duplicate"] == 2
    assert response.batch_max() == 3


def test_rights(warning, region, clock, api, make_user, gateway):
    acks = _acks(warning, region["village000"], 4)  # a village of county0
    one = lambda i: {"answers": [{"token": acks[i].token, "via": "sms"}]}  # noqa: E731
    assert api().post(URL, one(0), format="json").status_code in (401, 403)
    for role in (Role.GRID_WORKER, Role.LEADER, Role.DISASTER_INFO_OFFICER):
        user = make_user(role, place=region["village000"])
        assert api(user).post(URL, one(0), format="json").status_code == 403
    # tokens are the persons' bearer credentials: an account with the change right relays any of them,
    # also for places outside its own scope (it records who relayed: acknowledged_by and the log's actor)
    other_county = make_user(Role.DUTY_OFFICER, place=region["county1"])
    assert api(other_county).post(URL, one(1), format="json").json()["accepted"] == 1
    bureau = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    assert api(bureau).post(URL, one(2), format="json").json()["accepted"] == 1
    admin = make_user(Role.PLATFORM_ADMIN)
    assert api(admin).post(URL, one(3), format="json").json()["accepted"] == 1
    acks[1].refresh_from_db()
    assert acks[1].acknowledged_by_id == other_county.pk
    assert _log(acks[1])[0].actor_id == other_county.pk
    assert Acknowledgement.objects.get(pk=acks[0].pk).acknowledged_at is None


def _writes(queries) -> list[str]:
    out = []
    for q in queries:
        sql = q["sql"].lstrip()
        if " times: " in sql[:20]:  # executemany: one statement, many rows
            sql = sql.split(" times: ", 1)[1]
        if not sql.upper().startswith(_TX):
            out.append(" ".join(sql.split()[:2]).replace('"', ""))
    return out


@pytest.mark.parametrize("size", [5, 300])
def test_statements_do_not_depend_on_the_batch_size(
    warning, region, clock, api, gateway, size, django_assert_max_num_queries
):
    acks = _acks(warning, region["village000"], size)
    client = api(gateway)
    client.post(URL, {"answers": [{"token": acks[0].token, "via": "sms"}]}, format="json")  # warm
    answers = [{"token": a.token, "via": "sms"} for a in acks] + [{"token": "unknown", "via": "sms"}]
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        body = client.post(URL, {"answers": answers}, format="json").json()
    assert (body["accepted"], body["already_answered"], body["unknown"]) == (size - 1, 1, 1)
    writes = _writes(queries.captured_queries)
    assert writes.count("WITH v(t,") == 1 and writes.count("INSERT INTO") == 1
    assert ObjectChange.objects.filter(action="update").count() == size


@pytest.mark.postgres
def test_batch_on_postgresql(warning, region, clock, api, gateway):
    a, b = _acks(warning, region["village000"], 2)
    clock.move_to(T0 + dt.timedelta(minutes=12))
    answers = [
        {"token": a.token, "at": "2026-07-01T08:03:00Z", "via": "sms"},
        {"token": b.token, "via": "wechat"},
        {"token": b.token, "at": "2026-07-01T08:01:00Z", "via": "voice"},
        {"token": "nope", "via": "sms"},
    ]
    body = api(gateway).post(URL, {"answers": answers}, format="json").json()
    assert (body["accepted"], body["duplicate"], body["unknown"]) == (2, 1, 1)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.acknowledged_at, a.via) == (T0 + dt.timedelta(minutes=3), "sms")
    assert (b.acknowledged_at, b.via) == (T0 + dt.timedelta(minutes=1), "voice")
    assert _log(b)[0].after["acknowledged_at"] == "2026-07-01T08:01:00+00:00"
