"""Fan-out: one delivery per recipient and channel, handed to the adapters, exactly once after crashes;
coverage figures."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from yingji.framework.roles import Role
from yingji.messaging.channels import LoggingChannel, override_channel
from yingji.messaging.models import Delivery, Notification
from yingji.warnings import fanout
from yingji.warnings.models_response import Acknowledgement, FanoutJob, FanoutState
from yingji.warnings.tests.test_response_support import make_warning, person

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Not an Exception: nothing in the task machinery catches it, like a killed process."""


class Recorder(LoggingChannel):
    def __init__(self, die_on_call=None):
        self.sent = []
        self.die_on_call = die_on_call
        self.calls = 0

    def send(self, delivery):
        self.calls += 1
        if self.calls == self.die_on_call:
            raise WorkerDied  # the worker dies during this send, before the carrier accepted it
        self.sent.append((delivery.message_id, delivery.channel, delivery.address))
        return super().send(delivery)


@pytest.fixture
def small_batches(settings):
    settings.YINGJI_WARNINGS_FANOUT_BATCH = 3
    settings.YINGJI_WARNINGS_DISPATCH_BATCH = 2


@pytest.fixture
def crowd(region):
    """8 grid workers with accounts (4 per village of town 00), one without a mobile."""
    people = [
        person(region["village000" if i % 2 else "village001"], user_role=Role.GRID_WORKER) for i in range(7)
    ]
    people.append(person(region["village000"], user_role=Role.GRID_WORKER, mobile_no=""))
    return people


def _warning(region):
    return make_warning(
        region, places=[region["town00"]], groups=("village",), channels=("sms", "inapp", "broadcast")
    )


def _fanout_sends(recorder, job):
    return Counter((c, a) for m, c, a in recorder.sent if m == job.message_id)


def _expected(crowd, region):
    sms = {("sms", p.mobile) for p in crowd if p.mobile}
    broadcast = {("broadcast", region[v].code) for v in ("village000", "village001")}
    return sms | broadcast


def test_fanout_creates_one_delivery_per_recipient_and_channel(
    region, crowd, django_capture_on_commit_callbacks
):
    sms, broadcast = Recorder(), Recorder()
    with override_channel("sms", sms), override_channel("broadcast", broadcast):
        warning = _warning(region)
        with django_capture_on_commit_callbacks(execute=True):
            job = fanout.start_fanout(warning)
    job.refresh_from_db()
    assert job.state == FanoutState.DONE
    deliveries = Delivery.objects.filter(message=job.message)
    assert deliveries.filter(channel="sms").count() == 7
    assert deliveries.filter(channel="inapp").count() == 8
    assert deliveries.filter(channel="broadcast").count() == 2
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    assert job.unreachable == 1  # the grid worker without a mobile, on sms
    sends = _fanout_sends(sms, job) + _fanout_sends(broadcast, job)
    assert set(sends) == _expected(crowd, region) and set(sends.values()) == {1}
    assert Notification.objects.filter(message=job.message).count() == 8
    warning.refresh_from_db()
    assert warning.message_id == job.message_id
    # publishing again (a repeated call) neither duplicates rows nor sends again
    fanout.start_fanout(warning)
    assert (
        fanout.run_fanout(job.pk) == fanout.BUSY or FanoutJob.objects.get(pk=job.pk).state == FanoutState.DONE
    )
    assert deliveries.count() == 17


def _crash_at(monkeypatch, stage, batch):
    calls = {"n": 0}
    original = fanout.checkpoint

    def checkpoint(s, n):
        original(s, n)
        if s == stage and n == batch and calls["n"] == 0:
            calls["n"] += 1
            raise WorkerDied

    monkeypatch.setattr(fanout, "checkpoint", checkpoint)


@pytest.mark.parametrize(("stage", "batch"), [("insert", 1), ("dispatch", 0), ("dispatch", 2)])
def test_restart_after_crash_serves_everyone_exactly_once(
    region, crowd, small_batches, monkeypatch, stage, batch
):
    from yingji.warnings import tasks

    _crash_at(monkeypatch, stage, batch)
    sms, broadcast = Recorder(), Recorder()
    with override_channel("sms", sms), override_channel("broadcast", broadcast):
        warning = _warning(region)
        job = FanoutJob.objects.create(warning=warning)
        with pytest.raises(WorkerDied):
            fanout.run_fanout(job.pk)
        job.refresh_from_db()
        assert job.state == FanoutState.RUNNING
        # while the dead worker's lease holds, nobody takes the job over
        assert fanout.run_fanout(job.pk) == fanout.BUSY
        assert tasks.resume_fanouts.call_local() == 0
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
            assert tasks.resume_fanouts.call_local() == 1
    job.refresh_from_db()
    assert job.state == FanoutState.DONE and job.runs == 2
    sends = _fanout_sends(sms, job) + _fanout_sends(broadcast, job)
    assert set(sends) == _expected(crowd, region)
    assert set(sends.values()) == {1}, sends
    assert Delivery.objects.filter(message=job.message).count() == 17
    assert Notification.objects.filter(message=job.message).count() == 8
    # the call-and-respond rows were opened once
    assert Acknowledgement.objects.filter(warning=warning).count() == 8


