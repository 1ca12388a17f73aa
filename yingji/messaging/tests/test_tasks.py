"""Sending: queued → sent / failed, retries, idempotency, the stale sweep, carriers from settings."""

import datetime

import time_machine
from django.db import transaction

from yingji.audit.services import history_of
from yingji.messaging import channels, services, tasks
from yingji.messaging.channels import OUTBOX, FailingChannel, override_channel
from yingji.messaging.choices import DeliveryStatus
from yingji.messaging.models import Delivery, Notification


def _send_sms(admin, person, committed):
    with committed():
        message = services.notify(actor=admin, subject="暴雨橙色预警", persons=[person], channels=["sms"])
    return message.deliveries.get()


def test_a_succeeding_channel_ends_in_sent(region, make_user, make_person, committed):
    admin = make_user()
    delivery = _send_sms(admin, make_person(mobile="13800001111"), committed)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    assert delivery.provider_id.startswith("log:") and delivery.sent_at is not None
    assert [(o["channel"], o["address"]) for o in OUTBOX] == [("sms", "13800001111")]
    entry = history_of(delivery).filter(action="update").get()
    assert entry.source == "task" and entry.after["status"] == "sent" and entry.before["status"] == "queued"


def test_transient_failures_are_retried_until_sent(region, make_user, make_person, committed, run_retries):
    admin = make_user()
    with override_channel("sms", FailingChannel(fail_times=2)) as flaky:
        delivery = _send_sms(admin, make_person(), committed)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
        assert delivery.last_error == "网关超时（模拟）"
        assert run_retries() == 2
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3 and delivery.last_error == ""
    assert flaky.calls == 3 and len(OUTBOX) == 1


def test_retries_end_in_failed_with_last_error(region, make_user, make_person, committed, run_retries):
    admin = make_user()
    with override_channel("sms", FailingChannel(fail_times=99, error="运营商拒绝：线路忙")) as flaky:
        delivery = _send_sms(admin, make_person(), committed)
        run_retries()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS == flaky.calls
    assert delivery.last_error == "运营商拒绝：线路忙"
    assert not OUTBOX


def test_a_final_error_fails_at_once(region, make_user, make_person, committed, run_retries):
    admin = make_user()
    with override_channel("sms", FailingChannel(fail_times=1, final=True, error="空号")):
        delivery = _send_sms(admin, make_person(), committed)
        assert run_retries() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 1, "空号")


def test_an_exception_in_an_adapter_is_a_transient_failure(region, make_user, make_person, committed):
    class Broken(channels.Channel):
        def send(self, delivery):
            raise ConnectionError("connection reset")

    with override_channel("sms", Broken()):
        delivery = _send_sms(make_user(), make_person(), committed)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED and "connection reset" in delivery.last_error


def test_sending_twice_does_not_send_twice(region, make_user, make_person, committed):
    admin = make_user()
    delivery = _send_sms(admin, make_person(), committed)
    assert len(OUTBOX) == 1
    tasks.send_delivery(delivery.pk)  # the task runs again (a duplicate in the queue) …
    assert services.attempt_delivery(delivery.pk) == services.SKIPPED
    assert len(OUTBOX) == 1  # … and sends nothing
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_try_in_flight_is_not_taken_by_a_second_worker(region, make_user, make_person):
    admin = make_user()
    message = services.notify(actor=admin, subject="通知", persons=[make_person()], channels=["sms"])
    delivery = message.deliveries.get()
    inner = []

    class Slow(channels.SmsLoggingChannel):
        def send(self, d):
            inner.append(services.attempt_delivery(d.pk))  # another worker tries while we send
            return super().send(d)

    with override_channel("sms", Slow()):
        assert services.attempt_delivery(delivery.pk) == services.SENT
    assert inner == [services.SKIPPED] and len(OUTBOX) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.locked_until is None


def test_inapp_send_is_idempotent(region, make_user, committed):
    admin = make_user()
    with committed():
        message = services.notify(actor=admin, subject="通知", users=[admin])
    delivery = message.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.QUEUED)  # as if the ack were lost
    services.attempt_delivery(delivery.pk)
    assert Notification.objects.filter(message=message, recipient=admin).count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(region, make_user, make_person, committed):
    admin = make_user()
    with committed():
        try:
            with transaction.atomic():
                services.notify(actor=admin, subject="通知", persons=[make_person()], channels=["sms"])
                raise RuntimeError("the caller's transaction fails later")
        except RuntimeError:
            pass
    assert not OUTBOX and not Delivery.objects.exists()


def test_stale_queued_deliveries_are_sent_by_the_sweep(region, make_user, make_person):
    admin = make_user()
    message = services.notify(
        actor=admin, subject="通知", persons=[make_person()], channels=["sms"]
    )  # no commit
    delivery = message.deliveries.get()
    assert services.stale_delivery_ids() == []
    with time_machine.travel(
        datetime.datetime.now(datetime.UTC) + services.STALE_AFTER + datetime.timedelta(minutes=1)
    ):
        assert services.stale_delivery_ids() == [delivery.pk]
        assert tasks.requeue_stale_deliveries.call_local() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(OUTBOX) == 1


def test_exhausted_delivery_left_queued_fails_without_sending(region, make_user, make_person):
    admin = make_user()
    message = services.notify(actor=admin, subject="通知", persons=[make_person()], channels=["sms"])
    delivery = message.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=services.MAX_ATTEMPTS, last_error="超时")
    assert services.attempt_delivery(delivery.pk) == services.FAILED
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "超时" and not OUTBOX


def test_carrier_receipt_marks_delivered(region, make_user, make_person, committed):
    delivery = _send_sms(make_user(), make_person(), committed)
    delivery.refresh_from_db()
    services.record_receipt(channel="sms", provider_id=delivery.provider_id)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at is not None


def test_a_carrier_is_plugged_in_through_settings(settings, region, make_user, make_person, committed):
    settings.MESSAGING_CHANNELS = {"sms": "yingji.messaging.channels.FailingChannel"}
    sms = channels.get_channel("sms")
    assert isinstance(sms, FailingChannel) and sms.code == "sms"
    settings.MESSAGING_CHANNELS = {}
    assert type(channels.get_channel("sms")) is channels.SmsLoggingChannel
