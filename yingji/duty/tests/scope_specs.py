"""Scope-matrix specs of the duty object types (collected by yingji/framework/tests/test_scope_matrix.py).

A village's objects stand on the duty room of its town (duty rooms are kept at city, county and
town level); roll-calls come from the county's room.
"""

import datetime as dt
from itertools import count

from django.utils import timezone

_n = count(1)


def own_room(place):
    from yingji.duty.models import DutyRoom
    from yingji.duty.services import relink_rooms

    room, created = DutyRoom.objects.get_or_create(
        place=place, department=None, defaults={"name": f"{place.name}值班室"}
    )
    if created:
        relink_rooms()
        room.refresh_from_db()
    return room


def _room(village):
    return own_room(village.parent)


def person(place, name=None, **fields):
    from yingji.accounts.models import Person

    return Person.objects.create(name=name or f"值班人{next(_n)}", place=place, **fields)


def shift(village, *, days_ahead=None, people=2):
    """A shift of the village's town room (in the future unless ``days_ahead`` is negative)."""
    from yingji.duty.models import Shift, ShiftMember
    from yingji.duty.services import shift_span

    room = _room(village)
    day = timezone.localdate() + dt.timedelta(days=days_ahead if days_ahead is not None else 10 + next(_n))
    start, end = shift_span(room, day)
    obj = Shift.objects.create(room=room, date=day, starts_at=start, ends_at=end)
    for i in range(people):
        ShiftMember.objects.create(shift=obj, role="officer", person=person(village.parent), position=i)
    return obj


def _template(village):
    from yingji.duty.models import RosterTemplate

    return RosterTemplate.objects.create(room=_room(village), name=f"模板{next(_n)}")


def _swap(village):
    from yingji.duty.models import SwapRequest

    s = shift(village)
    return SwapRequest.objects.create(
        shift=s, from_person=s.members.first().person, to_person=person(village.parent), reason="家中有事"
    )


def _swap_payload(village):
    s = shift(village)
    return {
        "shift": s.pk,
        "from_person": s.members.first().person_id,
        "to_person": person(village.parent).pk,
        "reason": "培训",
    }


def _handover(village):
    from yingji.duty.models import Handover

    s = shift(village, days_ahead=-1 - next(_n))
    return Handover.objects.create(room=s.room, from_shift=s, summary="平稳")


def _rollcall(village):
    from yingji.duty.models import RollCall

    room = _room(village)
    now = timezone.now() - dt.timedelta(minutes=next(_n))
    return RollCall.objects.create(
        caller=own_room(village.parent.parent), room=room, called_at=now, due_at=now + dt.timedelta(minutes=5)
    )


SPECS: dict = {
    "duty.dutyroom": {
        "make": _room,
        "create": lambda village: {"name": f"新值班室{next(_n)}", "place": village.parent.code},
        "patch": {"phone": "0513-85123456"},
    },
    "duty.rostertemplate": {"make": _template},
    "duty.shift": {"make": shift},
    "duty.swaprequest": {"make": _swap, "create": _swap_payload},
    "duty.handover": {
        "make": _handover,
        "create": lambda village: {
            "from_shift": shift(village, days_ahead=-1 - next(_n)).pk,
            "summary": "平稳",
        },
    },
    "duty.rollcall": {"make": _rollcall},
}

EXEMPT: dict = {}
