"""Dispatch (C3 任务调度): tasks given to a rescue team, a department or a person during an incident,
with acknowledgement, progress, team movements (出发/到达) and completion; and the materials issued to
an incident (``IncidentSupply``, a link to the materials app's issue document)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.dispatch.choices import OPEN_STATUSES, AssigneeKind, TaskAction, TaskStatus
from yingji.framework.access import Scope, restrict
from yingji.framework.models import BaseModel, ScopedQuerySet

_USER = {"null": True, "blank": True, "on_delete": models.SET_NULL, "related_name": "+"}


class TaskQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """The access filter (incident place; for department-limited roles also the responsible
        department), widened — to read and to answer (``view``/``change``) — by the tasks the user
        answers for wherever the incident is: those of the user's own person, and those of a
        department the user holds a department-limited role in (a county's team sent to help in
        another county is still its department's task)."""
        from yingji.framework.access import assignments_of, can
        from yingji.framework.roles import role_allows

        rows = restrict(self, user, action)
        if action not in ("view", "change") or not can(user, action, self.model):
            return rows
        label = self.model._meta.label_lower
        departments = {
            a.department_id
            for a in assignments_of(user)
            if a.department_id is not None and role_allows(a.role, action, label)
        }
        person_id = getattr(user, "person_id", None)
        if departments:
            rows = rows | self.filter(department_id__in=departments)
        if person_id:
            rows = rows | self.filter(person_id=person_id)
        return rows

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class Task(BaseModel):
    """A 调度任务: what the assignee must do for an incident, by when, and how far it got.

    Exactly one assignee: a rescue team (``team``), a department (``assignee_department``) or a
    person (``person``). ``department`` is the department that answers for the task — the assignee
    department, the team's 主管部门, or the person's department — so that department-limited users
    (行业部门干部) see and acknowledge the tasks of their department (docs/dispatch.md).
    """

    incident = models.ForeignKey(
        "incidents.Incident", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("任务名称"), max_length=200)
    instructions = models.TextField(_("任务要求"), blank=True)
    assignee_kind = models.CharField(_("承办对象类型"), max_length=20, choices=AssigneeKind.choices)
    team = models.ForeignKey(
        "resources.Team",
        verbose_name=_("救援队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("承办部门，或队伍的主管部门，或承办人所在部门（自动填写）"),
    )
    due_at = models.DateTimeField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.DISPATCHED, editable=False
    )
    dispatched_at = models.DateTimeField(_("派发时间"), default=timezone.now, editable=False)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("派发人"), editable=False, **_USER
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), editable=False, **_USER
    )
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    headcount_sent = models.PositiveIntegerField(_("出动人数"), null=True, blank=True)
    vehicles_sent = models.PositiveIntegerField(_("出动车辆"), null=True, blank=True)
    departed_at = models.DateTimeField(_("出发时间"), null=True, blank=True, editable=False)
    arrived_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("完成人"), editable=False, **_USER
    )
    result = models.TextField(_("处置结果"), blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, editable=False)

    objects = TaskQuerySet.as_manager()
    scope = Scope(place="incident__place", department="department")

    class Meta:
        verbose_name = _("调度任务")
        verbose_name_plural = _("调度任务")
        ordering = ["-dispatched_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="dispatch_task_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        assignee_kind="team",
                        team__isnull=False,
                        assignee_department__isnull=True,
                        person__isnull=True,
                    )
                    | models.Q(
                        assignee_kind="department",
                        team__isnull=True,
                        assignee_department__isnull=False,
                        person__isnull=True,
                    )
                    | models.Q(
                        assignee_kind="person",
                        team__isnull=True,
                        assignee_department__isnull=True,
                        person__isnull=False,
                    )
                ),
                name="dispatch_task_one_assignee",
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.assignee}）"

    @property
    def assignee(self):
        return {
            AssigneeKind.TEAM: self.team,
            AssigneeKind.DEPARTMENT: self.assignee_department,
            AssigneeKind.PERSON: self.person,
        }.get(self.assignee_kind)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    def responsible_department_id(self):
        if self.assignee_kind == AssigneeKind.TEAM and self.team_id:
            return self.team.owner_department_id
        if self.assignee_kind == AssigneeKind.DEPARTMENT:
            return self.assignee_department_id
        if self.assignee_kind == AssigneeKind.PERSON and self.person_id:
            return self.person.department_id
        return None

    def clean(self):
        errors = {}
        field = {
            AssigneeKind.TEAM: "team",
            AssigneeKind.DEPARTMENT: "assignee_department",
            AssigneeKind.PERSON: "person",
        }.get(self.assignee_kind)
        if field and getattr(self, f"{field}_id") is None:
            errors[field] = ValidationError(_("请选择承办对象。"), code="assignee_required")
        others = [f for f in ("team", "assignee_department", "person") if f != field]
        if any(getattr(self, f"{f}_id") is not None for f in others):
            errors.setdefault(
                "assignee_kind",
                ValidationError(_("一项任务只能有一个承办对象：队伍、部门或人员之一。"), code="one_assignee"),
            )
        if errors:
            raise ValidationError(errors)


class TaskUpdate(BaseModel):
    """One step of a task, in time order: acknowledgement, progress (percent and note), departure,
    arrival, completion, cancellation. Written by ``yingji.dispatch.workflow`` only."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="updates")
    action = models.CharField(_("动作"), max_length=20, choices=TaskAction.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    percent = models.PositiveSmallIntegerField(
        _("进度（%）"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), **_USER)

    scope = Scope(place="task__incident__place", department="task__department")

    class Meta:
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")
        ordering = ["task", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.note}".strip()


class IncidentSupply(BaseModel):
    """Materials issued to an incident: the link between the incident and the materials app's issue
    document (出库单, ``materials.Movement``), written by ``services.issue_materials``."""

    incident = models.ForeignKey(
        "incidents.Incident", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="supplies"
    )
    movement = models.OneToOneField(
        "materials.Movement", verbose_name=_("出库单"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), **_USER)
    summary = models.CharField(_("物资摘要"), max_length=300, blank=True)

    scope = Scope(place="incident__place")

    class Meta:
        verbose_name = _("事件物资发放")
        verbose_name_plural = _("事件物资发放")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.summary or str(self.movement)
