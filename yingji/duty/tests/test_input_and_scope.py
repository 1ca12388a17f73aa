"""Review checks: ids outside the caller's scope in API bodies, clear 400s for bad input, and the
query counts of the lists and the live fragment."""

import datetime as dt

import pytest
import time_machine

from yingji.deadlines.calendar import tz
from yingji.duty import services
from yingji.duty.models import Shift, SwapRequest
from yingji.duty.tests.scope_specs import person
from yingji.framework.roles import Role

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=tz())


def make_shift(room, day, persons):
    start, end = services.shift_span(room, day)
    shift = Shift.objects.create(room=room, date=day, starts_at=start, ends_at=end)
    for i, p in enumerate(persons):
        shift.members.create(role="officer", person=p, position=i)
    return shift


def field_code(response, field):
    return response.json()["error"]["fields"][field][0]["code"]


@time_machine.travel(NOW, tick=False)
def test_swap_to_a_person_outside_scope_is_refused(rooms, people, region, town_duty, api):
    """A town duty officer may not hand a post to a person of another county (400
    ``person_out_of_scope``); a shift of another county is a create outside scope (403
    ``out_of_scope``, the platform's rule for creates). Nothing is written."""
    stranger = person(region["town10"], "外区人员")
    theirs = make_shift(rooms["town10"], dt.date(2026, 6, 12), [stranger])
    mine = make_shift(rooms["town00"], dt.date(2026, 6, 12), [people["甲"]])
    client = api(town_duty)
    swap = {"shift": mine.pk, "from_person": people["甲"].pk, "to_person": stranger.pk, "reason": "x"}
    response = client.post("/api/v1/duty/swap-requests/", swap, format="json")
    assert response.status_code == 400 and field_code(response, "to_person") == "person_out_of_scope"
    swap = {"shift": theirs.pk, "from_person": people["甲"].pk, "to_person": people["乙"].pk, "reason": "x"}
    response = client.post("/api/v1/duty/swap-requests/", swap, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "out_of_scope"
    assert not SwapRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_swap_service_refuses_a_person_outside_scope(rooms, people, region, town_duty):
    from django.core.exceptions import ValidationError

    stranger = person(region["town10"], "外区人员")
    mine = make_shift(rooms["town00"], dt.date(2026, 6, 12), [people["甲"]])
    with pytest.raises(ValidationError) as err:
        services.request_swap(mine, people["甲"], stranger, "培训", actor=town_duty)
    assert err.value.error_dict["to_person"][0].code == "person_out_of_scope"
    assert services.request_swap(mine, people["甲"], people["乙"], "培训", actor=town_duty).pk


def test_a_second_room_for_a_place_or_department_is_a_clear_400(
    rooms, region, make_user, make_department, api, client
):
    manager = make_user(Role.BUREAU_OFFICER, place=region["city"])
    response = api(manager).post(
        "/api/v1/duty/rooms/", {"name": "第二个值班室", "place": region["county0"].code}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]["fields"]["non_field_errors"][0]
    assert error["code"] == "room_exists" and "已有本级值班室" in error["message"]
    water = make_department(place=region["county0"], name="水利局")
    body = {"name": "水利局值班室", "place": region["county0"].code, "department": water.pk}
    assert api(manager).post("/api/v1/duty/rooms/", body, format="json").status_code == 201
    again = api(manager).post("/api/v1/duty/rooms/", body, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"][0]["code"] == "room_exists"
    client.force_login(manager)
    page = client.post("/duty/dutyrooms/add/", {"name": "又一个", "place": region["county0"].pk})
    assert page.status_code == 200 and "已有本级值班室" in page.content.decode()


def _fill(rooms, n):
    """``n`` rooms with ``n`` shifts each (handovers with items, swap requests) and ``n`` roll-calls."""
    from yingji.duty.models import Handover, HandoverItem, RollCall

    for room in [r for r in rooms.values() if r.parent_id][:n]:
        staff = [person(room.place) for _ in range(3)]
        for d in range(n):  # today's shift (on duty now) and the days before
            shift = make_shift(room, dt.date(2026, 6, 10 - d), staff[:2])
            shift.members.create(role="leader", person=staff[2])
            handover = Handover.objects.create(room=room, from_shift=shift, summary="平稳")
            HandoverItem.objects.create(room=room, handover=handover, text="跟踪水位")
            SwapRequest.objects.create(shift=shift, from_person=staff[0], to_person=staff[1], reason="培训")
        for i in range(n):
            called = NOW - dt.timedelta(minutes=i)
            RollCall.objects.create(
                caller=room.parent, room=room, called_at=called, due_at=called + dt.timedelta(minutes=5)
            )


PAGES = (
    "/duty/",
    "/duty/handovers/",
    "/duty/swaps/",
    "/duty/shifts/",
    "/duty/roll-calls/",
    "/duty/roster/",
    "/duty/evaluation/?month=2026-06",
    "/api/v1/duty/now/",
    "/api/v1/duty/handovers/",
    "/api/v1/duty/shifts/",
    "/api/v1/duty/roll-calls/",
    "/api/v1/duty/evaluation/?month=2026-06",
)


@time_machine.travel(NOW, tick=False)
def test_lists_and_the_live_fragment_cost_the_same_for_few_and_many_rows(
    rooms, region, make_user, client, api
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(Role.BUREAU_OFFICER, place=region["city"])
    client.force_login(user)
    token_client = api(user)
    token_client.get("/api/v1/duty/now/")  # creates the token

    def counts():
        out = {}
        for url in (*PAGES, "live"):
            with CaptureQueriesContext(connection) as ctx:
                if url == "live":
                    response = client.get("/duty/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="duty-live")
                elif url.startswith("/api/"):
                    response = token_client.get(url)
                else:
                    response = client.get(url)
            assert response.status_code == 200, url
            out[url] = len(ctx)
        return out

    _fill(rooms, 1)
    few = counts()
    _fill({k: v for k, v in rooms.items() if k != "county0"}, 5)
    assert counts() == few


@time_machine.travel(NOW, tick=False)
def test_over_long_notes_on_the_pages_are_refused_with_a_message(
    rooms, people, town_duty, town_manager, client
):
    """A decision or answer note over 200 characters is not silently dropped: nothing is decided or
    answered and the page says why."""
    from yingji.duty.models import RollCall

    shift = make_shift(rooms["town00"], dt.date(2026, 6, 12), [people["甲"]])
    swap = services.request_swap(shift, people["甲"], people["乙"], "培训", actor=town_duty)
    client.force_login(town_manager)
    response = client.post(f"/duty/swaps/{swap.pk}/approve/", {"note": "同意" * 101}, follow=True)
    swap.refresh_from_db()
    assert swap.status == "pending" and "审批意见" in response.content.decode()
    call = RollCall.objects.create(
        caller=rooms["county0"], room=rooms["town00"], called_at=NOW, due_at=NOW + dt.timedelta(minutes=5)
    )
    client.force_login(town_duty)
    response = client.post(f"/duty/roll-calls/{call.pk}/answer/", {"note": "在" * 201}, follow=True)
    call.refresh_from_db()
    assert call.status == "pending" and "应答情况" in response.content.decode()
    client.post(f"/duty/roll-calls/{call.pk}/answer/", {"note": "在岗"})
    call.refresh_from_db()
    assert call.status == "answered" and call.answer_note == "在岗"
