"""API actions and pages: enterprise users keep their own risks, regulators read, files are scoped."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from yingji.framework.roles import Role
from yingji.risks.models import RiskPoint, RiskProfile, RiskReport
from yingji.risks.services import recompute_enterprise_grade


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def owner(make_enterprise, make_user):
    enterprise = make_enterprise(name="南通精细化工", longitude=120.05, latitude=32.02)
    return enterprise, make_user(Role.ENTERPRISE_USER, enterprise=enterprise)


def test_enterprise_user_creates_a_point_through_the_api(owner, api):
    enterprise, user = owner
    payload = {
        "enterprise": enterprise.pk,
        "name": "氯化反应釜",
        "accident_types": ["fire", "poisoning"],
        "method": "lec",
        "lec_l": 3,
        "lec_e": 6,
        "lec_c": 40,
        "post": "反应岗",
    }
    response = api(user).post("/api/v1/risk-points/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["level"], body["colour"]) == (720, "major", "red")
    assert RiskProfile.objects.get(enterprise=enterprise).level == "major"


def test_api_refuses_a_value_outside_the_table_with_a_field_code(owner, api):
    enterprise, user = owner
    payload = {
        "enterprise": enterprise.pk,
        "name": "x",
        "accident_types": ["fire"],
        "method": "lec",
        "lec_l": 2,
        "lec_e": 6,
        "lec_c": 40,
    }
    response = api(user).post("/api/v1/risk-points/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["lec_l"][0]["code"] == "not_in_table"
    assert not RiskPoint.objects.exists()


def test_other_enterprises_and_regulators_cannot_write(owner, make_point, make_enterprise, make_user, api):
    enterprise, user = owner
    theirs = make_point(make_enterprise())
    assert api(user).get(f"/api/v1/risk-points/{theirs.pk}/").status_code == 404
    officer = make_user(Role.BUREAU_OFFICER, place=enterprise.place)
    response = api(officer).post(
        "/api/v1/risk-points/",
        {
            "enterprise": enterprise.pk,
            "name": "x",
            "accident_types": ["fire"],
            "method": "ls",
            "ls_l": 1,
            "ls_s": 1,
        },
        format="json",
    )
    assert response.status_code == 403
    mine = make_point(enterprise)
    assert api(officer).get(f"/api/v1/risk-points/{mine.pk}/").status_code == 200


def test_position_action(owner, make_point, api):
    enterprise, user = owner
    point = make_point(enterprise)
    response = api(user).post(
        f"/api/v1/risk-points/{point.pk}/position/", {"plan_x": 40, "plan_y": 60}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["plan_x"], response.json()["plan_y"]) == (40, 60)
    bad = api(user).post(
        f"/api/v1/risk-points/{point.pk}/position/", {"plan_x": 140, "plan_y": 60}, format="json"
    )
    assert bad.status_code == 400


def test_submit_report_and_status_api(owner, make_point, make_user, api, region):
    enterprise, user = owner
    make_point(enterprise, level="large")
    response = api(user).post(
        "/api/v1/risk-reports/",
        {"enterprise": enterprise.pk, "kind": "periodic", "period": "2026"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["large_count"] == 1
    again = api(user).post(
        "/api/v1/risk-reports/",
        {"enterprise": enterprise.pk, "kind": "periodic", "period": "2026"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["period"][0]["code"] == "period_reported"
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    status = api(officer).get("/api/v1/risk-reports/status/", {"period": "2026"})
    assert status.status_code == 200
    body = status.json()
    assert (body["required"], body["reported"], body["rate"]) == (1, 1, 100.0)
    assert body["enterprises"][0]["name"] == "南通精细化工"
    assert api(officer).get("/api/v1/risk-reports/status/", {"period": "x"}).status_code == 400
    grid = make_user(Role.GRID_WORKER, place=region["county0"])
    assert api(grid).get("/api/v1/risk-reports/status/").status_code == 403


def test_profile_exports_and_cards_through_the_api(owner, make_point, api):
    enterprise, user = owner
    make_point(enterprise, level="major")
    profile = RiskProfile.objects.get(enterprise=enterprise)
    client = api(user)
    xlsx = client.get(f"/api/v1/risk-profiles/{profile.pk}/export/", {"list": "measures", "output": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/api/v1/risk-profiles/{profile.pk}/cards/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/risk-profiles/{profile.pk}/export/", {"list": "x"}).status_code == 400
    recompute = client.post(f"/api/v1/risk-profiles/{profile.pk}/recompute/")
    assert recompute.status_code == 200 and recompute.json()["level"] == "major"


def test_site_plan_upload_is_checked_and_served_only_in_scope(
    owner, make_point, client, make_user, region, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    enterprise, user = owner
    point = make_point(enterprise, level="large", name="罐区")
    profile = RiskProfile.objects.get(enterprise=enterprise)
    client.force_login(user)
    upload = reverse("risks:riskprofile_siteplan_upload", args=[profile.pk])
    fake = io.BytesIO(b"<?php evil ?>")
    fake.name = "plan.png"
    client.post(upload, {"site_plan": fake})
    profile.refresh_from_db()
    assert not profile.site_plan
    image = io.BytesIO(_png())
    image.name = "plan.png"
    client.post(upload, {"site_plan": image})
    profile.refresh_from_db()
    assert profile.site_plan.name.startswith("risks/site-plans/") and profile.site_plan_updated
    served = client.get(reverse("risks:riskprofile_siteplan", args=[profile.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == _png()
    client.post(
        reverse("risks:riskprofile_place", args=[profile.pk]), {"point": point.pk, "x": "25.5", "y": "70"}
    )
    point.refresh_from_db()
    assert (point.plan_x, point.plan_y) == (25.5, 70)
    page = client.get(profile.get_absolute_url()).content.decode()
    assert f'data-point="{point.pk}"' in page and "left:25.50%" in page
    assert 'id="export-risks-pdf"' in page and "risk-plan-data" in page
    outsider = make_user(Role.BUREAU_OFFICER, place=region["county1"])
    client.force_login(outsider)
    assert client.get(reverse("risks:riskprofile_siteplan", args=[profile.pk])).status_code == 404
    assert client.get(profile.get_absolute_url()).status_code == 404
    regulator = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    client.force_login(regulator)
    assert client.get(reverse("risks:riskprofile_siteplan", args=[profile.pk])).status_code == 200
    client.post(upload, {"site_plan": io.BytesIO(_png())})
    assert (
        client.post(
            reverse("risks:riskprofile_place", args=[profile.pk]), {"point": point.pk, "x": 1, "y": 1}
        ).status_code
        == 404
    )


def test_pages_render(owner, make_point, client, make_user, region):
    enterprise, user = owner
    point = make_point(enterprise, level="major", measures=[("engineering", "紧急切断阀")])
    client.force_login(user)
    detail = client.get(point.get_absolute_url()).content.decode()
    assert "紧急切断阀" in detail and 'id="add-measure"' in detail
    assert client.get(reverse("risks:riskpoint_add")).status_code == 200
    form = client.get(reverse("risks:riskpoint_edit", args=[point.pk])).content.decode()
    assert "0.5 很不可能，可以设想" in form
    response = client.post(
        reverse("risks:riskreport_add"), {"enterprise": enterprise.pk, "kind": "periodic", "period": "2026"}
    )
    assert response.status_code == 302
    report = RiskReport.objects.get()
    assert "紧急切断阀" in client.get(report.get_absolute_url()).content.decode()
    for name in ("risks:riskprofile_export",):
        profile = RiskProfile.objects.get(enterprise=enterprise)
        assert (
            client.get(reverse(name, args=[profile.pk]), {"list": "risks", "output": "pdf"}).status_code
            == 200
        )
    assert (
        client.get(reverse("risks:riskprofile_cards", args=[profile.pk]), {"post": "操作工"}).status_code
        == 200
    )
    redirect = client.get(reverse("risks:enterprise_profile", args=[enterprise.pk]))
    assert redirect.url == profile.get_absolute_url()
    officer = make_user(Role.BUREAU_OFFICER, place=region["city"])
    client.force_login(officer)
    status = client.get(reverse("risks:report_status"), {"period": "2026"}).content.decode()
    assert "南通精细化工" in status and 'id="by-industry"' in status
    delete = client.post(reverse("risks:riskpoint_delete", args=[point.pk]))
    assert delete.status_code in (403, 404)
    client.force_login(user)
    client.post(reverse("risks:riskpoint_delete", args=[point.pk]))
    assert not RiskPoint.objects.filter(pk=point.pk).exists()
    assert RiskProfile.objects.get(enterprise=enterprise).level == "low"


def test_site_plan_api_refuses_a_non_image_with_the_field_and_code(owner, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise, user = owner
    profile = recompute_enterprise_grade(enterprise)
    fake = io.BytesIO(b"<?php evil ?>")
    fake.name = "plan.png"
    url = f"/api/v1/risk-profiles/{profile.pk}/site-plan/"
    refused = api(user).post(url, {"site_plan": fake}, format="multipart")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["site_plan"][0]["code"] == "image_invalid"
    missing = api(user).post(url, {}, format="multipart")
    assert (
        missing.status_code == 400 and missing.json()["error"]["fields"]["site_plan"][0]["code"] == "required"
    )
    assert api(user).get(url).status_code == 404
    profile.refresh_from_db()
    assert not profile.site_plan


def test_refusals_of_risk_actions_follow_the_users_language(region, make_user, api):
    client = api(make_user(Role.DISASTER_INFO_OFFICER, place=region["village000"]))
    response = client.get("/api/v1/risk-reports/status/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "您的角色" not in response.json()["error"]["message"]
