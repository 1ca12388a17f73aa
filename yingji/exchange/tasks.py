"""Background steps of an import job (Huey; run immediately in tests)."""

from huey.contrib.djhuey import db_task

from yingji.audit.context import change_context


@db_task()
def validate_import_task(job_id: int):
    from yingji.exchange.services import validate_import

    with change_context("task"):
        validate_import(job_id)


@db_task()
def commit_import_task(job_id: int):
    from yingji.exchange.services import commit_import

    with change_context("task"):
        commit_import(job_id)  # opens its own "import" context for the rows it writes
