from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class ChangeSource(models.TextChoices):
    UI = "ui", _("页面")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    ADMIN = "admin", _("后台管理")
    COMMAND = "command", _("命令")
    TASK = "task", _("后台任务")
    SYSTEM = "system", _("系统")
