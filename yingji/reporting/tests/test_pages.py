import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from yingji.framework.roles import Role
from yingji.incidents.models import Incident
from yingji.reporting.models import IncomingInfo, UpwardReport
from yingji.reporting.views import reports_for

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_incoming_form_defaults_and_redirects_to_the_incident(client, county_duty, region):
    client.force_login(county_duty)
    page = client.get(reverse("reporting:incominginfo_add"))
    assert page.status_code == 200
    assert page.context["form"].initial["received_at"][:10] == dt.datetime.now(TZ).date().isoformat()
    occurred = (dt.datetime.now(TZ) - dt.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M")
    received = dt.datetime.now(TZ).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("reporting:incominginfo_add"),
        {
            "source": "119",
            "received_at": received,
            "event_type": "fire",
            "place": region["village000"].pk,
            "occurred_at": occurred,
            "deaths": 0,
            "missing": 0,
            "serious_injuries": 0,
            "minor_injuries": 0,
            "direct_loss_wan": "0",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert IncomingInfo.objects.get().incident == incident


def test_incoming_form_errors_are_chinese_and_next_to_fields(client, county_duty, region):
    client.force_login(county_duty)
    response = client.post(reverse("reporting:incominginfo_add"), {"source": "phone"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "event_type" in form.errors and "place" in form.errors and "occurred_at" in form.errors
    html = response.content.decode()
    assert 'id="event_type-errors"' in html and "请按红色提示修改后重新提交" in html
    assert "该字段是必填项" in html
    assert not Incident.objects.exists()


def test_incoming_form_outside_scope(client, county_duty, region):
    client.force_login(county_duty)
    now = dt.datetime.now(TZ)
    response = client.post(
        reverse("reporting:incominginfo_add"),
        {
            "source": "phone",
            "received_at": now.strftime("%Y-%m-%dT%H:%M"),
            "event_type": "fire",
            "place": region["village100"].pk,
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and not Incident.objects.exists()


def test_report_detail_submit_and_chain_include(client, record, county_duty, region, make_user):
    incident = record().incident
    report = UpwardReport.objects.get(incident=incident)
    client.force_login(county_duty)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and page.context["report_form"] is not None
    done = client.post(
        reverse("reporting:upwardreport_submit", args=[report.pk]),
        {
            "time_place_scene": "村",
            "course": "火",
            "deaths": 0,
            "missing": 0,
            "serious_injuries": 0,
            "minor_injuries": 0,
            "direct_loss_wan": "0",
        },
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.reported_at is not None and report.reported_by == county_duty
    ctx = reports_for(incident, county_duty)
    assert ctx["reporting_reports"] == [report]
    from django.template.loader import render_to_string

    html = render_to_string("reporting/_incident_reports.html", ctx)
    assert "南通市" in html and "按时报送" in html
    # another county's officer sees nothing of it
    assert (
        reports_for(incident, make_user(Role.DUTY_OFFICER, place=region["county1"]))["reporting_reports"]
        == []
    )


@pytest.mark.parametrize(
    "name",
    [
        "incominginfo_list",
        "upwardreport_list",
        "supervision",
        "misreport_list",
        "documents",
        "upwardreport_add",
    ],
)
def test_pages_answer(client, record, county_duty, name):
    record()
    client.force_login(county_duty)
    assert client.get(reverse(f"reporting:{name}")).status_code == 200


def test_supervision_counts_late_and_missing(client, record, county_duty, region):
    import time_machine

    from yingji.reporting import services

    t0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)
    with time_machine.travel(t0, tick=False):
        late = UpwardReport.objects.get(incident=record(occurred_at=t0 - dt.timedelta(minutes=5)).incident)
        missing = UpwardReport.objects.get(incident=record(occurred_at=t0 - dt.timedelta(minutes=5)).incident)
    with time_machine.travel(t0 + dt.timedelta(hours=3), tick=False):
        services.make_report(late, actor=county_duty, time_place_scene="x", course="y")
        services.check_reports()
        client.force_login(county_duty)
        page = client.get(reverse("reporting:supervision"), {"month": "2026-06"})
        may = client.get(reverse("reporting:supervision"), {"month": "2026-05"})
    (row,) = page.context["rows"]
    assert (row["from_place__name"], row["due"], row["late"], row["missing"]) == ("崇川区", 2, 1, 1)
    assert row["late_rate"] == 50.0 and row["missing_rate"] == 50.0
    assert {r.pk for r in page.context["flagged"]} == {late.pk, missing.pk}
    assert may.context["rows"] == []


def test_documents_page_downloads(client, record, county_duty):
    record(title="页面测试事件")
    client.force_login(county_duty)
    page = client.get(reverse("reporting:documents"), {"kind": "daily"})
    assert "页面测试事件" in page.content.decode()
    docx = client.get(reverse("reporting:documents"), {"kind": "daily", "format": "docx"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = client.get(reverse("reporting:documents"), {"kind": "monthly", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_leader_reads_but_cannot_record(client, make_user, region):
    leader = make_user(Role.LEADER, place=region["city"])
    client.force_login(leader)
    assert client.get(reverse("reporting:incominginfo_list")).status_code == 200
    assert client.get(reverse("reporting:incominginfo_add")).status_code == 403


def test_list_pages_offer_the_add_pages(client, county_duty):
    client.force_login(county_duty)
    assert (
        reverse("reporting:incominginfo_add")
        in client.get(reverse("reporting:incominginfo_list")).content.decode()
    )
    assert (
        reverse("reporting:upwardreport_add")
        in client.get(reverse("reporting:upwardreport_list")).content.decode()
    )


def test_figures_changed_on_the_incident_elsewhere_extend_the_chain(record, region):
    from yingji.incidents.services import apply_rules
    from yingji.reporting import services

    incident = record().incident
    incident.deaths = 3
    apply_rules(incident)
    incident.save()
    services.check_reports()
    levels = set(UpwardReport.objects.filter(incident=incident).values_list("recipient_level", flat=True))
    assert levels == {"city", "province"}


def test_casualties_updated_on_the_incident_page_extend_the_chain_at_once(record, county_duty):
    """No waiting for the periodic job: the incidents service signals the change in its transaction."""
    from yingji.incidents.services import update_casualties

    incident = record().incident
    assert set(UpwardReport.objects.filter(incident=incident).values_list("recipient_level", flat=True)) == {
        "city"
    }
    update_casualties(incident, actor=county_duty, deaths=3)
    levels = set(UpwardReport.objects.filter(incident=incident).values_list("recipient_level", flat=True))
    assert levels == {"city", "province"}


@pytest.mark.parametrize(
    "url",
    [
        "/reporting/documents/?kind=weekly&date=9999-12-31",
        "/reporting/documents/?kind=monthly&date=0001-01-01",
        "/reporting/supervision/?month=9999-12",
        "/reporting/supervision/?month=0001-01",
    ],
)
def test_pages_with_dates_off_the_calendar_fall_back_to_today(client, county_duty, url):
    client.force_login(county_duty)
    response = client.get(url)
    assert response.status_code == 200
    today = dt.datetime.now(TZ).date()
    shown = response.context["day"] if "documents" in url else response.context["month"]
    assert (shown.year, shown.month) == (today.year, today.month)


def test_incoming_form_time_off_the_calendar_is_a_field_error(client, county_duty, region):
    client.force_login(county_duty)
    now = dt.datetime.now(TZ)
    response = client.post(
        reverse("reporting:incominginfo_add"),
        {
            "source": "phone",
            "received_at": now.strftime("%Y-%m-%dT%H:%M"),
            "event_type": "fire",
            "place": region["village000"].pk,
            "occurred_at": "0001-01-01T00:00",
            "deaths": 0,
            "missing": 0,
            "serious_injuries": 0,
            "minor_injuries": 0,
            "direct_loss_wan": "0",
        },
    )
    assert response.status_code == 200
    assert "发生时间超出有效范围" in str(response.context["form"].errors["occurred_at"])
    assert not Incident.objects.exists()


def test_a_natural_disaster_is_declared_stabilised_from_the_incident_page_and_the_api(
    client, api, record, county_duty, make_user, region
):
    """The 灾情稳定 button stops the daily 续报 and makes the 核报 due; only for natural disasters and
    only for users who report for the incident's levels."""
    from yingji.reporting.models import ReportChain

    flood = record(event_type="flood").incident
    accident = record().incident
    client.force_login(county_duty)
    page = client.get(flood.get_absolute_url()).content.decode()
    assert 'id="stabilise"' in page
    assert 'id="stabilise"' not in client.get(accident.get_absolute_url()).content.decode()
    response = client.post(f"/reporting/incidents/{flood.pk}/stabilise/", follow=True)
    assert "已认定灾情稳定" in response.content.decode()
    assert ReportChain.objects.get(incident=flood).stabilised_at is not None
    assert UpwardReport.objects.filter(incident=flood, kind="verified", required=True).exists()
    assert 'id="stabilised-at"' in response.content.decode()
    # the API: an accident is refused with a code; another county's duty officer gets 404
    r = api(county_duty).post(f"/api/v1/reporting/incidents/{accident.pk}/stabilise/")
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["non_field_errors"][0]["code"] == "not_natural_disaster"
    other = make_user(Role.DUTY_OFFICER, place=region["county1"])
    assert api(other).post(f"/api/v1/reporting/incidents/{flood.pk}/stabilise/").status_code == 404
    again = api(county_duty).post(f"/api/v1/reporting/incidents/{flood.pk}/stabilise/")
    assert again.status_code == 200 and again.json()["incident"] == flood.pk
