"""The public side: filing a report without an account, abuse protection, the tracking page."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yingji.deadlines.models import Deadline
from yingji.reports import conf
from yingji.reports.models import PublicReport, ReportPhoto
from yingji.reports.tests.conftest import INSIDE, photo

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "hazard",
    "title": "仓库违规存放液化气瓶",
    "description": "某仓库内堆放二十余只液化气瓶，无通风。",
    "address": "幸福路8号",
    **INSIDE,
}


def post(client, **extra):
    return client.post(reverse("reports:public_new"), {**FORM, **extra})


# 2026-11-23 is a Monday: five working days later is Monday 2026-11-30 (24:00 = 2026-12-01 00:00)
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@time_machine.travel(MONDAY, tick=False)
def test_public_files_a_report_with_a_photo_without_signing_in(client, world):
    assert client.get(reverse("reports:public_new")).status_code == 200
    response = post(client, photos=[photo()], reporter_name="王先生", reporter_mobile="13912345678")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("reports:public_done")
    report = PublicReport.objects.get()
    assert report.place == world["region"]["village000"]
    assert report.department == world["bureau0"]  # the county's emergency bureau, not the city's
    assert report.status == "submitted"
    assert re.fullmatch(f"[{conf.CODE_ALPHABET}]{{12}}", report.tracking_code)
    stored = ReportPhoto.objects.get(report=report)
    assert stored.image.name.startswith("reports/") and stored.image.name.endswith(".jpg")
    assert "scene" not in stored.image.name  # the uploader's file name is not kept
    done = client.get(response["Location"])
    assert report.display_code in done.content.decode()
    # the code is shown once; a second visit goes to the tracking page
    assert client.get(reverse("reports:public_done"))["Location"] == reverse("reports:public_track")
    # the 受理 deadline runs on working days from the submission
    deadline = Deadline.objects.get(rule="reports.accept", object_id=str(report.pk))
    assert deadline.place == report.place
    assert deadline.due_at.astimezone(MONDAY.tzinfo).date() in (dt.date(2026, 11, 30), dt.date(2026, 12, 1))


def test_anonymous_report_by_town_without_a_map_point(client, world):
    town = world["region"]["town01"]
    response = post(client, longitude="", latitude="", area=town.code)
    assert response.status_code == 302
    report = PublicReport.objects.get()
    assert report.place == town
    assert report.department == world["bureau0"]
    assert report.anonymous


def test_a_point_outside_the_city_falls_back_to_the_chosen_town_or_is_refused(client, world):
    response = post(client, longitude="100.0", latitude="30.0")
    assert response.status_code == 400
    assert "不在本市范围内" in response.content.decode()
    assert (
        post(client, longitude="100.0", latitude="30.0", area=world["region"]["town10"].code).status_code
        == 302
    )
    assert PublicReport.objects.get().department == world["bureau1"]


def test_a_location_is_required(client, world):
    response = post(client, longitude="", latitude="")
    assert response.status_code == 400
    assert "请在地图上选择位置，或选择所在的镇（街道）" in response.content.decode()
    assert not PublicReport.objects.exists()


def test_rate_limit_per_ip_answers_429_in_chinese(client, world, monkeypatch):
    monkeypatch.setattr(conf, "SUBMISSIONS_PER_HOUR", 2)
    assert post(client).status_code == 302
    assert post(client).status_code == 302
    third = post(client)
    assert third.status_code == 429
    assert "每小时最多提交 2 次举报" in third.content.decode()
    assert PublicReport.objects.count() == 2
    # another address is not affected
    other = client.post(reverse("reports:public_new"), FORM, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_limit_resets_the_next_hour(client, world, monkeypatch):
    monkeypatch.setattr(conf, "SUBMISSIONS_PER_HOUR", 1)
    with time_machine.travel(MONDAY, tick=False):
        assert post(client).status_code == 302
        assert post(client).status_code == 429
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        assert post(client).status_code == 302


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.jpg", b"not really a picture", content_type="image/jpeg"), "不是有效的图片"),
        (photo("x.bmp", fmt="BMP"), "不支持 BMP 格式的图片"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_written(client, world, upload, message):
    response = post(client, photos=[upload])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicReport.objects.exists()
    assert not ReportPhoto.objects.exists()


def test_too_large_and_too_many_photos_are_refused(client, world, monkeypatch):
    monkeypatch.setattr(conf, "MAX_PHOTO_BYTES", 200)
    big = post(client, photos=[photo(size=(400, 400))])
    assert big.status_code == 400 and "超过上限" in big.content.decode()
    monkeypatch.setattr(conf, "MAX_PHOTO_BYTES", 8 * 2**20)
    monkeypatch.setattr(conf, "MAX_PHOTOS", 2)
    many = post(client, photos=[photo(), photo(), photo()])
    assert many.status_code == 400 and "最多上传 2 张照片" in many.content.decode()
    assert not PublicReport.objects.exists()


def test_honeypot_filled_in_files_nothing(client, world):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    assert not PublicReport.objects.exists()


def test_bad_mobile_is_refused_with_a_clear_message(client, world):
    response = post(client, reporter_mobile="12345")
    assert response.status_code == 400
    assert "手机号码格式不正确" in response.content.decode()


def track(client, code):
    return client.post(reverse("reports:public_track"), {"code": code})


def test_tracking_page_shows_progress_and_never_personal_data(client, world, submit):
    from yingji.reports import services

    report = submit(
        reporter_name="王小明",
        reporter_mobile="13912345678",
        enterprise_name="某某物流公司",
        photos=[photo()],
    )
    officer = world["officer"]
    services.accept_report(report, actor=officer)
    services.mark_clue(report, actor=officer, text="涉嫌无证储存危险化学品，移交执法大队")
    report.refresh_from_db()
    report.handling_note = "内部：联系了村委会张主任 13800001111"
    report.save()
    services.close_report(report, actor=officer, result="经核查属实，已责令清理全部气瓶。")
    services.decide_reward(report, actor=officer, decision="granted", amount=300)

    # typed in lower case with dashes and spaces, as people do
    response = track(client, " " + report.display_code.lower() + " ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "已办结" in html
    assert "经核查属实，已责令清理全部气瓶。" in html
    assert "已受理" in html
    assert "300" in html
    for secret in (
        "王小明",
        "13912345678",
        "139****5678",
        "某某物流公司",
        "二十余只液化气瓶",
        "张主任",
        "涉嫌无证储存",
    ):
        assert secret not in html, secret
    # the reporter sees their own photo through the session the code opened
    photo_id = report.photos.get().pk
    assert client.get(reverse("reports:public_photo", args=[photo_id])).status_code == 200


def test_wrong_codes_are_told_apart_from_nothing_and_are_rate_limited(client, world, submit, monkeypatch):
    submit()
    response = track(client, "AAAA-BBBB-CCCC")
    assert response.status_code == 400
    assert "未找到该查询码" in response.content.decode()
    monkeypatch.setattr(conf, "LOOKUPS_PER_HOUR", 3)
    track(client, "AAAA-BBBB-CCCD")
    track(client, "AAAA-BBBB-CCCE")
    assert track(client, "AAAA-BBBB-CCCF").status_code == 429


def test_photos_are_not_public(client, world, submit):
    report = submit(photos=[photo()])
    pk = report.photos.get().pk
    assert client.get(reverse("reports:public_photo", args=[pk])).status_code == 404
    assert client.get(reverse("reports:photo", args=[pk])).status_code == 302  # sign in first
    client.force_login(world["grid"])
    assert client.get(reverse("reports:photo", args=[pk])).status_code == 403
    client.force_login(world["other_officer"])
    assert client.get(reverse("reports:photo", args=[pk])).status_code == 404
    client.force_login(world["town_officer"])
    response = client.get(reverse("reports:photo", args=[pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
