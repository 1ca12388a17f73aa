"""``yingji import KIND FILE [--user USERNAME] [--commit]``: validate (and with --commit write) a file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management import BaseCommand, CommandError

from yingji.exchange import services
from yingji.exchange.choices import ImportKind, ImportStatus
from yingji.exchange.management.users import user_by_name
from yingji.framework.access import AccessDenied


class Command(BaseCommand):
    help = (
        "Validate an Excel file of places, enterprises, departments or persons and print the report; "
        "write it (all rows or none) only with --commit. Without --user the system imports, unlimited by scope."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--user", help="import as this user (their scope and permissions apply)")
        parser.add_argument("--commit", action="store_true", help="write the rows when validation passes")

    def handle(self, *args, kind, file, user, commit, **options):
        actor = user_by_name(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        with path.open("rb") as f:
            upload = File(f, name=path.name)
            upload.size = path.stat().st_size
            try:
                job = services.create_import_job(actor=actor, kind=kind, upload=upload, schedule=False)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            except AccessDenied as exc:
                raise CommandError(exc.message) from exc
        job = services.validate_import(job.pk)
        self.print_report(job)
        if job.status != ImportStatus.VALIDATED:
            raise CommandError(
                f"校验未通过：{job.error_count} 处问题，未写入任何数据（导入任务 #{job.pk}）。"
            )
        summary = f"共 {job.total_rows} 行：新增 {job.created_count}、更新 {job.updated_count}、无变化 {job.unchanged_count}"
        if not commit:
            self.stdout.write(
                self.style.SUCCESS(f"校验通过，{summary}。加 --commit 写入数据库（导入任务 #{job.pk}）。")
            )
            return
        services.confirm_import(job, actor=actor, schedule=False)
        job = services.commit_import(job.pk)
        if job.status != ImportStatus.DONE:
            self.print_report(job)
            raise CommandError(job.message)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：新增 {job.created_count}、更新 {job.updated_count}、无变化 {job.unchanged_count}（导入任务 #{job.pk}）。"
            )
        )

    def print_report(self, job):
        for item in job.report:
            row = item["row"] if item["row"] is not None else "-"
            column = item["column"] or "-"
            self.stdout.write(f"第{row}行\t{column}\t{item['code']}\t{item['message']}\t{item['value']}")
        if job.error_count > len(job.report):
            self.stdout.write(f"……另有 {job.error_count - len(job.report)} 处问题未列出。")
