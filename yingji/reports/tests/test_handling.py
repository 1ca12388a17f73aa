"""Officers' handling of reports: the state machine, deadlines, conversion to a hazard, scope and API."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from yingji.deadlines.models import Deadline
from yingji.framework.access import AccessDenied
from yingji.reports import services
from yingji.reports.models import PublicReport
from yingji.reports.tests.conftest import photo

pytestmark = pytest.mark.django_db


def deadline(report, rule):
    return Deadline.objects.get(rule=rule, object_id=str(report.pk))


def test_accept_meets_the_accept_deadline_and_starts_the_30_day_handling(world, submit):
    report = submit()
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        report = services.accept_report(report, actor=world["officer"], note="已电话核实")
        now = timezone.now()
    assert report.status == "accepted"
    assert deadline(report, "reports.accept").status == "met"
    handle = deadline(report, "reports.handle")
    assert handle.status == "open"
    assert handle.due_at.date() >= (now + dt.timedelta(days=29)).date()
    assert handle.due_at <= now + dt.timedelta(days=31)
    assert "已电话核实" in report.handling_note


def test_state_machine_refuses_invalid_moves_with_clear_messages(world, submit):
    officer = world["officer"]
    report = submit()
    with pytest.raises(services.InvalidTransition, match="请先受理"):
        services.close_report(report, actor=officer, result="已处理")
    with pytest.raises(services.InvalidTransition, match="请先受理"):
        services.decide_reward(report, actor=officer, decision="granted", amount=100)
    with pytest.raises(Exception, match="请填写不予受理的理由"):
        services.reject_report(report, actor=officer, reason="  ")
    report = services.reject_report(report, actor=officer, reason="举报事项不属于安全生产监管范围")
    assert report.status == "rejected"
    assert deadline(report, "reports.accept").status == "met"
    with pytest.raises(services.InvalidTransition, match="不能受理"):
        services.accept_report(report, actor=officer)
    with pytest.raises(services.InvalidTransition):
        services.mark_clue(report, actor=officer, text="x")


def test_close_meets_the_handling_deadline_and_reward_rules(world, submit):
    officer = world["officer"]
    report = services.accept_report(submit(), actor=officer)
    with pytest.raises(Exception, match="大于0的奖励金额"):
        services.decide_reward(report, actor=officer, decision="granted", amount=None)
    report = services.close_report(report, actor=officer, result="已责令整改")
    assert report.status == "closed" and report.closed_at
    assert deadline(report, "reports.handle").status == "met"
    report = services.decide_reward(
        report, actor=officer, decision="granted", amount=Decimal("500"), decided_on=dt.date(2026, 11, 20)
    )
    assert (report.reward_amount, report.reward_decided_by, report.reward_decided_on) == (
        Decimal("500"),
        officer,
        dt.date(2026, 11, 20),
    )
    report = services.decide_reward(report, actor=officer, decision="denied", amount=Decimal("500"))
    assert report.reward_amount is None


def test_clue_accepts_a_submitted_report_and_is_recorded(world, submit):
    report = services.mark_clue(submit(kind="illegal"), actor=world["enforcer"], text="无证经营危险化学品")
    assert report.clue and report.clue_text == "无证经营危险化学品" and report.clue_at
    assert report.status == "accepted"


def test_scope_outside_officers_and_read_only_roles_cannot_act(world, submit):
    report = submit()
    with pytest.raises(AccessDenied):
        services.accept_report(report, actor=world["other_officer"])
    with pytest.raises(AccessDenied):
        services.accept_report(report, actor=world["leader"])
    # a department officer acts on what is routed to its department, not on other departments' reports
    with pytest.raises(AccessDenied):
        services.accept_report(report, actor=world["housing_officer"])
    assert services.accept_report(report, actor=world["dept_officer"]).status == "accepted"
    visible = PublicReport.objects.visible_to
    assert visible(world["leader"]).filter(pk=report.pk).exists()
    assert not visible(world["grid"]).exists()
    assert not visible(world["housing_officer"]).exists()
    assert not visible(world["other_officer"]).exists()


def test_pages_list_with_overdue_flags_and_actions(client, world, submit):
    report = submit()
    client.force_login(world["town_officer"])
    listing = client.get(reverse("reports:publicreport_list"))
    assert listing.status_code == 200
    assert report.get_absolute_url() in listing.content.decode()
    later = timezone.now() + dt.timedelta(days=15)
    with time_machine.travel(later, tick=False):
        client.force_login(world["town_officer"])  # the session of two weeks ago has expired
        overdue = client.get(reverse("reports:publicreport_list"), {"overdue": "true"}).content.decode()
        assert report.get_absolute_url() in overdue and "逾期" in overdue
        detail = client.get(report.get_absolute_url()).content.decode()
        assert 'id="report-due"' in detail and "逾期" in detail
    client.force_login(world["town_officer"])
    assert (
        report.get_absolute_url()
        not in client.get(reverse("reports:publicreport_list"), {"overdue": "true"}).content.decode()
    )
    response = client.post(reverse("reports:publicreport_accept", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    response = client.post(
        reverse("reports:publicreport_close", args=[report.pk]), {"result": ""}, follow=True
    )
    assert "办理结果" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted"
    client.post(reverse("reports:publicreport_close", args=[report.pk]), {"result": "已清理"})
    report.refresh_from_db()
    assert report.status == "closed"


def test_read_only_and_other_roles_on_pages(client, world, submit):
    report = submit()
    client.force_login(world["leader"])
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.post(reverse("reports:publicreport_accept", args=[report.pk])).status_code == 403
    client.force_login(world["grid"])
    assert client.get(reverse("reports:publicreport_list")).status_code == 403
    client.force_login(world["other_officer"])
    assert client.post(reverse("reports:publicreport_accept", args=[report.pk])).status_code == 404


def test_reporter_mobile_is_masked_for_roles_without_clearance(world, submit, api):
    report = submit(reporter_mobile="13912345678", reporter_name="王小明")
    url = f"/api/v1/public-reports/{report.pk}/"
    assert api(world["dept_officer"]).get(url).json()["reporter_mobile"] == "139****5678"
    assert api(world["officer"]).get(url).json()["reporter_mobile"] == "13912345678"


def test_api_actions_and_error_shape(world, submit, api):
    report = submit(photos=[photo()])
    client = api(world["officer"])
    listed = client.get("/api/v1/public-reports/", {"open": "true"}).json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    assert listed["results"][0]["photos"] == [reverse("reports:photo", args=[report.photos.get().pk])]
    bad = client.post(f"/api/v1/public-reports/{report.pk}/reject/", {}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["reason"]
    too_early = client.post(f"/api/v1/public-reports/{report.pk}/close/", {"result": "x"}, format="json")
    assert too_early.status_code == 400
    assert too_early.json()["error"]["fields"]["non_field_errors"][0]["code"] == "invalid_transition"
    ok = client.post(f"/api/v1/public-reports/{report.pk}/accept/", {}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert client.post(
        f"/api/v1/public-reports/{report.pk}/clue/", {"text": "移交执法"}, format="json"
    ).json()["clue"]
    reward = client.post(
        f"/api/v1/public-reports/{report.pk}/reward/", {"decision": "granted", "amount": "200"}, format="json"
    )
    assert reward.status_code == 200 and reward.json()["reward_amount"] == "200.00"
    closed = client.post(f"/api/v1/public-reports/{report.pk}/close/", {"result": "已查处"}, format="json")
    assert closed.json()["status"] == "closed"
    # what the public wrote cannot be rewritten through the API
    client.patch(
        f"/api/v1/public-reports/{report.pk}/", {"title": "改过的", "handling_note": "记录"}, format="json"
    )
    report.refresh_from_db()
    assert report.title != "改过的" and report.handling_note == "记录"
    # there is no create and no delete
    assert client.post("/api/v1/public-reports/", {}, format="json").status_code in (403, 405)
    assert client.delete(f"/api/v1/public-reports/{report.pk}/").status_code in (403, 405)
    assert PublicReport.objects.filter(pk=report.pk).exists()
    # read-only and outside roles
    assert api(world["leader"]).post(f"/api/v1/public-reports/{report.pk}/accept/", {}).status_code == 403
    assert api(world["other_officer"]).get(f"/api/v1/public-reports/{report.pk}/").status_code == 404
    assert api(world["grid"]).get("/api/v1/public-reports/").status_code == 403


def test_reporter_is_texted_with_the_public_tracking_link_not_the_officers_page(world, submit):
    from yingji.messaging.models import Delivery, Message

    silent = services.accept_report(submit(), actor=world["officer"])
    assert not Message.objects.filter(object_id=str(silent.pk)).exists()
    report = services.accept_report(submit(reporter_mobile="13912345678"), actor=world["officer"])
    message = Message.objects.get(object_id=str(report.pk))
    assert message.link == reverse("reports:public_track")
    assert report.tracking_code not in message.link
    assert report.display_code in message.subject
    delivery = Delivery.objects.get(message=message)
    assert (delivery.channel, delivery.address) == ("sms", "13912345678")


def test_public_progress_gives_the_due_time_of_the_current_stage_only(world, submit):
    report = submit()
    progress = services.public_progress(report)
    assert progress["due_at"] == deadline(report, "reports.accept").due_at
    report = services.accept_report(report, actor=world["officer"])
    assert services.public_progress(report)["due_at"] == deadline(report, "reports.handle").due_at
    with time_machine.travel(deadline(report, "reports.handle").due_at + dt.timedelta(days=1)):
        Deadline.objects.filter(object_id=str(report.pk), rule="reports.handle").update(status="overdue")
        assert services.public_progress(report)["due_at"] == deadline(report, "reports.handle").due_at
    report = services.close_report(report, actor=world["officer"], result="已核查处理。")
    assert services.public_progress(report)["due_at"] is None
