"""The token answer (the link and ``POST /api/v1/warning-acks/by-token/``) is the hot path of mass
answering: one conditional UPDATE and one change-log row, nothing read before it; who, when and how
are recorded; the first answer counts."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from yingji.audit.models import ObjectChange
from yingji.framework.roles import Role
from yingji.warnings import response
from yingji.warnings.models_response import Acknowledgement
from yingji.warnings.tests.test_response_support import make_warning, person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
#: the UPDATE … RETURNING and the change-log INSERT, inside the transaction's two statements (in a
#: test: SAVEPOINT / RELEASE; in production: BEGIN IMMEDIATE on SQLite, and the commit)
MAX_QUERIES = 4
_TX = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")


def _writes(queries) -> list[str]:
    """The statements other than transaction control, by their first words."""
    out = []
    for q in queries:
        sql = q["sql"].lstrip()
        if not sql.upper().startswith(_TX):
            out.append(" ".join(sql.split()[:3]).replace('"', ""))
    return out


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ack(region, clock):
    grid = person(region["village000"], user_role=Role.GRID_WORKER)
    warning = make_warning(
        region,
        level="red",
        sent_at=T0,
        effective_at=T0,
        expires_at=T0 + dt.timedelta(hours=6),
        places=[region["village000"]],
        groups=("village",),
    )
    response.open_acknowledgements(warning)
    ContentType.objects.get_for_model(Acknowledgement)  # cached per process, as in a running server
    return Acknowledgement.objects.select_related("warning", "place").get(warning=warning, person=grid)


def _log(ack):
    ct = ContentType.objects.get_for_model(Acknowledgement)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=str(ack.pk), action="update"))


def test_api_token_answer_is_one_update_and_one_log_row(ack, clock, api, django_assert_max_num_queries):
    clock.move_to(T0 + dt.timedelta(minutes=12))  # due at 10 min (red): late
    client = api()
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        answer = client.post("/api/v1/warning-acks/by-token/", {"token": ack.token}, format="json")
    assert _writes(queries.captured_queries) == [
        "UPDATE warnings_acknowledgement SET",
        "INSERT INTO audit_objectchange",
    ]
    assert answer.status_code == 200
    assert answer.json() == {"id": ack.pk, "acknowledged_at": "2026-07-01T08:12:00Z", "late": True}
    ack.refresh_from_db()
    assert ack.acknowledged_at == T0 + dt.timedelta(minutes=12) and ack.via == "link"
    assert ack.acknowledged_by_id is None
    [entry] = _log(ack)
    assert entry.time == T0 + dt.timedelta(minutes=12) and entry.source == "api"
    assert entry.actor_id is None and entry.ip == "127.0.0.1" and entry.place_id == ack.place_id
    assert entry.before == {"acknowledged_at": None, "via": "", "acknowledged_by_id": None}
    assert entry.after == {
        "acknowledged_at": "2026-07-01T08:12:00+00:00",
        "via": "link",
        "acknowledged_by_id": None,
    }
    assert entry.object_repr == f"{ack.warning.headline} · {ack.place.name} · {ack.name}"

    clock.move_to(T0 + dt.timedelta(minutes=20))  # a repeat: the first answer counts, nothing logged
    again = client.post("/api/v1/warning-acks/by-token/", {"token": ack.token}, format="json")
    assert again.status_code == 200 and again.json()["acknowledged_at"] == "2026-07-01T08:12:00Z"
    assert len(_log(ack)) == 1


def test_api_unknown_or_empty_token_is_invalid_and_writes_nothing(ack, api):
    for body in ({"token": "nope"}, {"token": ""}, {}):
        bad = api().post("/api/v1/warning-acks/by-token/", body, format="json")
        assert bad.status_code == 400
        assert bad.json()["error"]["fields"]["token"][0]["code"] == "invalid_token"
    assert not ObjectChange.objects.filter(action="update").exists()
    ack.refresh_from_db()
    assert ack.acknowledged_at is None


def test_link_post_answers_with_no_read_before(ack, clock, client, django_assert_max_num_queries):
    clock.move_to(T0 + dt.timedelta(minutes=4))
    url = reverse("warnings:response_ack_link", args=[ack.token])
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        page = client.post(url)
    assert _writes(queries.captured_queries) == [
        "UPDATE warnings_acknowledgement SET",
        "INSERT INTO audit_objectchange",
    ]
    html = page.content.decode()
    assert page.status_code == 200 and 'id="ack-done"' in html
    assert ack.warning.headline in html and ack.place.name in html and "2026-07-01" in html
    ack.refresh_from_db()
    assert ack.acknowledged_at == T0 + dt.timedelta(minutes=4) and not ack.late
    [entry] = _log(ack)
    assert entry.source == "ui" and entry.actor_id is None
    assert client.post(reverse("warnings:response_ack_link", args=["nope"])).status_code == 404


def test_link_answer_of_a_signed_in_user_records_who(ack, clock, client, make_user, region):
    officer = make_user(Role.DUTY_OFFICER, place=region["county0"])
    client.force_login(officer)
    clock.move_to(T0 + dt.timedelta(minutes=6))
    assert client.post(reverse("warnings:response_ack_link", args=[ack.token])).status_code == 200
    ack.refresh_from_db()
    assert ack.acknowledged_by_id == officer.pk and ack.via == "link"
    [entry] = _log(ack)
    assert entry.actor_id == officer.pk and entry.actor_name == officer.get_username()
    assert entry.after["acknowledged_by_id"] == officer.pk


def test_service_returns_the_answer_with_names(ack, clock):
    clock.move_to(T0 + dt.timedelta(minutes=9, seconds=59))
    answered = response.acknowledge_by_token(ack.token)
    assert answered.pk == ack.pk and not answered.late and answered.answered
    assert answered.due_at == T0 + dt.timedelta(minutes=10)
    assert (answered.warning.headline, answered.place.name, answered.name) == (
        ack.warning.headline,
        ack.place.name,
        ack.name,
    )
    clock.move_to(T0 + dt.timedelta(minutes=30))
    assert response.acknowledge_by_token(ack.token).acknowledged_at == T0 + dt.timedelta(
        minutes=9, seconds=59
    )


@pytest.mark.postgres
def test_token_answer_on_postgresql(ack, clock, api, django_assert_max_num_queries):
    clock.move_to(T0 + dt.timedelta(minutes=11))
    with django_assert_max_num_queries(MAX_QUERIES):
        answer = api().post("/api/v1/warning-acks/by-token/", {"token": ack.token}, format="json")
    assert answer.json()["late"] is True
    [entry] = _log(ack)
    assert entry.after["via"] == "link"
