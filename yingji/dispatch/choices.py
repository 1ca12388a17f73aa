"""Choices of dispatch tasks (C3 任务调度)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssigneeKind(models.TextChoices):
    """Who a task goes to: exactly one rescue team, department or person."""

    TEAM = "team", _("救援队伍")
    DEPARTMENT = "department", _("部门")
    PERSON = "person", _("人员")


class TaskStatus(models.TextChoices):
    """dispatched → acknowledged → in_progress → completed; cancelled by the dispatcher before the end.
    The moves are in ``yingji.dispatch.workflow`` (the one place where ``Task.status`` changes)."""

    DISPATCHED = "dispatched", _("已派发")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    IN_PROGRESS = "in_progress", _("处置中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = (TaskStatus.DISPATCHED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS)


class TaskAction(models.TextChoices):
    """The steps of a task (buttons on the page, actions of the API, kinds of TaskUpdate rows)."""

    DISPATCH = "dispatch", _("派发")
    ACKNOWLEDGE = "acknowledge", _("签收")
    PROGRESS = "progress", _("进展")
    DEPART = "depart", _("出发")
    ARRIVE = "arrive", _("到达现场")
    COMPLETE = "complete", _("完成")
    CANCEL = "cancel", _("撤销")