def test_worker_dying_inside_a_send_leaves_that_delivery_to_the_stale_sweep(region, crowd, small_batches):
    from yingji.messaging import tasks as messaging_tasks
    from yingji.warnings import tasks

    sms, broadcast = Recorder(die_on_call=3), Recorder()
    with override_channel("sms", sms), override_channel("broadcast", broadcast):
        warning = _warning(region)
        job = FanoutJob.objects.create(warning=warning)
        with pytest.raises(WorkerDied):
            fanout.run_fanout(job.pk)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
            tasks.resume_fanouts.call_local()
            # the delivery whose send died is still leased/queued: the messaging sweep sends it once
            messaging_tasks.requeue_stale_deliveries.call_local()
    job.refresh_from_db()
    sends = _fanout_sends(sms, job) + _fanout_sends(broadcast, job)
    assert set(sends) == _expected(crowd, region)
    assert set(sends.values()) == {1}, sends
    assert not Delivery.objects.filter(message_id=job.message_id, status="queued").exists()


def test_coverage_per_place_and_channel_and_public_estimate(
    region, crowd, django_capture_on_commit_callbacks
):
    warning = _warning(region)
    with django_capture_on_commit_callbacks(execute=True):
        fanout.start_fanout(warning)
    cov = fanout.coverage(warning)
    assert [r["code"] for r in cov["rows"]] == [region["town00"].code]
    cells = cov["rows"][0]["channels"]
    assert cells["sms"] == {"targeted": 8, "reached": 7, "failed": 1, "queued": 0, "rate": 7 / 8}
    assert cells["broadcast"]["reached"] == 2
    assert cov["totals"]["inapp"]["reached"] == 8
    # each village: population 1000, broadcast reached (0.85), 4 persons reached by sms/inapp
    expected_village = 1000 * (1 - 0.15 * (1 - 4 / 1000))
    assert cov["public"]["population"] == 2000
    assert cov["public"]["covered"] == round(2 * expected_village)
    assert cov["public"]["rate"] == pytest.approx(expected_village / 1000)


def test_coverage_is_limited_to_the_users_places(
    region, crowd, make_user, django_capture_on_commit_callbacks
):
    warning = make_warning(region, places=[region["county0"]], groups=(), channels=("broadcast",))
    with django_capture_on_commit_callbacks(execute=True):
        fanout.start_fanout(warning)
    officer = make_user(Role.BUREAU_OFFICER, place=region["town01"])
    cov = fanout.coverage(warning, user=officer)
    assert [r["code"] for r in cov["rows"]] == [region["town01"].code]
    assert cov["public"]["population"] == 2000


def test_coverage_api(region, crowd, api, make_user, django_capture_on_commit_callbacks):
    warning = _warning(region)
    with django_capture_on_commit_callbacks(execute=True):
        fanout.start_fanout(warning)
    response = api(make_user(Role.PLATFORM_ADMIN)).get(f"/api/v1/warnings/{warning.pk}/coverage/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["job"]["state"] == "done"
    assert body["totals"]["sms"]["reached"] == 7
    assert api().get(f"/api/v1/warnings/{warning.pk}/coverage/").status_code in (401, 403)


def test_coverage_panel_page(region, crowd, client, make_user, django_capture_on_commit_callbacks):
    from django.urls import reverse

    warning = make_warning(
        region,
        place=region["county0"],  # issued by the county: its officers see the warning
        places=[region["town00"]],
        groups=("village",),
        channels=("sms", "inapp", "broadcast"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        fanout.start_fanout(warning)
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["county0"]))
    page = client.get(reverse("warnings:response_coverage", args=[warning.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="coverage-panel"' in html and region["town00"].name in html
    assert "7/8" in html  # sms reached / targeted in the town row
    outsider = make_user(Role.BUREAU_OFFICER, place=region["county1"])
    client.force_login(outsider)
    assert client.get(reverse("warnings:response_coverage", args=[warning.pk])).status_code == 404
