"""Review checks: ids outside the caller's scope in API bodies, clear 400s for bad input, and the
query counts of the lists and the live fragment."""

import datetime as dt

import pytest
import time_machine

from yingji.deadlines.calendar import tz
from yingji.duty import services
from yingji.duty.models import Shift, SwapRequest
from yingji.duty.tests.scope_specs import person

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
