import pytest

from yingji.conftest import new_uscc
from yingji.exchange.models import ImportJob
from yingji.exchange.tests.conftest import upload_for
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise


@pytest.fixture
def officer(region, make_user):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def post_file(client, kind, upload):
    return client.post("/api/v1/imports/", {"kind": kind, "file": upload}, format="multipart")


def test_upload_poll_and_commit(api, officer, media, django_capture_on_commit_callbacks):
    client = api(officer)
    rows = [{"name": "接口企业", "uscc": new_uscc(), "industry": "26", "place": "320602001201"}]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, "enterprises", upload_for("enterprises", rows))
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]

    body = client.get(f"/api/v1/imports/{job_id}/").json()
    assert body["status"] == "validated"
    assert (body["total_rows"], body["processed_rows"], body["progress_percent"], body["report"]) == (
        1,
        1,
        100,
        [],
    )
    assert not Enterprise.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/imports/{job_id}/commit/")
    assert response.status_code == 202
    body = client.get(f"/api/v1/imports/{job_id}/").json()
    assert (body["status"], body["created_count"]) == ("done", 1)
    assert Enterprise.objects.get().name == "接口企业"

    response = client.post(f"/api/v1/imports/{job_id}/commit/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"


def test_report_of_an_invalid_file(api, officer, media, django_capture_on_commit_callbacks):
    client = api(officer)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post_file(
            client, "enterprises", upload_for("enterprises", [{"name": "坏", "uscc": "123"}])
        ).json()["id"]
    body = client.get(f"/api/v1/imports/{job_id}/").json()
    assert body["status"] == "invalid"
    assert {(i["row"], i["column"], i["code"]) for i in body["report"]} >= {
        (2, "统一社会信用代码", "uscc_length"),
        (2, "国民经济行业（大类）", "required"),
    }


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("data.csv", b"name,uscc\n", "file_type"),
        ("data.xls", b"\xd0\xcf\x11\xe0 old excel", "file_type"),
        ("data.xlsx", b"not a zip at all", "file_type"),
        ("data.xlsx", b"", "empty"),  # DRF: "提交的是空文件。"
    ],
)
def test_non_xlsx_uploads_are_refused_with_a_clear_error(api, officer, media, name, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post_file(api(officer), "enterprises", SimpleUploadedFile(name, content))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["file"][0]["code"] == code
    assert not ImportJob.objects.exists()


def test_too_large_upload_is_refused(api, officer, media, monkeypatch):
    from yingji.exchange import xlsx

    monkeypatch.setattr(xlsx, "MAX_UPLOAD_BYTES", 100)
    response = post_file(api(officer), "enterprises", upload_for("enterprises", []))
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"][0]["code"] == "file_too_large"


def test_jobs_are_seen_by_their_creator_and_supervisors_only(
    api, region, make_user, media, django_capture_on_commit_callbacks
):
    dept_officer = make_user(Role.DEPARTMENT_OFFICER, place=region["town00"])
    colleague = make_user(Role.DEPARTMENT_OFFICER, place=region["town00"])
    county_officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    other_county = make_user(Role.BUREAU_OFFICER, place=region["county1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(
            api(dept_officer),
            "persons",
            upload_for("persons", [{"name": "甲", "mobile": "13812345678", "place": "320602001201"}]),
        )
    job_id = response.json()["id"]
    assert ImportJob.objects.get(pk=job_id).place == region["town00"]

    assert api(dept_officer).get(f"/api/v1/imports/{job_id}/").status_code == 200
    assert api(county_officer).get(f"/api/v1/imports/{job_id}/").status_code == 200
    assert api(colleague).get(f"/api/v1/imports/{job_id}/").status_code == 404
    assert api(other_county).get(f"/api/v1/imports/{job_id}/").status_code == 404
    assert [j["id"] for j in api(colleague).get("/api/v1/imports/").json()["results"]] == []
    # a supervisor sees the job but only the uploader confirms it
    response = api(county_officer).post(f"/api/v1/imports/{job_id}/commit/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_uploader"


def test_roles_without_import_rights(api, region, make_user, media):
    grid = make_user(Role.GRID_WORKER, place=region["town00"])
    assert post_file(api(grid), "persons", upload_for("persons", [])).status_code == 403
    dept = make_user(Role.DEPARTMENT_OFFICER, place=region["town00"])
    response = post_file(api(dept), "departments", upload_for("departments", []))
    assert response.status_code == 403 and response.json()["error"]["code"] == "kind_not_allowed"
    assert post_file(api(dept), "hazards", upload_for("persons", [])).status_code == 400
