from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TASK = "dispatch.task"


def grant_rights() -> None:
    """The role matrix of dispatch (docs/dispatch.md, "Who may do what").

    Duty and bureau officers dispatch (``add``) and edit/cancel (``change`` + dispatcher side checked by
    ``workflow.may_dispatch``); department officers answer for their department's tasks (``change``,
    narrowed to their department by the scope); leaders and the other place-limited roles read (and
    answer for tasks given to their own person). Nobody deletes a task: it is cancelled."""
    from yingji.framework.roles import CHANGE, READ, VIEW, Role, grant

    for role in (Role.DUTY_OFFICER, Role.BUREAU_OFFICER):
        grant(role, TASK, {"view", "add", "change"})
    grant(Role.DEPARTMENT_OFFICER, TASK, {VIEW, CHANGE})
    for role in (
        Role.LEADER,
        Role.ENFORCEMENT_OFFICER,
        Role.GRID_WORKER,
        Role.DISASTER_INFO_OFFICER,
        Role.EXPERT,
    ):
        grant(role, TASK, READ)


class DispatchConfig(AppConfig):
    name = "yingji.dispatch"
    label = "dispatch"
    verbose_name = _("调度任务")

    def ready(self):
        from yingji.dispatch import filtersets, forms, models, services, tables
        from yingji.dispatch.api import serializers, views
        from yingji.framework.registry import ObjectType, register

        grant_rights()
        register(
            ObjectType(
                model=models.Task,
                filterset=filtersets.TaskFilterSet,
                table=tables.TaskTable,
                form=forms.TaskEditForm,
                serializer=serializers.TaskSerializer,
                viewset=views.TaskViewSet,
                save=services.save_task,
                api_prefix="dispatch/tasks",
                section="command",
                detail_fields=(
                    "incident",
                    "title",
                    "instructions",
                    "assignee_kind",
                    "team",
                    "assignee_department",
                    "person",
                    "department",
                    "status",
                    "percent",
                    "due_at",
                    "dispatched_at",
                    "dispatched_by",
                    "acknowledged_at",
                    "acknowledged_by",
                    "headcount_sent",
                    "vehicles_sent",
                    "departed_at",
                    "arrived_at",
                    "completed_at",
                    "completed_by",
                    "result",
                    "cancelled_at",
                    "cancel_reason",
                ),
                export_fields=(
                    ("incident__number", _("事件编号")),
                    ("incident__title", _("事件")),
                    ("title", _("任务名称")),
                    ("assignee_kind", _("承办对象类型")),
                    ("team__name", _("救援队伍")),
                    ("assignee_department__name", _("承办部门")),
                    ("person__name", _("承办人")),
                    ("status", _("状态")),
                    ("percent", _("完成进度（%）")),
                    ("dispatched_at", _("派发时间")),
                    ("due_at", _("完成时限")),
                    ("acknowledged_at", _("签收时间")),
                    ("arrived_at", _("到达现场时间")),
                    ("completed_at", _("完成时间")),
                ),
                list_select_related=("incident", "team", "assignee_department", "person"),
                search_fields=("title", "instructions", "incident__title", "incident__number"),
            )
        )
