from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "yingji.reports"
    label = "reports"
    verbose_name = _("群众举报")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import CHANGE, READ, VIEW, Role, grant
        from yingji.reports import filtersets, forms, models, services, tables
        from yingji.reports.api import serializers, views

        register(
            ObjectType(
                model=models.PublicReport,
                filterset=filtersets.PublicReportFilterSet,
                table=tables.PublicReportTable,
                form=forms.PublicReportForm,
                serializer=serializers.PublicReportSerializer,
                viewset=views.PublicReportViewSet,
                save=services.save_report,
                section="supervision",
                api_prefix="public-reports",
                detail_fields=(
                    "kind",
                    "title",
                    "description",
                    "enterprise_name",
                    "address",
                    "longitude",
                    "latitude",
                    "place",
                    "department",
                    "status",
                    "reporter_name",
                    "reporter_mobile",
                    "reject_reason",
                    "hazard",
                    "clue_text",
                    "result",
                    "handling_note",
                ),
                export_fields=(
                    ("tracking_code", _("查询码")),
                    ("kind", _("举报类别")),
                    ("title", _("举报事项")),
                    ("place", _("所在区划")),
                    ("department", _("承办部门")),
                    ("status", _("状态")),
                    ("submitted_at", _("举报时间")),
                    ("accepted_at", _("受理时间")),
                    ("closed_at", _("办结时间")),
                    ("result", _("办理结果")),
                ),
                list_select_related=("place", "department"),
                search_fields=("tracking_code", "title", "enterprise_name", "address"),
            )
        )
        # Who handles reports (docs/reports.md): officers of the emergency system view and act on them in
        # their scope (place; a department-limited assignment only those routed to its department);
        # leaders read. Nobody deletes a report. Everyone else — and the public — sees none.
        for role in (Role.BUREAU_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENFORCEMENT_OFFICER):
            grant(role, "reports.publicreport", {VIEW, CHANGE})
            grant(role, "reports.reportphoto", READ)
        grant(Role.LEADER, "reports.publicreport", READ)
        grant(Role.LEADER, "reports.reportphoto", READ)
        services.register_rules()
