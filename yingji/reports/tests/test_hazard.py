"""A report turned into a hazard: the reporter follows the hazard's closed loop with the tracking code."""

import pytest
from django.urls import reverse

from yingji.accounts.models import Person
from yingji.hazards import services as hazards
from yingji.hazards.choices import Status as HazardStatus
from yingji.reports import services

pytestmark = pytest.mark.django_db


def close_through_hazards(hazard, officer, person):
    """Bring a general hazard without enterprise to 已销号 through the hazards services."""
    import datetime as dt

    from django.utils import timezone

    hazard = hazards.confirm_hazard(hazard, actor=officer, grade="general")
    hazard = hazards.assign_rectification(
        hazard,
        actor=officer,
        responsible=person,
        measures="清理液化气瓶，设置通风",
        funds="0.5",
        due_at=(timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        contingency_plan="整改期间禁止明火",
    )
    hazard = hazards.submit_rectification(hazard, actor=officer, evidence="气瓶已清运")
    for _i in range(3):
        if hazard.status == HazardStatus.VERIFIED:
            break
        hazard = hazards.verify_hazard(hazard, actor=officer, approve=True)
    return hazards.close_hazard(hazard, actor=officer)


def test_converted_report_shows_the_hazard_outcome_to_the_reporter(client, world, submit, make_enterprise):
    region = world["region"]
    officer = world["officer"]
    report = submit(reporter_mobile="13912345678")
    report = services.convert_to_hazard(report, actor=officer, category="危险化学品储存")
    hazard = report.hazard
    assert report.status == "accepted"
    assert hazard.source == "public_report"
    assert hazard.place == region["village000"]
    assert hazard.category == "危险化学品储存"
    assert hazard.title == report.title
    with pytest.raises(services.InvalidTransition, match="不能重复转办"):
        services.convert_to_hazard(report, actor=officer)

    response = client.post(reverse("reports:public_track"), {"code": report.tracking_code})
    assert "隐患整改状态" in response.content.decode()
    assert "整改完毕并验收销号" not in response.content.decode()

    person = Person.objects.create(name="李责任", place=region["village000"], mobile="13800002222")
    hazard = close_through_hazards(hazard, officer, person)
    assert hazard.status == HazardStatus.CLOSED
    html = client.post(reverse("reports:public_track"), {"code": report.tracking_code}).content.decode()
    assert "已销号" in html
    assert "整改完毕并验收销号" in html
    assert "李责任" not in html and "13800002222" not in html


def test_conversion_with_an_enterprise_takes_its_place(world, submit, make_enterprise):
    enterprise = make_enterprise(place=world["region"]["village001"])
    report = services.convert_to_hazard(submit(), actor=world["officer"], enterprise=enterprise)
    assert report.hazard.enterprise == enterprise
    assert report.hazard.place == world["region"]["village001"]


def test_conversion_through_the_page_and_the_api(client, api, world, submit):
    report = submit()
    client.force_login(world["town_officer"])
    detail = client.get(report.get_absolute_url()).content.decode()
    assert 'id="convert-form"' in detail
    client.post(reverse("reports:publicreport_convert", args=[report.pk]), {"category": ""})
    report.refresh_from_db()
    assert report.hazard_id
    other = submit()
    answer = api(world["officer"]).post(
        f"/api/v1/public-reports/{other.pk}/convert-to-hazard/", {}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["hazard"]


def test_convert_form_offers_the_reports_town_and_picks_the_named_enterprise(world, submit, make_enterprise):
    from yingji.reports.forms import ConvertForm

    region = world["region"]
    named = make_enterprise(place=region["village001"], name="甲化工")
    near = make_enterprise(place=region["village000"], name="乙物流")
    other_town = make_enterprise(place=region["village010"], name="丙化工")
    make_enterprise(place=region["village100"], name="丁机械")  # another county
    mapped = ConvertForm(user=world["officer"], report=submit(enterprise_name="甲化工"))
    assert set(mapped.fields["enterprise"].queryset) == {near, named}  # town00's
    assert mapped["enterprise"].value() == named.pk
    chosen_town = submit(longitude=None, latitude=None, area=region["town01"], enterprise_name="化工")
    town = ConvertForm(user=world["officer"], report=chosen_town)
    assert list(town.fields["enterprise"].queryset) == [other_town]
    assert town["enterprise"].value() == other_town.pk  # 甲化工, also a 化工, is in another town
    assert (
        ConvertForm(user=world["officer"], report=submit(enterprise_name="物"))["enterprise"].value()
        == near.pk
    )
