"""The hazard pages: lists by kind, the report form, the detail page with its timeline and only the
allowed step forms, step posts, and the monthly report overview of disaster-risk hazards."""

from django.urls import reverse

from yingji.hazards import workflow
from yingji.hazards.models import Hazard

from .conftest import png_bytes


def test_lists_split_work_safety_and_disaster_hazards(make_hazard, town, client):
    work = make_hazard("reported", title="叉车无证驾驶")
    disaster = workflow.report_hazard(
        actor=town["info"],
        source="info_officer",
        title="危房墙体开裂",
        kind="disaster",
        disaster_type="dangerous_house",
        place=town["region"]["village001"],
    )
    client.force_login(town["officer"])
    html = client.get(reverse("hazards:hazard_list")).content.decode()
    assert work.get_absolute_url() in html and disaster.get_absolute_url() not in html
    html = client.get(reverse("hazards:disaster_list")).content.decode()
    assert disaster.get_absolute_url() in html and work.get_absolute_url() not in html
    assert 'id="monthly-report"' in html


def test_report_form_with_photo(town, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(town["grid"])
    page = client.get(reverse("hazards:hazard_add"))
    assert page.status_code == 200 and 'id="report-form"' in page.content.decode()
    response = client.post(
        reverse("hazards:hazard_add"),
        {
            "kind": "work_safety",
            "source": "grid",
            "title": "灭火器过期",
            "enterprise": town["enterprise"].pk,
            "photo": SimpleUploadedFile("p.png", png_bytes(), "image/png"),
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
    assert hazard.photos.get().stage == "found" and hazard.finder == town["grid"]
    # errors stay next to their fields
    response = client.post(
        reverse("hazards:hazard_add"), {"kind": "work_safety", "source": "grid", "title": ""}
    )
    assert response.status_code == 200 and "请填写隐患名称" in response.content.decode()


def test_detail_shows_timeline_and_only_allowed_steps(make_hazard, town, client):
    hazard = make_hazard("rectifying")
    client.force_login(town["company"])
    html = client.get(hazard.get_absolute_url()).content.decode()
    assert 'id="hazard-timeline"' in html and "整改进展" in html
    assert 'id="step-rectify"' in html and 'id="step-confirm"' not in html
    client.force_login(town["officer"])
    html = client.get(hazard.get_absolute_url()).content.decode()
    assert 'id="step-rectify"' not in html


def test_steps_from_the_page(make_hazard, town, client):
    hazard = make_hazard("reported")
    step = reverse("hazards:hazard_step", args=[hazard.pk, "confirm"])
    client.force_login(town["company"])
    client.post(step, {"grade": "general"})
    assert Hazard.objects.get(pk=hazard.pk).status == "reported"
    client.force_login(town["officer"])
    response = client.post(step, {"grade": "general"})
    assert response.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
    response = client.post(
        reverse("hazards:hazard_step", args=[hazard.pk, "assign"]), {"measures": "x"}, follow=True
    )
    assert "五落实" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
    client.force_login(town["other_officer"])
    assert client.post(step, {"grade": "general"}).status_code == 404


def test_monthly_report_overview(town, client):
    workflow.report_hazard(
        actor=town["info"],
        source="info_officer",
        title="低洼积水",
        kind="disaster",
        disaster_type="waterlogging",
        place=town["region"]["village001"],
    )
    client.force_login(town["officer"])
    response = client.get(reverse("hazards:disaster_monthly"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "崇川区0镇1村 1" in html  # reported this month
    assert "崇川区0镇0村" in html and "50%" in html  # the other village has not reported
    assert "崇川区1镇" not in html  # another county is outside the officer's scope


def test_monthly_report_of_an_out_of_range_month_is_this_month(town, client):
    """A month at the edge of the calendar (no next/previous month) is not a server error."""
    client.force_login(town["officer"])
    for month in ("9999-12", "1-01", "2026-13", "abc"):
        response = client.get(reverse("hazards:disaster_monthly"), {"month": month})
        assert response.status_code == 200, month
        assert response.context["month"] == response.context["month"].replace(day=1)
        assert response.context["month"].year not in (1, 9999), month


def test_disaster_list_has_its_own_table_and_exports_only_disaster_hazards(make_hazard, town, client):
    import io

    from openpyxl import load_workbook

    make_hazard("reported", title="叉车无证驾驶")
    workflow.report_hazard(
        actor=town["info"],
        source="info_officer",
        title="危房墙体开裂",
        kind="disaster",
        disaster_type="dangerous_house",
        place=town["region"]["village001"],
        address="东巷3号",
    )
    client.force_login(town["officer"])
    html = client.get(reverse("hazards:disaster_list")).content.decode()
    assert "东巷3号" in html and "叉车无证驾驶" not in html  # the address column of the disaster table
    assert "东巷3号" not in client.get(reverse("hazards:hazard_list")).content.decode()
    response = client.get(reverse("hazards:disaster_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    header = rows[0]
    assert [row[header.index("隐患名称")] for row in rows[1:]] == ["危房墙体开裂"]
    assert rows[1][header.index("具体位置")] == "东巷3号"
