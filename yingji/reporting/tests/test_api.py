import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from docx import Document as Docx
from PIL import Image

from yingji.framework.roles import Role
from yingji.incidents.models import Incident
from yingji.reporting.models import Attachment, IncomingInfo, UpwardReport

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def _png(name="现场.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    buf.name = name
    buf.seek(0)
    return buf


def test_record_incoming_over_the_api(api, county_duty, region):
    client = api(county_duty)
    occurred = (dt.datetime.now(TZ) - dt.timedelta(minutes=10)).isoformat()
    response = client.post(
        "/api/v1/reporting/incoming/",
        {"event_type": "fire", "place": region["village000"].code, "occurred_at": occurred, "deaths": 1},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    incident = Incident.objects.get(pk=body["incident"])
    assert incident.deaths == 1 and body["category"] == "accident"
    reports = client.get("/api/v1/reporting/reports/", {"incident": incident.pk}).json()["results"]
    assert [(r["from_place"], r["to_place"], r["state"]) for r in reports] == [
        (region["county0"].code, region["city"].code, "pending")
    ]


def test_bad_input_is_a_400_with_nothing_written(api, county_duty, region):
    client = api(county_duty)
    future = (dt.datetime.now(TZ) + dt.timedelta(hours=1)).isoformat()
    response = client.post(
        "/api/v1/reporting/incoming/",
        {"event_type": "fire", "place": region["village000"].code, "occurred_at": future},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["occurred_at"][0]["code"] == "occurred_after_received"
    response = client.post("/api/v1/reporting/incoming/", {"event_type": "nope"}, format="json")
    assert response.status_code == 400
    assert not IncomingInfo.objects.exists() and not Incident.objects.exists()


def test_attachments_checked_and_served_only_in_scope(
    api, client, county_duty, region, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c = api(county_duty)
    occurred = (dt.datetime.now(TZ) - dt.timedelta(minutes=10)).isoformat()
    data = {"event_type": "fire", "place": region["village000"].code, "occurred_at": occurred}
    fake = io.BytesIO(b"not an image")
    fake.name = "x.jpg"
    refused = c.post("/api/v1/reporting/incoming/", {**data, "attachments": [fake]}, format="multipart")
    assert refused.status_code == 400 and not IncomingInfo.objects.exists()
    made = c.post("/api/v1/reporting/incoming/", {**data, "attachments": [_png()]}, format="multipart")
    assert made.status_code == 201, made.content
    attachment = Attachment.objects.get()
    assert attachment.is_image and attachment.name == "现场.png"
    client.force_login(county_duty)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(make_user(Role.DUTY_OFFICER, place=region["county1"]))
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_submit_a_required_report(api, record, county_duty):
    report = UpwardReport.objects.get(incident=record().incident)
    client = api(county_duty)
    response = client.post(
        f"/api/v1/reporting/reports/{report.pk}/submit/",
        {"time_place_scene": "某村", "course": "起火", "deaths": 0},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "on_time"
    again = client.post(f"/api/v1/reporting/reports/{report.pk}/submit/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"][0]["code"] == "already_reported"


def test_new_report_over_the_api_and_refusals(api, record, county_duty, region, make_user):
    incident = record().incident
    client = api(county_duty)
    body = {
        "incident": incident.pk,
        "kind": "final",
        "from_place": region["county0"].code,
        "recipient_level": "city",
    }
    made = client.post("/api/v1/reporting/reports/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "final" and not made.json()["required"]
    # the county may not report in the city's name
    refused = client.post(
        "/api/v1/reporting/reports/",
        {**body, "from_place": region["city"].code, "recipient_level": "province"},
        format="json",
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "out_of_scope"
    # recipient must be above the sender
    low = client.post("/api/v1/reporting/reports/", {**body, "recipient_level": "county"}, format="json")
    assert low.status_code == 400
    # a leader reads but does not report
    leader = api(make_user(Role.LEADER, place=region["city"]))
    assert leader.get("/api/v1/reporting/reports/").status_code == 200
    assert leader.post("/api/v1/reporting/reports/", body, format="json").status_code == 403


def test_documents_api(api, record, county_duty):
    record(title="API测试事件")
    client = api(county_duty)
    today = dt.datetime.now(TZ).date().isoformat()
    data = client.get("/api/v1/reporting/documents/daily/", {"date": today}).json()
    assert data["figures"]["incidents"] == 1
    docx = client.get("/api/v1/reporting/documents/weekly/", {"date": today, "format": "docx"})
    assert docx.status_code == 200
    assert "值班信息周分析" in Docx(io.BytesIO(docx.content)).paragraphs[0].text
    pdf = client.get("/api/v1/reporting/documents/monthly/", {"date": today, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/reporting/documents/daily/", {"date": "2026-13-01"}).status_code == 400
    assert client.get("/api/v1/reporting/documents/yearly/").status_code == 404
    assert client.get("/api/v1/reporting/documents/daily/", {"format": "xls"}).status_code == 400


@pytest.mark.parametrize(
    "extra, field, code",
    [
        ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "overflow"),
        ({"occurred_at": "1000-01-01T00:00"}, "occurred_at", "out_of_range"),
        ({"received_at": "9999-12-31T23:59"}, "received_at", "received_in_future"),
        (
            {"received_at": "1000-01-02T00:00", "occurred_at": "1000-01-01T00:00"},
            "received_at",
            "out_of_range",
        ),
        ({"longitude": 500, "latitude": 32}, "longitude", "invalid_coordinates"),
        ({"longitude": 120.9}, "latitude", "coordinates_required"),
    ],
)
def test_incoming_times_and_coordinates_out_of_range_are_400(api, county_duty, region, extra, field, code):
    body = {"event_type": "fire", "place": region["village000"].code, "occurred_at": "2026-01-01T00:00"}
    response = api(county_duty).post("/api/v1/reporting/incoming/", {**body, **extra}, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]["fields"][field][0]
    assert error["code"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert not IncomingInfo.objects.exists() and not Incident.objects.exists()


def test_report_before_the_incident_happened_is_400(api, record, county_duty, region):
    incident = record().incident
    report = UpwardReport.objects.get(incident=incident)
    client = api(county_duty)
    early = (incident.occurred_at - dt.timedelta(days=1)).isoformat()
    body = {"incident": incident.pk, "kind": "final", "from_place": region["county0"].code}
    for url, data in (
        ("/api/v1/reporting/reports/", {**body, "recipient_level": "city", "reported_at": early}),
        (f"/api/v1/reporting/reports/{report.pk}/submit/", {"reported_at": early}),
    ):
        response = client.post(url, data, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["error"]["fields"]["reported_at"][0]["code"] == "reported_before_occurred"
    report.refresh_from_db()
    assert report.reported_at is None and UpwardReport.objects.count() == 1


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_documents_api_dates_off_the_calendar_are_400(api, county_duty, date):
    for kind in ("daily", "weekly", "monthly"):
        response = api(county_duty).get(
            f"/api/v1/reporting/documents/{kind}/", {"date": date, "format": "pdf"}
        )
        assert response.status_code == 400 and response.json()["error"]["code"] == "bad_date"


def test_report_list_queries_do_not_grow_with_the_rows(api, record, county_duty, region, make_department):
    """The copies (抄送) of each report are prefetched: a list of 2 or of 12 costs the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yingji.reporting import services

    bureau = make_department(place=region["county0"])
    client = api(county_duty)

    def add(n):
        for _ in range(n):
            services.make_report(
                actor=county_duty,
                incident=record().incident,
                kind="continued",
                from_place=region["county0"],
                recipient_level="city",
                copies=[bureau],
            )

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/reporting/reports/", {"page_size": 100}).json()
        assert all(r["copies"] == [bureau.pk] for r in body["results"] if not r["required"])
        return len(ctx), body["count"]

    add(1)
    few, few_rows = queries()
    add(6)
    many, many_rows = queries()
    assert many_rows == few_rows + 12 and many == few


def test_copies_and_department_must_be_of_the_sending_level(
    api, record, region, make_department, admin_user_
):
    incident = record().incident
    here = make_department(place=region["county0"])
    elsewhere = make_department(place=region["county1"])
    upper = make_department(place=region["city"])
    client = api(admin_user_)
    body = {
        "incident": incident.pk,
        "kind": "final",
        "from_place": region["county0"].code,
        "recipient_level": "city",
    }
    for extra, field, code in (
        ({"copies": [elsewhere.pk]}, "copies", "copies_not_same_level"),
        ({"copies": [here.pk, upper.pk]}, "copies", "copies_not_same_level"),
        ({"from_department": elsewhere.pk}, "from_department", "department_not_of_place"),
    ):
        response = client.post("/api/v1/reporting/reports/", {**body, **extra}, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["error"]["fields"][field][0]["code"] == code
    assert UpwardReport.objects.filter(required=False).count() == 0
    made = client.post("/api/v1/reporting/reports/", {**body, "copies": [here.pk]}, format="json")
    assert made.status_code == 201 and made.json()["copies"] == [here.pk]


def test_supervision_api(api, record, county_duty, region, make_user):
    import time_machine

    from yingji.reporting import services

    t0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)
    with time_machine.travel(t0, tick=False):
        late = UpwardReport.objects.get(incident=record(occurred_at=t0 - dt.timedelta(minutes=5)).incident)
        record(occurred_at=t0 - dt.timedelta(minutes=5))  # its report is left missing
    with time_machine.travel(t0 + dt.timedelta(hours=3), tick=False):
        services.make_report(late, actor=county_duty, time_place_scene="x", course="y")
        body = api(county_duty).get("/api/v1/reporting/supervision/", {"month": "2026-06"}).json()
        assert body["month"] == "2026-06"
        assert body["rows"] == [
            {
                "place": region["county0"].code,
                "place_name": "崇川区",
                "due": 2,
                "on_time": 0,
                "late": 1,
                "missing": 1,
                "incomplete": 1,  # an accident's report without 事故单位概况 and 已采取的措施
                "on_time_rate": 0.0,
                "late_rate": 50.0,
                "missing_rate": 50.0,
            }
        ]
        assert (
            api(county_duty).get("/api/v1/reporting/supervision/", {"month": "2026-05"}).json()["rows"] == []
        )
        # another county's duty officer sees none of these; this month is the default
        other = api(make_user(Role.DUTY_OFFICER, place=region["county1"]))
        assert other.get("/api/v1/reporting/supervision/").json() == {"month": "2026-06", "rows": []}
        bad = api(county_duty).get("/api/v1/reporting/supervision/", {"month": "2026-13"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_month"
        grid = api(make_user(Role.GRID_WORKER, place=region["village000"]))
        refused = grid.get("/api/v1/reporting/supervision/")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
