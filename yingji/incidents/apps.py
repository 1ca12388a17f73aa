from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

INCIDENT, PLAN, PLAN_DUTY, DEPARTMENT_DUTY = (
    "incidents.incident",
    "incidents.responseplan",
    "incidents.planduty",
    "incidents.departmentduty",
)


def grant_rights() -> None:
    """The role matrix of incidents (docs/incidents.md, "Who may do what")."""
    from yingji.framework.roles import READ, VIEW, Role, grant

    act = {"view", "add", "change"}
    # duty officers and bureau officers record incidents and act on them; deleting is the
    # platform administrator's (an incident's record is kept)
    for role in (Role.DUTY_OFFICER, Role.BUREAU_OFFICER):
        grant(role, INCIDENT, act)
    # the 一图一表 and department duties are configured by the bureau; the duty room reads them
    for label in (PLAN, PLAN_DUTY, DEPARTMENT_DUTY):
        grant(Role.BUREAU_OFFICER, label, {"view", "add", "change", "delete"})
        grant(Role.DUTY_OFFICER, label, READ)
        grant(Role.LEADER, label, READ)
        grant(Role.DEPARTMENT_OFFICER, label, READ)
    # department officers see the incidents of their place (and acknowledge their reminders);
    # leaders read
    grant(Role.DEPARTMENT_OFFICER, INCIDENT, {VIEW})
    grant(Role.LEADER, INCIDENT, READ)


class IncidentsConfig(AppConfig):
    name = "yingji.incidents"
    label = "incidents"
    verbose_name = _("事件指挥")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.incidents import filtersets as f
        from yingji.incidents import forms, models, services, tables
        from yingji.incidents.api import serializers as s
        from yingji.incidents.api import views as v

        grant_rights()
        common = {"section": "command"}
        register(
            ObjectType(
                model=models.Incident,
                filterset=f.IncidentFilterSet,
                table=tables.IncidentTable,
                form=forms.IncidentForm,
                serializer=s.IncidentSerializer,
                viewset=v.IncidentViewSet,
                save=services.save_incident,
                api_prefix="incidents",
                detail_fields=(
                    "number",
                    "title",
                    "category",
                    "event_type",
                    "place",
                    "address",
                    "enterprise",
                    "occurred_at",
                    "received_at",
                    "description",
                    "measures",
                ),
                list_select_related=("place",),
                search_fields=("number", "title", "address"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.ResponsePlan,
                filterset=f.ResponsePlanFilterSet,
                table=tables.ResponsePlanTable,
                form=forms.ResponsePlanForm,
                serializer=s.ResponsePlanSerializer,
                viewset=v.ResponsePlanViewSet,
                save=services.save_response_plan,
                api_prefix="incidents/response-plans",
                detail_fields=("name", "place", "category", "event_type", "level", "source", "active"),
                list_select_related=("place",),
                list_prefetch_related=("duties",),
                search_fields=("name", "steps"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.PlanDuty,
                filterset=f.PlanDutyFilterSet,
                table=tables.PlanDutyTable,
                form=forms.PlanDutyForm,
                serializer=s.PlanDutySerializer,
                viewset=v.PlanDutyViewSet,
                save=services.save_plan_duty,
                api_prefix="incidents/plan-duties",
                detail_fields=(
                    "plan",
                    "order",
                    "role",
                    "department",
                    "department_kind",
                    "task",
                    "time_limit_minutes",
                ),
                list_select_related=("plan", "department"),
                search_fields=("task",),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.DepartmentDuty,
                filterset=f.DepartmentDutyFilterSet,
                table=tables.DepartmentDutyTable,
                form=forms.DepartmentDutyForm,
                serializer=s.DepartmentDutySerializer,
                viewset=v.DepartmentDutyViewSet,
                save=services.save_department_duty,
                api_prefix="incidents/department-duties",
                detail_fields=(
                    "place",
                    "department",
                    "department_kind",
                    "category",
                    "event_type",
                    "duties",
                    "source",
                ),
                list_select_related=("place", "department"),
                search_fields=("duties", "source", "department__name"),
                **common,
            )
        )
