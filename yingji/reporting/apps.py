import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yingji.incidents.signals import incident_changed

INCOMING, REPORT, MISREPORT = "reporting.incominginfo", "reporting.upwardreport", "reporting.misreport"


def grant_rights() -> None:
    """The role matrix of information reporting (docs/reporting.md, "Who may do what")."""
    from yingji.framework.roles import ADD, ALL, CHANGE, READ, VIEW, Role, grant

    record = frozenset({VIEW, ADD})
    report = frozenset({VIEW, ADD, CHANGE})
    # duty officers: the 接报 form and the reports
    grant(Role.DUTY_OFFICER, INCOMING, record)
    grant(Role.DUTY_OFFICER, REPORT, report)
    grant(Role.DUTY_OFFICER, MISREPORT, READ)
    # bureau officers: the same, plus 谎报/瞒报 findings
    grant(Role.BUREAU_OFFICER, INCOMING, record)
    grant(Role.BUREAU_OFFICER, REPORT, report)
    grant(Role.BUREAU_OFFICER, MISREPORT, ALL)
    # department officers: their department's reports (department dimension of the scope)
    grant(Role.DEPARTMENT_OFFICER, INCOMING, READ)
    grant(Role.DEPARTMENT_OFFICER, REPORT, report)
    # leaders read
    for label in (INCOMING, REPORT, MISREPORT):
        grant(Role.LEADER, label, READ)


def _incident_changed(sender, incident, **kwargs) -> None:
    """Counts, grade or status of an incident changed: its required reports follow at once."""
    from yingji.reporting.services import sync_reports

    sync_reports(incident)


class ReportingConfig(AppConfig):
    name = "yingji.reporting"
    label = "reporting"
    verbose_name = _("信息报送")

    def ready(self):
        from yingji.deadlines.rules import register_rule
        from yingji.framework.registry import ObjectType, register
        from yingji.reporting import filtersets as f
        from yingji.reporting import forms, models, services, tables
        from yingji.reporting.api import serializers as s
        from yingji.reporting.api import views as v

        grant_rights()
        incident_changed.connect(_incident_changed, dispatch_uid="reporting.sync_reports")
        register_rule(
            services.DEADLINE_RULE,
            _("信息上报"),
            remind_before=dt.timedelta(minutes=30),
            source="《生产安全事故报告和调查处理条例》第九条至第十三条；《自然灾害情况统计调查制度》（应急〔2020〕19号）",
        )
        common = {"section": "command"}
        register(
            ObjectType(
                model=models.IncomingInfo,
                filterset=f.IncomingInfoFilterSet,
                table=tables.IncomingInfoTable,
                form=forms.IncomingInfoForm,
                serializer=s.IncomingInfoSerializer,
                viewset=v.IncomingInfoViewSet,
                api_prefix="reporting/incoming",
                detail_fields=(
                    "incident",
                    "source",
                    "reporter_name",
                    "reporter_phone",
                    "reporter_unit",
                    "received_at",
                    "received_by",
                    "category",
                    "event_type",
                    "place",
                    "address",
                    "longitude",
                    "latitude",
                    "occurred_at",
                    "deaths",
                    "missing",
                    "serious_injuries",
                    "minor_injuries",
                    "direct_loss_wan",
                    "description",
                    "unit_late",
                ),
                list_select_related=("place", "incident"),
                search_fields=("reporter_name", "reporter_unit", "address", "description"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.UpwardReport,
                filterset=f.UpwardReportFilterSet,
                table=tables.UpwardReportTable,
                form=forms.UpwardReportForm,
                serializer=s.UpwardReportSerializer,
                viewset=v.UpwardReportViewSet,
                api_prefix="reporting/reports",
                detail_fields=(
                    "incident",
                    "kind",
                    "from_place",
                    "from_department",
                    "recipient_level",
                    "to_place",
                    "external_recipient",
                    "required",
                    "basis",
                    "period_date",
                    "due_at",
                    "reported_at",
                    "reported_by",
                    "unit_overview",
                    "time_place_scene",
                    "course",
                    "deaths",
                    "missing",
                    "serious_injuries",
                    "minor_injuries",
                    "direct_loss_wan",
                    "measures",
                    "other",
                    "late",
                    "missed",
                ),
                list_select_related=("incident", "from_place", "to_place"),
                list_prefetch_related=("copies",),
                search_fields=("external_recipient", "course"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.MisReport,
                filterset=f.MisReportFilterSet,
                table=tables.MisReportTable,
                form=forms.MisReportForm,
                serializer=s.MisReportSerializer,
                viewset=v.MisReportViewSet,
                save=services.save_misreport,
                api_prefix="reporting/misreports",
                detail_fields=(
                    "incident",
                    "report",
                    "kind",
                    "found_at",
                    "found_by",
                    "responsible_unit",
                    "description",
                ),
                list_select_related=("incident",),
                search_fields=("responsible_unit", "description"),
                **common,
            )
        )
