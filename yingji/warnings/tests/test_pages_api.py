"""Pages and API of warnings: compose with a drawn area, the step buttons, CAP import page, API actions."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from yingji.warnings.choices import Status
from yingji.warnings.models import Warning

pytestmark = pytest.mark.django_db


def _form(region, **extra):
    now = timezone.localtime()
    data = {
        "warning_type": "typhoon",
        "level": "red",
        "headline": "台风红色预警信号",
        "place": region["county0"].pk,
        "effective_at": now.strftime("%Y-%m-%dT%H:%M"),
        "expires_at": (now + dt.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M"),
        "description": "台风将于今夜登陆。",
        "instruction": "",
        "area_places": [region["town00"].pk],
        "area_polygon": json.dumps(
            {"type": "Polygon", "coordinates": [[[120.0, 32.0], [120.1, 32.0], [120.05, 32.1]]]}
        ),
        "target_groups": ["district", "town", "village"],
        "channels": ["inapp", "sms"],
    }
    data.update(extra)
    return data


def test_compose_page_and_steps(client, region, make_user):
    from yingji.framework.roles import Role

    county = region["county0"]
    author = make_user(Role.BUREAU_OFFICER, username="a1", place=county)
    approver = make_user(Role.BUREAU_OFFICER, username="a2", place=county)
    client.force_login(author)
    page = client.get("/warnings/warnings/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="warning-map"' in html and "warning-catalogue" in html and "<script>" not in html
    response = client.post("/warnings/warnings/add/", _form(region))
    assert response.status_code == 302, response.content.decode()[:2000]
    w = Warning.objects.get()
    assert w.status == Status.DRAFT and w.area_polygon["coordinates"][0][-1] == [120.0, 32.0]
    assert list(w.area_places.all()) == [region["town00"]] and "停课" in w.instruction
    detail = client.get(w.get_absolute_url()).content.decode()
    assert 'id="step-submit"' in detail and 'id="step-approve"' not in detail
    client.post(f"/warnings/warnings/{w.pk}/submit/")
    assert 'id="step-approve"' not in client.get(w.get_absolute_url()).content.decode()  # four-eyes
    client.post(f"/warnings/warnings/{w.pk}/approve/")
    assert Warning.objects.get(pk=w.pk).status == Status.REVIEW
    client.force_login(approver)
    assert 'id="step-approve"' in client.get(w.get_absolute_url()).content.decode()
    client.post(f"/warnings/warnings/{w.pk}/approve/")
    client.post(f"/warnings/warnings/{w.pk}/publish/")
    w.refresh_from_db()
    assert w.status == Status.PUBLISHED
    detail = client.get(w.get_absolute_url()).content.decode()
    assert 'id="edit-object"' not in detail and 'id="step-update"' in detail
    assert [e.action for e in w.events.all()] == ["compose", "submit", "approve", "publish"]
    # update opens an editable copy
    response = client.post(f"/warnings/warnings/{w.pk}/update/")
    new = Warning.objects.exclude(pk=w.pk).get()
    assert response["Location"] == f"/warnings/warnings/{new.pk}/edit/" and new.references == w
    # published warnings are not deleted
    client.post(f"/warnings/warnings/{w.pk}/delete/")
    assert Warning.objects.filter(pk=w.pk).exists()


def test_compose_refuses_a_level_the_type_lacks(client, region, officers):
    client.force_login(officers["author"])
    response = client.post(
        "/warnings/warnings/add/", _form(region, warning_type="frost", place=region["town00"].pk)
    )
    assert response.status_code == 200 and "没有红色" in response.content.decode()
    assert not Warning.objects.exists()


def test_cap_import_page(client, officers):
    from yingji.warnings.tests.test_cap import EXTERNAL

    client.force_login(officers["author"])
    bad = client.post("/warnings/warnings/import-cap/", {"text": "<alert/>"})
    assert "cap_invalid" in bad.content.decode()
    good = client.post("/warnings/warnings/import-cap/", {"text": EXTERNAL})
    assert good.status_code == 302
    assert Warning.objects.get().origin == "imported"
    client.force_login(officers["department"])
    assert client.get("/warnings/warnings/import-cap/").status_code == 403


def test_api_steps(api, officers, make_warning):
    w = make_warning()
    author, approver = api(officers["author"]), api(officers["approver"])
    refused = approver.post(f"/api/v1/warnings/{w.pk}/submit/", {})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_author"
    assert author.post(f"/api/v1/warnings/{w.pk}/submit/", {}).json()["status"] == "review"
    four_eyes = author.post(f"/api/v1/warnings/{w.pk}/approve/", {})
    assert four_eyes.status_code == 403 and four_eyes.json()["error"]["code"] == "four_eyes"
    body = approver.post(f"/api/v1/warnings/{w.pk}/approve/", {"note": "同意"}).json()
    assert body["status"] == "approved" and body["events"][-1]["actor"] == "approver"
    early = api(officers["duty"]).post(f"/api/v1/warnings/{w.pk}/approve/", {})
    assert early.status_code in (400, 403)
    published = api(officers["duty"]).post(f"/api/v1/warnings/{w.pk}/publish/", {})
    assert published.json()["status"] == "published"
    wrong = api(officers["duty"]).post(f"/api/v1/warnings/{w.pk}/publish/", {})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["fields"]["non_field_errors"][0]["code"] == "invalid_transition"
    update = author.post(f"/api/v1/warnings/{w.pk}/update/", {"level": "orange"})
    assert update.status_code == 201 and update.json()["msg_type"] == "Update"
    cancel = api(officers["duty"]).post(f"/api/v1/warnings/{w.pk}/cancel/", {"note": "解除"})
    assert cancel.status_code == 201 and cancel.json()["msg_type"] == "Cancel"
    assert api(officers["outsider"]).post(f"/api/v1/warnings/{w.pk}/cancel/", {}).status_code == 404
    assert author.delete(f"/api/v1/warnings/{w.pk}/").status_code == 400  # published history stays


def test_api_delete_only_drafts(api, officers, make_warning, publish_now):
    draft = make_warning()
    assert draft.events.exists()
    assert api(officers["author"]).delete(f"/api/v1/warnings/{draft.pk}/").status_code == 204
    assert not Warning.objects.filter(pk=draft.pk).exists()
    published = publish_now(make_warning())
    refused = api(officers["author"]).delete(f"/api/v1/warnings/{published.pk}/")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["fields"]["non_field_errors"][0]["code"] == "not_editable"
    assert "草稿" in error["fields"]["non_field_errors"][0]["message"]
    assert Warning.objects.filter(pk=published.pk, status=Status.PUBLISHED).exists()
