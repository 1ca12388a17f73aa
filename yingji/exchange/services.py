"""Import jobs: upload → background validation (nothing written) → confirm → background commit
in one transaction (every row or none). Views, the API and the ``yingji import`` command all
call these functions; the two background steps run as Huey tasks (``yingji.exchange.tasks``).

While validating, the rows read from the workbook are staged as JSON lines next to the upload
(MEDIA_ROOT/imports/staged/<job>.jsonl), and the validated values of each row next to them
(<job>.cleaned.jsonl); the commit re-checks what depends on the database and writes exactly those
rows, so the (slow) workbook is parsed, and its cells converted, once.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.audit.context import change_context
from yingji.exchange.choices import TRANSITIONS, ImportKind, ImportStatus
from yingji.exchange.importers import IMPORTERS, Report
from yingji.exchange.models import ImportJob
from yingji.exchange.xlsx import MAX_ROWS, SheetError, check_upload, iter_rows
from yingji.framework.access import AccessDenied, assignments_of, can
from yingji.framework.services import save_object

log = logging.getLogger(__name__)


class ImportStateError(Exception):
    """The job is not in a state that allows this step."""

    def __init__(self, message: str, code: str = "invalid_state"):
        super().__init__(message)
        self.message = message
        self.code = code


class DataChanged(Exception):
    """Rows that passed validation fail at commit time (the database changed in between)."""


def _transition(job: ImportJob, to: str) -> None:
    if to not in TRANSITIONS[job.status]:
        raise ImportStateError(
            _("导入任务当前状态为“%(s)s”，不能执行此操作。") % {"s": job.get_status_display()}
        )
    job.status = to


def importer_for(kind: str):
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("不支持的导入类型“%(k)s”：可选 %(all)s。")
                    % {"k": kind, "all": "、".join(ImportKind.values)},
                    code="invalid_kind",
                )
            }
        ) from None


def allowed_kinds(user) -> list[str]:
    """Kinds this user's roles may write at all (add or change)."""
    return [
        k
        for k, cls in IMPORTERS.items()
        if user is None or can(user, "add", cls.model) or can(user, "change", cls.model)
    ]


def scope_place_of(user):
    """The creator's scope place: the highest place among the assignments that may import."""
    places = [a.place for a in assignments_of(user) if a.place_id and can_import_role(a.role)]
    return min(places, key=lambda p: len(p.path)) if places else None


def can_import_role(role: str) -> bool:
    from yingji.framework.roles import role_allows

    return role_allows(role, "add", "exchange.importjob")


# ---------------------------------------------------------------------------------------------
# Upload


def create_import_job(*, actor, kind: str, upload, schedule: bool = True) -> ImportJob:
    """Store an uploaded workbook as a new job and schedule its validation.

    ``actor`` None is the system (command line without --user). Raises ValidationError for a
    bad kind or file, AccessDenied when the user may not import this kind.
    """
    importer = importer_for(kind)
    if actor is not None and kind not in allowed_kinds(actor):
        raise AccessDenied(
            _("您的角色不能导入%(k)s。") % {"k": importer.model._meta.verbose_name}, code="kind_not_allowed"
        )
    check_upload(upload)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        place=scope_place_of(actor),
        original_name=os.path.basename(upload.name or "")[:200],
    )
    job.file.save("upload.xlsx", upload, save=False)
    try:
        with transaction.atomic():
            if actor is None:
                job.save()
            else:
                save_object(job, actor=actor, validate=False)
            if schedule:
                from yingji.exchange.tasks import validate_import_task

                transaction.on_commit(lambda: validate_import_task(job.pk))
    except Exception:
        job.file.delete(save=False)
        raise
    return job


# ---------------------------------------------------------------------------------------------
# Staging and progress


def _staged_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "staged" / f"{job.pk}.jsonl"


def _cleaned_path(job: ImportJob) -> Path:
    """The validated values of every row (one JSON line per staged row), for the commit."""
    return Path(settings.MEDIA_ROOT) / "imports" / "staged" / f"{job.pk}.cleaned.jsonl"


def _remove_staged(job: ImportJob) -> None:
    _staged_path(job).unlink(missing_ok=True)
    _cleaned_path(job).unlink(missing_ok=True)


def _write_progress(job: ImportJob, done: int) -> None:
    path = job.progress_path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(done))
    os.replace(tmp, path)


def _clear_progress(job: ImportJob) -> None:
    job.progress_path.unlink(missing_ok=True)


def stage_rows(job: ImportJob, importer_cls, report: Report) -> int:
    """Read the workbook once: map the header row, write non-empty data rows as JSON lines.

    Returns the number of data rows; header problems and a too-large file go to ``report``.
    """
    rows = iter_rows(job.file.path, importer_cls.sheet_title)
    first = next(rows, None)
    if first is None:
        report.add(1, "", None, "file_empty", _("工作表是空的：请在模板的第2行起填写数据。"))
        return 0
    header_row, headers = first
    index, problems = importer_cls.header_map(headers)
    for code, column, message in problems:
        report.add(header_row, column, None, code, message)
    if problems:
        return 0
    keys = list(index)
    positions = [index[k] for k in keys]
    path = _staged_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"columns": keys}, ensure_ascii=False) + "\n")
        for number, row in rows:
            values = [row[i] if i < len(row) else None for i in positions]
            if not any(values):
                continue
            count += 1
            if count > MAX_ROWS:
                report.add(
                    number,
                    "",
                    None,
                    "too_many_rows",
                    _("数据超过 %(n)d 行：请拆分为多个文件分批导入。") % {"n": MAX_ROWS},
                )
                return count
            out.write(json.dumps([number, *values], ensure_ascii=False) + "\n")
            if count % 5000 == 0:
                _write_progress(job, count)
    return count


