"""Call-and-respond (叫应): acknowledgement rows, escalation timing on a frozen clock, answering by
link / page / API, the board, scope and the duty-evaluation statistics."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from yingji.framework.roles import Role
from yingji.messaging.models import Delivery, Message
from yingji.warnings import response
from yingji.warnings.models_response import Acknowledgement, AckStage
from yingji.warnings.tests.test_response_support import make_warning, person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def chain(region):
    """Responsible persons: a grid worker (village000), a town officer (town00), a county duty officer."""
    return {
        "village": person(region["village000"], user_role=Role.GRID_WORKER),
        "town": person(region["town00"], user_role=Role.BUREAU_OFFICER),
        "county": person(region["county0"], user_role=Role.DUTY_OFFICER),
    }


def _warning(region, **kw):
    kw.setdefault("places", [region["village000"]])
    kw.setdefault("groups", ("district", "town", "village"))
    return make_warning(
        region, level="red", sent_at=T0, effective_at=T0, expires_at=T0 + dt.timedelta(hours=6), **kw
    )


def _ack(warning, p):
    return Acknowledgement.objects.get(warning=warning, person=p)


def _subjects(prefix):
    return list(Message.objects.filter(subject__startswith=prefix).order_by("id"))


def test_opening_creates_one_row_per_responsible_person_and_calls_each(region, chain, clock):
    warning = _warning(region)
    assert response.open_acknowledgements(warning) == 3
    acks = {a.tier: a for a in Acknowledgement.objects.filter(warning=warning)}
    assert {a.place_id for a in acks.values()} == {
        region["village000"].pk,
        region["town00"].pk,
        region["county0"].pk,
    }
    assert all(a.due_at == T0 + dt.timedelta(minutes=10) for a in acks.values())  # red: 10 minutes
    calls = _subjects("【叫应】")
    assert len(calls) == 3
    assert {m.link for m in calls} == {
        reverse("warnings:response_ack_link", args=[a.token]) for a in acks.values()
    }
    # idempotent: a second opening (a resumed fan-out) neither adds rows nor calls again
    assert response.open_acknowledgements(warning) == 0
    assert len(_subjects("【叫应】")) == 3


def test_levels_set_the_answer_time(region, chain, clock):
    blue = make_warning(region, places=[region["village000"]], level="blue", groups=("village",), sent_at=T0)
    response.open_acknowledgements(blue)
    assert _ack(blue, chain["village"]).due_at == T0 + dt.timedelta(minutes=60)


def test_cancel_notices_get_no_call(region, chain, clock):
    cancel = _warning(region, msg_type="Cancel")
    assert response.open_acknowledgements(cancel) == 0
    assert not Acknowledgement.objects.filter(warning=cancel).exists()


def test_escalation_timing(region, chain, clock):
    warning = _warning(region, groups=("town", "village"))
    response.open_acknowledgements(warning)
    village, town = _ack(warning, chain["village"]), _ack(warning, chain["town"])

    clock.move_to(T0 + dt.timedelta(minutes=9, seconds=59))
    assert response.check_responses() == {"repeat": 0, "voice": 0, "escalate": 0}

    clock.move_to(T0 + dt.timedelta(minutes=10))  # red: repeat after 10 min
    assert response.check_responses() == {"repeat": 2, "voice": 0, "escalate": 0}
    assert len(_subjects("【再次叫应】")) == 2
    assert response.check_responses() == {"repeat": 0, "voice": 0, "escalate": 0}  # each stage once

    clock.move_to(T0 + dt.timedelta(minutes=12))
    response.acknowledge_by_token(village.token)

    clock.move_to(T0 + dt.timedelta(minutes=14, seconds=59))
    assert response.check_responses()["voice"] == 0
    clock.move_to(T0 + dt.timedelta(minutes=15))  # voice call after 15 min, only the one who has not answered
    assert response.check_responses() == {"repeat": 0, "voice": 1, "escalate": 0}
    voice = Delivery.objects.filter(channel="voice")
    assert list(voice.values_list("address", flat=True)) == [chain["town"].mobile]

    clock.move_to(T0 + dt.timedelta(minutes=20))  # escalate after 20 min: town → county responsible persons
    assert response.check_responses() == {"repeat": 0, "voice": 0, "escalate": 1}
    escalation = _subjects("【叫应未应答】")
    assert len(escalation) == 1
    told = set(escalation[0].deliveries.values_list("person_id", flat=True))
    assert told == {chain["county"].pk}
    assert town.name in escalation[0].body
    town.refresh_from_db()
    assert town.stage == AckStage.ESCALATED and town.stage_at == T0 + dt.timedelta(minutes=20)

    clock.move_to(T0 + dt.timedelta(hours=2))
    assert response.check_responses() == {"repeat": 0, "voice": 0, "escalate": 0}
    village.refresh_from_db()
    assert village.stage == AckStage.REPEATED and village.acknowledged_at == T0 + dt.timedelta(minutes=12)
    assert village.late  # answered after the 10 minutes


def test_missed_stages_are_taken_in_order_once(region, chain, clock):
    warning = _warning(region, groups=("village",))
    response.open_acknowledgements(warning)
    clock.move_to(T0 + dt.timedelta(minutes=45))  # the checker was down: all three stages are due
    assert response.check_responses() == {"repeat": 1, "voice": 1, "escalate": 1}
    escalation = _subjects("【叫应未应答】")[0]
    assert set(escalation.deliveries.values_list("person_id", flat=True)) == {chain["town"].pk}


def test_no_escalation_once_the_warning_is_over(region, chain, clock):
    warning = _warning(region, groups=("village",))
    response.open_acknowledgements(warning)
    warning.status = "cancelled"
    warning.save()
    clock.move_to(T0 + dt.timedelta(minutes=30))
    assert response.check_responses() == {"repeat": 0, "voice": 0, "escalate": 0}


def test_rules_are_configurable(region, chain, clock, settings):
    settings.YINGJI_WARNINGS_RESPONSE_RULES = {
        "red": {"answer_within": 2, "repeat_after": 3, "voice_after": 4, "escalate_after": 5},
        "blue": {"answer_within": 2, "repeat_after": 3, "voice_after": 4, "escalate_after": 5},
    }
    warning = _warning(region, groups=("village",))
    response.open_acknowledgements(warning)
    assert _ack(warning, chain["village"]).due_at == T0 + dt.timedelta(minutes=2)
    clock.move_to(T0 + dt.timedelta(minutes=4))
    assert response.check_responses() == {"repeat": 1, "voice": 1, "escalate": 0}


def test_answer_by_link_page_without_sign_in(region, chain, clock, client):
    warning = _warning(region, groups=("village",))
    response.open_acknowledgements(warning)
    ack = _ack(warning, chain["village"])
    url = reverse("warnings:response_ack_link", args=[ack.token])
    page = client.get(url)
    assert page.status_code == 200 and warning.headline in page.content.decode()
    ack.refresh_from_db()
    assert ack.acknowledged_at is None  # a GET (link preview) does not answer
    clock.move_to(T0 + dt.timedelta(minutes=3))
    assert client.post(url).status_code == 200
    ack.refresh_from_db()
    assert ack.acknowledged_at == T0 + dt.timedelta(minutes=3) and ack.via == "link" and not ack.late
    clock.move_to(T0 + dt.timedelta(minutes=5))
    client.post(url)
    ack.refresh_from_db()
    assert ack.acknowledged_at == T0 + dt.timedelta(minutes=3)  # the first answer counts
    assert client.get(reverse("warnings:response_ack_link", args=["nope"])).status_code == 404


def test_answer_by_api_token_and_action(region, chain, clock, api):
    warning = _warning(region)
    response.open_acknowledgements(warning)
    village, town, county = (_ack(warning, chain[k]) for k in ("village", "town", "county"))
    by_token = api().post("/api/v1/warning-acks/by-token/", {"token": village.token}, format="json")
    assert by_token.status_code == 200 and by_token.json()["id"] == village.pk
    bad = api().post("/api/v1/warning-acks/by-token/", {"token": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["token"][0]["code"] == "invalid_token"
    # the grid worker may not answer for the town officer (and cannot even see the row)
    grid_user = chain["village"].user
    assert api(grid_user).post(f"/api/v1/warning-acks/{town.pk}/acknowledge/").status_code == 404
    own = api(chain["town"].user).post(f"/api/v1/warning-acks/{town.pk}/acknowledge/")
    assert own.status_code == 200 and own.json()["via"] == "api" and own.json()["answered"] is True
    # a duty officer of the county records the county officer's phone answer
    county_duty = chain["county"].user
    assert api(county_duty).post(f"/api/v1/warning-acks/{county.pk}/acknowledge/").status_code == 200


def test_town_officer_sees_only_its_places(region, chain, clock, api, client, make_user):
    warning = _warning(region, places=[region["county0"], region["county1"]], groups=("village",))
    person(region["village100"], user_role=Role.GRID_WORKER)
    response.open_acknowledgements(warning)
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    listed = api(officer).get("/api/v1/warning-acks/", {"warning": warning.pk})
    assert listed.status_code == 200
    assert {row["place"] for row in listed.json()["results"]} == {region["village000"].code}
    client.force_login(officer)
    page = client.get(reverse("warnings:response_detail", args=[warning.pk])).content.decode()
    assert region["village000"].name in page and region["village100"].name not in page
    board = client.get(reverse("warnings:response_board")).content.decode()
    assert "0/1" in board  # one acknowledgement in scope, none answered


def test_board_button_answers_and_board_counts(region, chain, clock, client):
    warning = _warning(region, groups=("village",))
    response.open_acknowledgements(warning)
    ack = _ack(warning, chain["village"])
    client.force_login(chain["village"].user)
    detail = client.get(reverse("warnings:response_detail", args=[warning.pk]))
    assert reverse("warnings:response_ack", args=[ack.pk]) in detail.content.decode()
    clock.move_to(T0 + dt.timedelta(minutes=4))
    assert client.post(reverse("warnings:response_ack", args=[ack.pk])).status_code == 302
    ack.refresh_from_db()
    assert ack.via == "ui" and ack.acknowledged_by == chain["village"].user
    rows = response.board(chain["town"].user)
    assert [(r["answered"], r["total"], r["in_time"]) for r in rows] == [(1, 1, 1)]
    htmx = client.get(reverse("warnings:response_board"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'hx-trigger="every' in htmx.content.decode()


def test_answer_stats_for_duty_evaluation(region, chain, clock):
    w1 = _warning(region)
    response.open_acknowledgements(w1)
    clock.move_to(T0 + dt.timedelta(minutes=5))
    response.acknowledge_by_token(_ack(w1, chain["village"]).token)
    clock.move_to(T0 + dt.timedelta(minutes=25))
    response.acknowledge_by_token(_ack(w1, chain["town"]).token)
    stats = response.answer_stats(region["town00"], "2026-07")
    assert stats["total"] == 2 and stats["answered"] == 2 and stats["in_time"] == 1
    assert stats["answer_rate"] == 1 and stats["in_time_rate"] == 0.5
    assert stats["mean_answer_seconds"] == (5 * 60 + 25 * 60) / 2
    county = response.answer_stats(region["county0"], (2026, 7))
    assert county["total"] == 3 and county["answered"] == 2
    assert response.answer_stats(region["town00"], dt.date(2026, 6, 1))["total"] == 0
