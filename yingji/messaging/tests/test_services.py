"""Recipient resolution, de-duplication, the one-delivery rule, the inbox services and audit."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yingji.audit.models import ObjectChange
from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.messaging import services
from yingji.messaging.choices import DeliveryStatus
from yingji.messaging.models import Delivery, Message, Notification


def _targets(message):
    return sorted((d.channel, d.address, d.status) for d in message.deliveries.all())


def test_users_and_persons_resolve_to_one_delivery_per_channel_and_address(region, make_user, make_person):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    alice = make_user(Role.GRID_WORKER, place=region["village000"])
    alice_person = make_person(user=alice, mobile="13811112222")
    bob = make_person(mobile="138-1111-3333")  # no account
    twin = make_person(mobile="+86 13811113333")  # same mobile as bob
    message = services.notify(
        actor=officer,
        subject="台风预警",
        body="请做好防范",
        users=[alice, alice],
        persons=[alice_person, bob, twin],
        channels=["inapp", "sms", "sms"],
    )
    assert _targets(message) == [
        ("inapp", "", DeliveryStatus.FAILED),  # bob (then twin) has no account: the gap is recorded once each
        ("inapp", "", DeliveryStatus.FAILED),
        ("inapp", f"user:{alice.pk}", DeliveryStatus.QUEUED),
        ("sms", "13811112222", DeliveryStatus.QUEUED),
        ("sms", "13811113333", DeliveryStatus.QUEUED),
    ]
    sms = message.deliveries.get(channel="sms", address="13811112222")
    assert sms.person == alice_person and sms.user == alice and sms.place == region["village000"]
    no_account = message.deliveries.filter(channel="inapp", address="").first()
    assert no_account.last_error == "该人员没有平台账号"
    assert message.sender == officer and message.channels == ["inapp", "sms"]


def test_missing_and_invalid_mobiles_are_failed_deliveries(region, make_user, make_person):
    admin = make_user()
    nobody = make_person(mobile="")
    wrong = make_person(mobile="12345")
    message = services.notify(actor=admin, subject="演练通知", persons=[nobody, wrong], channels=["voice"])
    rows = {d.person_id: d for d in message.deliveries.all()}
    assert rows[nobody.pk].status == DeliveryStatus.FAILED and rows[nobody.pk].last_error == "缺少手机号码"
    assert (
        rows[wrong.pk].status == DeliveryStatus.FAILED and rows[wrong.pk].last_error == "手机号码格式不正确"
    )


def test_bare_mobiles_are_texted_once_and_only_on_mobile_channels(region, make_user, make_person):
    admin = make_user()
    known = make_person(mobile="13800001111")
    message = services.notify(
        actor=admin,
        subject="举报已受理",
        persons=[known],
        mobiles=["+86 138-0000-1111", "13900002222", "13900002222", "123"],
        channels=["sms", "inapp"],
    )
    sms = {d.address: d for d in message.deliveries.filter(channel="sms")}
    # the person's number and the first bare one are the same number: one delivery
    assert sorted(sms) == ["123", "13800001111", "13900002222"]
    assert sms["123"].status == DeliveryStatus.FAILED and sms["123"].last_error == "手机号码格式不正确"
    assert sms["13800001111"].person_id == known.pk
    assert sms["13900002222"].status != DeliveryStatus.FAILED and sms["13900002222"].person_id is None
    # the in-app channel reaches accounts only: the bare numbers add nothing there
    assert message.deliveries.filter(channel="inapp").count() == 1


def test_bare_mobiles_alone_are_recipients(region, make_user):
    message = services.notify(actor=make_user(), subject="查询码", mobiles=["13900003333"], channels=["sms"])
    assert list(message.deliveries.values_list("address", flat=True)) == ["13900003333"]


def test_broadcast_goes_to_places(region, make_user):
    admin = make_user()
    message = services.notify(
        actor=admin,
        subject="防汛广播",
        channels=["broadcast"],
        places=[region["village000"], region["village000"], region["village001"]],
    )
    assert _targets(message) == [
        ("broadcast", region["village000"].code, "queued"),
        ("broadcast", region["village001"].code, "queued"),
    ]


def test_a_delivery_is_never_created_twice(region, make_user, make_person):
    admin = make_user()
    person = make_person(mobile="13811114444")
    message = services.notify(actor=admin, subject="通知", persons=[person], channels=["sms"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(message=message, channel="sms", address="13811114444")


@pytest.mark.parametrize(
    "kwargs, field, code",
    [
        ({"subject": "  "}, "subject", "required"),
        ({"channels": ["pigeon"]}, "channels", "unknown_channel"),
        ({"channels": []}, "channels", "required"),
        ({"link": "javascript:alert(1)"}, "link", "invalid_link"),
    ],
)
def test_bad_input_writes_nothing(region, make_user, kwargs, field, code):
    admin = make_user()
    args = {"actor": admin, "subject": "通知", "users": [admin], **kwargs}
    with pytest.raises(ValidationError) as info:
        services.notify(**args)
    assert info.value.error_dict[field][0].code == code
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_no_recipients_is_refused(region, make_user):
    with pytest.raises(ValidationError) as info:
        services.notify(actor=make_user(), subject="通知")
    assert info.value.error_list[0].code == "no_recipients"
    with pytest.raises(ValidationError) as info:  # places only reach broadcast and screens
        services.notify(actor=make_user(), subject="通知", places=[region["village000"]], channels=["sms"])
    assert info.value.error_list[0].code == "no_targets"
    assert not Message.objects.exists()


def test_inapp_notification_and_unread_count(region, make_user, committed, django_assert_num_queries):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    assert services.unread_count(worker) == 0
    with committed():
        services.notify(actor=officer, subject="请核查隐患", users=[worker])
        services.notify(actor=officer, subject="请上报灾情", users=[worker])
    with django_assert_num_queries(1):
        assert services.unread_count(worker) == 2
    first = Notification.objects.inbox(worker).get(message__subject="请核查隐患")
    assert first.place == region["village000"]  # the place the worker's own role covers
    services.mark_read(first, actor=worker)
    assert services.unread_count(worker) == 1
    with pytest.raises(AccessDenied):
        services.mark_read(Notification.objects.get(message__subject="请上报灾情"), actor=officer)
    assert services.mark_all_read(actor=worker) == 1
    assert services.unread_count(worker) == 0


def test_send_message_checks_role_and_scope(region, make_user, make_person):
    town_officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    grid = make_user(Role.GRID_WORKER, place=region["village000"])
    here = make_person(place=region["village000"])
    there = make_person(place=region["village100"])
    with pytest.raises(AccessDenied) as info:
        services.send_message(actor=grid, subject="通知", persons=[here], channels=["sms"])
    assert info.value.code == "permission_denied"
    with pytest.raises(AccessDenied) as info:
        services.send_message(actor=town_officer, subject="通知", persons=[here, there], channels=["sms"])
    assert info.value.code == "out_of_scope"
    assert not Message.objects.exists()
    message = services.send_message(actor=town_officer, subject="通知", persons=[here], channels=["sms"])
    assert message.deliveries.get().address == here.mobile


def test_domain_callers_may_notify_outside_their_scope(region, make_user):
    """A reminder raised by an enterprise user's action reaches the town regulator (no scope check)."""
    enterprise_user = make_user(Role.GRID_WORKER, place=region["village000"])
    regulator = make_user(Role.BUREAU_OFFICER, place=region["town10"])
    message = services.notify(
        actor=enterprise_user, subject="新隐患待审核", users=[regulator], category="reminder"
    )
    assert message.deliveries.get().user == regulator