def staged_rows(job: ImportJob):
    """``(row_number, {column key: text})`` for every staged row of the job."""
    with _staged_path(job).open(encoding="utf-8") as f:
        keys = json.loads(f.readline())["columns"]
        for line in f:
            number, *values = json.loads(line)
            yield number, dict(zip(keys, values, strict=True))


def staged_rows_with_cleaned(job: ImportJob):
    """``(row_number, {key: text}, cleaned)`` for a validated job: the cleaned values its validation
    kept for each row (None when they are missing or do not belong to that row)."""
    path = _cleaned_path(job)
    if not path.exists():
        yield from ((number, values, None) for number, values in staged_rows(job))
        return
    with path.open(encoding="utf-8") as f:
        for number, values in staged_rows(job):
            line = f.readline()
            cleaned = None
            if line:
                kept_number, kept = json.loads(line)
                cleaned = kept if kept_number == number else None
            yield number, values, cleaned


def _run(job: ImportJob, importer, keep_cleaned: bool = False) -> None:
    """Run the importer over the staged rows; when validating with ``keep_cleaned``, the values
    of the accepted rows are written for the commit (discarded when any row is rejected)."""
    if importer.write:
        for done in importer.run(staged_rows_with_cleaned(job)):
            _write_progress(job, done)
        return
    out = _cleaned_path(job).open("w", encoding="utf-8") if keep_cleaned else None
    try:
        for done in importer.run(staged_rows(job)):
            if out is not None and not importer.report.count:
                out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in importer.cleaned)
            importer.cleaned.clear()
            _write_progress(job, done)
    finally:
        if out is not None:
            out.close()


# ---------------------------------------------------------------------------------------------
# Validation


def validate_import(job_id: int) -> ImportJob:
    """Validate every row of the job's file and store the report; writes no domain data."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.UPLOADED:
        return job
    _transition(job, ImportStatus.VALIDATING)
    job.save(update_fields=["status", "updated"])
    importer_cls = importer_for(job.kind)
    importer = importer_cls(job.created_by)
    try:
        total = stage_rows(job, importer_cls, importer.report)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
        job.total_rows = total
        if not importer.report.count:
            if total == 0:
                importer.report.add(None, "", None, "no_rows", _("文件中没有数据行：请从第2行起填写数据。"))
            else:
                _run(job, importer, keep_cleaned=True)
    except SheetError as exc:
        importer.report.add(None, "", None, exc.code, exc.message)
    except Exception as exc:
        log.exception("import job %s: validation crashed", job.pk)
        return _fail(job, _("校验时发生内部错误：%(e)s") % {"e": exc})
    ok = importer.report.count == 0
    _transition(job, ImportStatus.VALIDATED if ok else ImportStatus.INVALID)
    job.processed_rows = job.total_rows
    job.error_count = importer.report.count
    job.report = importer.report.items
    job.created_count, job.updated_count, job.unchanged_count = (
        importer.created,
        importer.updated,
        importer.unchanged,
    )
    job.validated_at = timezone.now()
    if not ok:
        job.finished = job.validated_at
        _remove_staged(job)
    job.save()
    _clear_progress(job)
    return job


# ---------------------------------------------------------------------------------------------
# Commit


def confirm_import(job: ImportJob, *, actor, schedule: bool = True) -> ImportJob:
    """The uploader confirms a validated job: schedule the commit."""
    if actor is not None and job.created_by_id != actor.pk:
        raise AccessDenied(_("只有上传该文件的用户可以确认导入。"), code="not_uploader")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _transition(job, ImportStatus.COMMITTING)
        job.processed_rows = 0
        job.save(update_fields=["status", "processed_rows", "updated"])
        if schedule:
            from yingji.exchange.tasks import commit_import_task

            transaction.on_commit(lambda: commit_import_task(job.pk))
    return job


def commit_import(job_id: int) -> ImportJob:
    """Write every staged row in ONE transaction, as the uploader, logged with source "import".

    Each row is checked again (the database may have changed since validation); any problem, or
    any error while writing, rolls everything back and marks the job failed.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:
        return job
    user = job.created_by
    importer = importer_for(job.kind)(user, write=True)
    try:
        with change_context("import", actor=user), transaction.atomic():
            _run(job, importer)
            if importer.report.count:
                raise DataChanged
            _transition(job, ImportStatus.DONE)
            job.processed_rows = job.total_rows
            job.created_count, job.updated_count = importer.created, importer.updated
            job.unchanged_count = importer.unchanged
            job.finished = timezone.now()
            job.save()
    except DataChanged:
        job.refresh_from_db()
        return _fail(
            job,
            _(
                "数据在校验之后发生了变化，有 %(n)d 行不再能导入，未写入任何数据：请查看问题清单，修改后重新上传。"
            )
            % {"n": len(importer.report.rows) or importer.report.count},
            report=importer.report,
        )
    except Exception as exc:
        log.exception("import job %s: commit failed", job.pk)
        job.refresh_from_db()
        return _fail(job, _("导入失败，未写入任何数据：%(e)s") % {"e": exc})
    finally:
        _clear_progress(job)
    _remove_staged(job)
    return job


def _fail(job: ImportJob, message: str, report: Report | None = None) -> ImportJob:
    _transition(job, ImportStatus.FAILED)
    job.message = message
    job.finished = timezone.now()
    if report is not None:
        job.report = report.items
        job.error_count = report.count
    job.save()
    _clear_progress(job)
    _remove_staged(job)
    return job
