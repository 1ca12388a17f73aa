"""The duty demo on the demo city (only the duty extension loaded): rooms linked upward, this month's
roster, handovers with open items, roll-calls with some missed; every duty page opens for the demo
logins; removal leaves nothing behind."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from yingji.duty import services
from yingji.duty.models import DutyRoom, Handover, HandoverItem, RollCall, Shift


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from yingji.demo import generator
    from yingji.places.services import boundaries_changed

    with django_db_blocker.unblock():
        saved = generator.DEMO_EXTENSIONS
        generator.DEMO_EXTENSIONS = ("yingji.duty.demo",)
        try:
            with transaction.atomic():
                started = time.monotonic()
                counts = generator.load_demo(seed=2026, enterprises=50)
                counts["seconds"] = time.monotonic() - started
                yield counts
                transaction.set_rollback(True)
        finally:
            generator.DEMO_EXTENSIONS = saved
    boundaries_changed()


def test_rooms_roster_handovers_and_roll_calls(demo, db):
    assert demo["duty_rooms"] == DutyRoom.objects.count() > 0
    city = DutyRoom.objects.get(place__level="city", department__isnull=True)
    assert city.parent is None
    for room in DutyRoom.objects.exclude(pk=city.pk).select_related("parent", "place"):
        assert room.parent is not None, room
        if room.department_id is None:
            assert room.parent.place_id == room.place.parent_id
        else:
            assert room.parent.place_id == room.place_id and room.parent.department_id is None
    today = timezone.localdate()
    assert Shift.objects.filter(room=city, date__month=today.month).count() >= 28
    now_shift = services.shifts_now([city.pk]).get()
    assert now_shift.members_by_role()["officer"]
    assert Handover.objects.exists() and HandoverItem.objects.filter(status="open").exists()
    statuses = set(RollCall.objects.values_list("status", flat=True))
    assert {"answered", "missed"} <= statuses


def test_demo_logins_open_every_duty_page(demo, client):
    from yingji.accounts.models import User
    from yingji.framework.navigation import menu_for

    for username in ("admin", "city_officer", "town_officer", "duty_officer", "leader", "dept_officer"):
        user = User.objects.get(username=username)
        client.force_login(user)
        urls = [i["url"] for s in menu_for(user) for i in s["items"] if i["url_name"].startswith("duty:")]
        if username != "dept_officer":
            assert len(urls) == 7, username
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)


def test_remove_demo(demo, db):
    from yingji.duty.demo import remove_demo

    counts = {}
    remove_demo(counts)
    assert counts["duty_rooms"] > 0
    assert not DutyRoom.objects.exists() and not Shift.objects.exists() and not RollCall.objects.exists()