def test_audit_entries_for_message_and_deliveries(region, make_user, make_person):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    make_person(user=officer, place=region["town00"], name="李四")
    person = make_person()
    message = services.send_message(
        actor=officer, subject="安全提示", persons=[person], channels=["sms", "voice"]
    )
    entry = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(Message), object_id=str(message.pk)
    )
    assert entry.action == "create" and entry.after["subject"] == "安全提示"  # actor: see test_api (request)
    assert entry.place == region["town00"]  # no object: the sender's place scopes the message
    delivery_entries = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Delivery))
    assert sorted(int(e.object_id) for e in delivery_entries) == sorted(
        message.deliveries.values_list("id", flat=True)
    )
    assert all(e.place == region["village000"] for e in delivery_entries)


def test_about_object_gives_link_and_place(region, make_user, make_enterprise):
    admin = make_user()
    enterprise = make_enterprise(place=region["village011"])
    message = services.notify(actor=admin, subject="复查提醒", users=[admin], about=enterprise)
    assert message.about == enterprise
    assert message.place == region["village011"]
    assert message.link == enterprise.get_absolute_url()


def test_the_system_actor_sends_without_a_sender(region, make_user):
    from yingji.framework.access import SYSTEM

    worker = make_user(Role.GRID_WORKER, place=region["village000"])
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    message = services.notify(
        actor=SYSTEM, subject="整改期限将至", users=[worker, officer], category="deadline"
    )
    assert message.sender is None and {d.user for d in message.deliveries.all()} == {worker, officer}
    assert message.place == region["town00"]  # the nearest place containing every recipient
    assert message.category_label == "督办"


def test_notify_queries_do_not_grow_with_recipients(region, make_user, make_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = make_user()

    def queries(n):
        people = [make_person(place=region["village001"]) for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            services.notify(
                actor=admin, subject="批量通知", persons=people, channels=["sms", "voice", "inapp"]
            )
        return len(ctx.captured_queries)

    queries(1)  # warms the content-type cache
    assert queries(3) == queries(12)
