import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yingji.conftest import new_uscc
from yingji.exchange.models import ImportJob
from yingji.exchange.tests.conftest import upload_for
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise


@pytest.fixture
def officer(region, make_user):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def test_upload_report_and_confirm_through_the_pages(
    client, officer, media, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = client.get(reverse("exchange:importjob_add"))
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("exchange:import_template", args=["enterprises"]) in content
    assert reverse("exchange:import_template", args=["places"]) not in content  # officers cannot write places

    rows = [{"name": "页面企业", "uscc": new_uscc(), "industry": "26", "place": "320602001201"}]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exchange:importjob_add"),
            {"kind": "enterprises", "file": upload_for("enterprises", rows)},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()

    detail = client.get(job.get_absolute_url()).content.decode()
    assert "校验通过" in detail and 'id="confirm-import"' in detail and "every 1s" not in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:importjob_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    assert Enterprise.objects.get().name == "页面企业"
    assert "导入完成" in client.get(job.get_absolute_url()).content.decode()


def test_report_lists_rows_columns_and_reasons(client, officer, run_import):
    job = run_import(
        officer,
        "enterprises",
        [{"name": "坏企业", "uscc": "91320600MA1XXXXX00", "industry": "26", "place": "320602001201"}],
    )
    client.force_login(officer)
    html = client.get(job.get_absolute_url()).content.decode()
    assert "校验未通过" in html and 'id="job-report"' in html
    assert "统一社会信用代码" in html and "uscc_" in html and "<td>2</td>" in html
    assert 'id="confirm-import"' not in html


def test_running_job_panel_polls_and_shows_progress(client, officer, region, media):
    job = ImportJob.objects.create(
        kind="enterprises",
        created_by=officer,
        place=region["town00"],
        status="committing",
        total_rows=200,
        file="imports/x.xlsx",
    )
    job.progress_path.parent.mkdir(parents=True, exist_ok=True)
    job.progress_path.write_text("50")
    client.force_login(officer)
    response = client.get(job.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "job-panel"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="job-panel"')  # just the fragment
    assert 'hx-trigger="every 1s"' in html
    assert 'class="progress"' in html and "width: 25%" in html and "50 / 200" in html


def test_upload_of_a_wrong_file_shows_the_reason(client, officer, media):
    client.force_login(officer)
    response = client.post(
        reverse("exchange:importjob_add"),
        {"kind": "enterprises", "file": SimpleUploadedFile("企业.csv", b"a,b\n")},
    )
    assert response.status_code == 200
    assert "只支持 Excel 2007" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_job_list_and_permissions(client, officer, region, make_user, run_import):
    job = run_import(officer, "enterprises", [])
    client.force_login(officer)
    html = client.get(reverse("exchange:importjob_list")).content.decode()
    assert job.get_absolute_url() in html
    assert 'id="new-import"' in html and "下载导入模板" in html
    assert reverse("exchange:import_template", args=["persons"]) in html

    client.force_login(make_user(Role.GRID_WORKER, place=region["town00"]))
    assert client.get(reverse("exchange:importjob_list")).status_code == 403
    assert client.get(reverse("exchange:importjob_add")).status_code == 403
