"""The lifecycle of a warning: rights, four-eyes, allowed and refused transitions, update, cancel,
expiry with a frozen clock, the events and the change log."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from yingji.audit.models import ObjectChange
from yingji.framework.access import AccessDenied
from yingji.warnings import catalogue, lifecycle
from yingji.warnings.choices import EventAction, MsgType, Status
from yingji.warnings.models import Warning

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"^\d{6}\d{3}\d{3}\d{2}_\d{14}_\d$")


def _code(exc_info):
    exc = exc_info.value
    if isinstance(exc, AccessDenied):
        return exc.code
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.error_list[0].code


def test_compose_makes_a_draft_with_a_gbt_identifier_and_guidance(make_warning, officers, region):
    w = make_warning()
    assert w.status == Status.DRAFT and w.msg_type == MsgType.ALERT
    assert IDENTIFIER.match(w.identifier) and len(w.identifier) == 31
    assert w.identifier.startswith("320602" + "000" + "000" + "00_")  # GB/T 2260 code of the county
    assert w.cap_sender == "32060200000000"
    assert w.created_by == officers["author"]
    assert "停课" in w.instruction  # the red typhoon guidance of the catalogue
    assert list(w.events.values_list("action", flat=True)) == [EventAction.COMPOSE]


def test_identifiers_in_the_same_second_count_up(region):
    at = timezone.now().replace(microsecond=0)
    first = catalogue.new_identifier(region["town00"], at)
    Warning.objects.create(
        identifier=first,
        warning_type="fog",
        level="yellow",
        headline="x",
        description="x",
        effective_at=at,
        expires_at=at + dt.timedelta(hours=1),
        place=region["town00"],
    )
    second = catalogue.new_identifier(region["town00"], at)
    assert first.endswith("_0") and second.endswith("_1") and first[:-1] == second[:-1]


def test_level_must_be_allowed_for_the_type(make_warning):
    with pytest.raises(ValidationError) as exc:
        make_warning(warning_type="frost", level="red")  # 霜冻 has no red
    assert _code(exc) == "level_not_allowed"
    assert make_warning(warning_type="frost", level="orange").level == "orange"
    with pytest.raises(ValidationError):
        make_warning(warning_type="drought", level="yellow")  # 干旱: orange and red only


def test_times_and_area_are_checked(make_warning):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make_warning(effective_at=now, expires_at=now)
    assert _code(exc) == "expires_before_effective"
    with pytest.raises(ValidationError) as exc:
        make_warning(area_polygon={"type": "Polygon", "coordinates": [[[120, 32], [120.1, 32]]]})
    assert _code(exc) == "invalid_polygon"
    with pytest.raises(ValidationError) as exc:
        make_warning(area_circle_latitude=32.0, area_circle_longitude=120.0)
    assert _code(exc) == "invalid_circle"
    w = make_warning(
        area_polygon={"type": "Polygon", "coordinates": [[[120, 32], [120.1, 32], [120.1, 32.1]]]}
    )
    ring = w.area_polygon["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4  # closed on save


def test_full_path_with_four_eyes(make_warning, officers, django_capture_on_commit_callbacks, monkeypatch):
    started = []
    import yingji.warnings.fanout as fanout

    monkeypatch.setattr(fanout, "start_fanout", lambda w: started.append(w.pk))
    w = make_warning()
    with pytest.raises(AccessDenied) as exc:
        lifecycle.submit(w, actor=officers["approver"])  # not the author
    assert exc.value.code == "not_author"
    lifecycle.submit(w, actor=officers["author"])
    assert w.status == Status.REVIEW

    with pytest.raises(AccessDenied) as exc:
        lifecycle.approve(w, actor=officers["author"])
    assert exc.value.code == "four_eyes"
    with pytest.raises(AccessDenied):
        lifecycle.approve(w, actor=officers["duty"])  # duty officers have no approve right
    with pytest.raises(AccessDenied):
        lifecycle.approve(w, actor=officers["outsider"])  # other county
    with pytest.raises(ValidationError) as exc:
        lifecycle.publish(w, actor=officers["duty"])  # not approved yet
    assert _code(exc) == "invalid_transition"
    lifecycle.approve(w, actor=officers["approver"], note="同意")
    assert w.status == Status.APPROVED

    with pytest.raises(AccessDenied):
        lifecycle.publish(w, actor=officers["leader"])  # leaders approve, they do not publish
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish(w, actor=officers["duty"])
    w.refresh_from_db()
    assert w.status == Status.PUBLISHED and w.sent_at is not None and w.is_active
    assert started == [w.pk]
    events = list(w.events.values_list("action", "from_status", "to_status"))
    assert events == [
        ("compose", "", "draft"),
        ("submit", "draft", "review"),
        ("approve", "review", "approved"),
        ("publish", "approved", "published"),
    ]
    assert w.events.get(action="approve").actor == officers["approver"]
    # every step is in the change log
    from django.contrib.contenttypes.models import ContentType

    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Warning), object_id=str(w.pk)
    )
    assert changes.count() >= 4


def test_an_editor_may_not_approve_and_a_leader_may(make_warning, officers):
    w = make_warning()
    w.area_description = "沿江"
    lifecycle.save_warning(w, actor=officers["approver"])  # a colleague edits the draft
    lifecycle.submit(w, actor=officers["author"])
    with pytest.raises(AccessDenied) as exc:
        lifecycle.approve(w, actor=officers["approver"])
    assert exc.value.code == "four_eyes"
    lifecycle.approve(w, actor=officers["leader"])
    assert w.status == Status.APPROVED


def test_reject_needs_a_reason_and_returns_to_the_author(make_warning, officers):
    w = make_warning()
    lifecycle.submit(w, actor=officers["author"])
    with pytest.raises(ValidationError):
        lifecycle.reject(w, actor=officers["approver"], note=" ")
    lifecycle.reject(w, actor=officers["approver"], note="区域过大")
    assert w.status == Status.REJECTED
    assert "edit" in lifecycle.allowed_actions(officers["author"], w)
    w.area_description = "仅沿江两镇"
    lifecycle.save_warning(w, actor=officers["author"])
    lifecycle.submit(w, actor=officers["author"])
    assert Warning.objects.get(pk=w.pk).status == Status.REVIEW


def test_published_warnings_are_not_edited(make_warning, officers, publish_now):
    w = publish_now(make_warning())
    w.headline = "改"
    with pytest.raises(ValidationError) as exc:
        lifecycle.save_warning(w, actor=officers["author"])
    assert _code(exc) == "not_editable"
    with pytest.raises(ValidationError):
        lifecycle.submit(Warning.objects.get(pk=w.pk), actor=officers["author"])


def test_update_replaces_the_published_warning(make_warning, officers, publish_now):
    old = publish_now(make_warning(level="orange"))
    new = lifecycle.start_update(old, actor=officers["author"], level="red")
    assert new.msg_type == MsgType.UPDATE and new.references == old and new.status == Status.DRAFT
    assert new.identifier != old.identifier and "停课" in new.instruction
    assert Warning.objects.get(pk=old.pk).status == Status.PUBLISHED  # until the update is published
    publish_now(new)
    assert Warning.objects.get(pk=old.pk).status == Status.UPDATED
    assert Warning.objects.get(pk=new.pk).status == Status.PUBLISHED
    with pytest.raises(ValidationError):
        lifecycle.start_update(Warning.objects.get(pk=old.pk), actor=officers["author"])


def test_cancel_publishes_a_cancel_document(make_warning, officers, publish_now):
    old = publish_now(make_warning())
    with pytest.raises(AccessDenied):
        lifecycle.cancel(old, actor=officers["leader"])
    notice = lifecycle.cancel(old, actor=officers["duty"], note="台风已减弱")
    assert notice.msg_type == MsgType.CANCEL and notice.status == Status.PUBLISHED
    assert notice.references == old and notice.description == "台风已减弱"
    old.refresh_from_db()
    assert old.status == Status.CANCELLED and not old.is_active
    with pytest.raises(ValidationError):
        lifecycle.cancel(old, actor=officers["duty"])
    assert lifecycle.allowed_actions(officers["duty"], notice) == []  # a Cancel is not updated or cancelled


def test_expiry_with_a_frozen_clock(make_warning, publish_now):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        w = publish_now(make_warning(effective_at=start, expires_at=start + dt.timedelta(hours=6)))
    with time_machine.travel(start + dt.timedelta(hours=6) - dt.timedelta(seconds=1), tick=False):
        assert lifecycle.expire_due_warnings() == 0
        assert Warning.objects.get(pk=w.pk).is_active
    with time_machine.travel(start + dt.timedelta(hours=6), tick=False):
        from yingji.warnings.periodic import expire_warnings

        expire_warnings.call_local()
    w.refresh_from_db()
    assert w.status == Status.EXPIRED
    event = w.events.get(action=EventAction.EXPIRE)
    assert event.actor is None and event.from_status == Status.PUBLISHED
    assert lifecycle.expire_due_warnings() == 0  # idempotent


def test_publishing_after_expiry_is_refused(make_warning, officers):
    start = timezone.now()
    w = make_warning(effective_at=start, expires_at=start + dt.timedelta(hours=1))
    lifecycle.submit(w, actor=officers["author"])
    lifecycle.approve(w, actor=officers["approver"])
    with time_machine.travel(start + dt.timedelta(hours=2)):
        with pytest.raises(ValidationError) as exc:
            lifecycle.publish(w, actor=officers["duty"])
    assert _code(exc) == "already_expired"


def test_who_may_compose(make_warning, officers):
    assert make_warning(actor=officers["duty"]).created_by == officers["duty"]
    with pytest.raises(AccessDenied):
        make_warning(actor=officers["department"])
    with pytest.raises(AccessDenied):
        make_warning(actor=officers["outsider"])  # town 00 is outside county 1


def test_allowed_actions_drive_the_buttons(make_warning, officers):
    w = make_warning()
    assert lifecycle.allowed_actions(officers["author"], w) == ["edit", "submit"]
    assert lifecycle.allowed_actions(officers["leader"], w) == []
    lifecycle.submit(w, actor=officers["author"])
    assert lifecycle.allowed_actions(officers["author"], w) == []
    assert lifecycle.allowed_actions(officers["approver"], w) == ["approve", "reject"]
    lifecycle.approve(w, actor=officers["approver"])
    assert lifecycle.allowed_actions(officers["duty"], w) == ["publish"]
