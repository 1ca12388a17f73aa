"""Helpers for import/export tests: build .xlsx uploads in memory and run jobs synchronously."""

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yingji.exchange import services
from yingji.exchange.importers import IMPORTERS


def xlsx_bytes(headers, rows, title="Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload_for(kind, rows, headers=None, name="data.xlsx") -> SimpleUploadedFile:
    """An upload of ``rows`` (dicts by column key) with the template's Chinese headers."""
    columns = IMPORTERS[kind].columns
    headers = headers or [str(c.header) for c in columns]
    keys = [c.key for c in columns]
    data = xlsx_bytes(headers, [[row.get(k) for k in keys] for row in rows])
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_import(media):
    """``run_import(user, kind, rows, commit=False)`` → the job after validation (and commit)."""

    def run(user, kind, rows, commit=False, **kwargs):
        job = services.create_import_job(
            actor=user, kind=kind, upload=upload_for(kind, rows, **kwargs), schedule=False
        )
        job = services.validate_import(job.pk)
        if commit and job.status == "validated":
            services.confirm_import(job, actor=user, schedule=False)
            job = services.commit_import(job.pk)
        return job

    return run


def report_codes(job) -> set[tuple]:
    return {(item["row"], item["column"], item["code"]) for item in job.report}
