from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """What an import file contains; the code is also the CLI/API kind and the template name."""

    PLACES = "places", _("行政区划")
    ENTERPRISES = "enterprises", _("企业")
    DEPARTMENTS = "departments", _("政府部门")
    PERSONS = "persons", _("人员")


class ImportStatus(models.TextChoices):
    """uploaded → validating → validated | invalid; validated → committing → done | failed."""

    UPLOADED = "uploaded", _("已上传")
    VALIDATING = "validating", _("校验中")
    VALIDATED = "validated", _("校验通过，待确认")
    INVALID = "invalid", _("校验未通过")
    COMMITTING = "committing", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


#: The only allowed status changes (one place for the state machine).
TRANSITIONS = {
    ImportStatus.UPLOADED: {ImportStatus.VALIDATING, ImportStatus.INVALID, ImportStatus.FAILED},
    ImportStatus.VALIDATING: {ImportStatus.VALIDATED, ImportStatus.INVALID, ImportStatus.FAILED},
    ImportStatus.VALIDATED: {ImportStatus.COMMITTING},
    ImportStatus.COMMITTING: {ImportStatus.DONE, ImportStatus.FAILED},
    ImportStatus.INVALID: set(),
    ImportStatus.DONE: set(),
    ImportStatus.FAILED: set(),
}
RUNNING = frozenset({ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.COMMITTING})
