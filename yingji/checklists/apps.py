from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "yingji.checklists"
    label = "checklists"
    verbose_name = _("隐患自查")

    def ready(self):
        from yingji.checklists import filtersets as f
        from yingji.checklists import forms, models, services, tables
        from yingji.checklists.api import serializers as s
        from yingji.checklists.api import views as v
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import ALL, READ, Role, grant

        register(
            ObjectType(
                model=models.CheckPlan,
                filterset=f.CheckPlanFilterSet,
                table=tables.CheckPlanTable,
                form=forms.CheckPlanForm,
                serializer=s.CheckPlanSerializer,
                viewset=v.CheckPlanViewSet,
                save=services.save_plan,
                section="supervision",
                api_prefix="check-plans",
                detail_fields=(
                    "enterprise",
                    "name",
                    "post",
                    "frequency",
                    "responsible",
                    "start_date",
                    "active",
                    "note",
                ),
                list_select_related=("enterprise", "responsible"),
                search_fields=("name", "post", "enterprise__name"),
            )
        )
        register(
            ObjectType(
                model=models.CheckItem,
                filterset=f.CheckItemFilterSet,
                table=tables.CheckItemTable,
                form=forms.CheckItemForm,
                serializer=s.CheckItemSerializer,
                viewset=v.CheckItemViewSet,
                save=services.save_item,
                section="supervision",
                api_prefix="check-items",
                detail_fields=("plan", "order", "text", "category", "basis"),
                list_select_related=("plan",),
                search_fields=("text", "category", "basis"),
            )
        )
        register(
            ObjectType(
                model=models.CheckRecord,
                filterset=f.CheckRecordFilterSet,
                table=tables.CheckRecordTable,
                form=forms.CheckRecordForm,
                serializer=s.CheckRecordSerializer,
                viewset=v.CheckRecordViewSet,
                save=services.save_record,
                section="supervision",
                api_prefix="check-records",
                detail_fields=("plan", "period_start", "performed_at", "performer_name", "problems", "note"),
                export_fields=(
                    ("plan__enterprise__name", _("企业")),
                    ("plan__name", _("自查计划")),
                    ("period_start", _("检查周期")),
                    ("performed_at", _("检查时间")),
                    ("performer_name", _("检查人")),
                    ("problems", _("问题数")),
                ),
                list_select_related=("plan",),
                search_fields=("plan__name", "plan__enterprise__name", "performer_name"),
            )
        )
        # Enterprises run their own self-checks; regulators and leaders read them in scope (docs/checklists.md).
        for label in ("checklists.checkplan", "checklists.checkitem", "checklists.checkrecord"):
            grant(Role.ENTERPRISE_USER, label, ALL)
            for role in (Role.BUREAU_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENFORCEMENT_OFFICER, Role.LEADER):
                grant(role, label, READ)
