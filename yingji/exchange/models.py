"""Import jobs (F9): one uploaded Excel file, its validation report and its commit."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.exchange.choices import RUNNING, ImportKind, ImportStatus
from yingji.framework.access import Scope, can, restrict
from yingji.framework.models import BaseModel, ScopedQuerySet


def import_upload_to(instance, filename) -> str:
    """Uploads live under MEDIA_ROOT/imports/ with a random name (the user's name is kept on the job)."""
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJobQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """A job is seen by its creator and by supervisors of the creator's place.

        "Supervisor" means a role that may *change* import jobs (bureau officers, platform
        administrators): through the one access filter they see the jobs whose place (the creator's
        scope place) lies in their subtree. Everyone else (department officers) sees only their own.
        """
        qs = restrict(self, user, action)
        if not can(user, "change", self.model):
            qs = qs.filter(created_by=user) if user is not None and user.is_authenticated else qs.none()
        return qs


class ImportJob(BaseModel):
    """One bulk import of places, enterprises, departments or persons from an Excel file.

    The file is validated in the background (nothing is written); the user reads the report and
    confirms; the commit then writes every row in one transaction or nothing
    (``yingji.exchange.services``). ``place`` is the creator's scope place and decides which
    supervisors see the job.
    """

    kind = models.CharField(_("导入类型"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("上传文件"), upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("上传人的管辖地区；其上级应急管理局干部可查看此任务"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created_count = models.PositiveIntegerField(_("新增条数"), default=0)
    updated_count = models.PositiveIntegerField(_("更新条数"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化条数"), default=0)
    report = models.JSONField(
        _("校验报告"),
        default=list,
        blank=True,
        help_text=_("错误列表：[{row, column, value, code, message}]"),
    )
    message = models.TextField(_("说明"), blank=True, help_text=_("导入失败的原因等"))
    validated_at = models.DateTimeField(_("校验完成时间"), null=True, blank=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()
    scope = Scope(place="place")
    audit_exclude = ("created", "updated", "report", "processed_rows")

    class Meta:
        verbose_name = _("数据导入任务")
        verbose_name_plural = _("数据导入任务")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}导入 #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    # -- progress -------------------------------------------------------------------------------
    # While a job runs, its progress is written to a small file next to the uploads: the commit
    # runs inside one database transaction, so a progress column updated there would stay
    # invisible to the page that polls it until the very end.

    @property
    def progress_path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{self.pk}.txt"

    def live_processed_rows(self) -> int:
        if self.is_running:
            try:
                return int(self.progress_path.read_text() or 0)
            except (OSError, ValueError):
                pass
        return self.processed_rows

    @property
    def progress_percent(self) -> int:
        if self.status in (ImportStatus.VALIDATED, ImportStatus.DONE):
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(100 * self.live_processed_rows() / self.total_rows))
