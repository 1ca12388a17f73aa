from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "yingji.risks"
    label = "risks"
    verbose_name = _("风险分级管控")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.risks import filtersets as f
        from yingji.risks import forms, models, roles, services, signals, tables  # noqa: F401
        from yingji.risks.api import serializers as s
        from yingji.risks.api import views as v

        assessment = ("accident_types", "method", "lec_l", "lec_e", "lec_c", "ls_l", "ls_s", "score", "level")
        register(
            ObjectType(
                model=models.RiskPoint,
                filterset=f.RiskPointFilterSet,
                table=tables.RiskPointTable,
                form=forms.RiskPointForm,
                serializer=s.RiskPointSerializer,
                viewset=v.RiskPointViewSet,
                save=services.save_risk_point,
                section="supervision",
                api_prefix="risk-points",
                detail_fields=(
                    "enterprise",
                    "name",
                    "area",
                    "unit",
                    "post",
                    "hazard_factors",
                    *assessment,
                    "control_level",
                    "responsible_name",
                    "responsible_unit",
                    "review_date",
                ),
                list_select_related=("enterprise",),
                search_fields=("name", "area", "unit", "post", "enterprise__name"),
            )
        )
        register(
            ObjectType(
                model=models.ControlMeasure,
                filterset=f.ControlMeasureFilterSet,
                table=tables.ControlMeasureTable,
                form=forms.ControlMeasureForm,
                serializer=s.ControlMeasureSerializer,
                viewset=v.ControlMeasureViewSet,
                section="supervision",
                api_prefix="risk-measures",
                detail_fields=("risk_point", "kind", "content", "responsible_name"),
                export_fields=(
                    ("risk_point__enterprise", _("企业")),
                    ("risk_point", _("风险点")),
                    ("risk_point__level", _("风险等级")),
                    ("kind", _("措施类别")),
                    ("content", _("管控措施")),
                    ("responsible_name", _("落实责任人")),
                ),
                list_select_related=("risk_point",),
                search_fields=("content", "risk_point__name"),
            )
        )
        register(
            ObjectType(
                model=models.RiskProfile,
                filterset=f.RiskProfileFilterSet,
                table=tables.RiskProfileTable,
                form=forms.RiskProfileForm,
                serializer=s.RiskProfileSerializer,
                viewset=v.RiskProfileViewSet,
                save=services.save_risk_profile,
                section="supervision",
                api_prefix="risk-profiles",
                detail_fields=(
                    "enterprise",
                    "level",
                    "base_level",
                    "raised_by",
                    "reason",
                    "major_count",
                    "large_count",
                    "general_count",
                    "low_count",
                    "computed_at",
                    "change_due_since",
                    "note",
                ),
                list_select_related=("enterprise",),
                search_fields=("enterprise__name", "enterprise__uscc"),
            )
        )
        register(
            ObjectType(
                model=models.RiskReport,
                filterset=f.RiskReportFilterSet,
                table=tables.RiskReportTable,
                form=forms.RiskReportForm,
                serializer=s.RiskReportSerializer,
                viewset=v.RiskReportViewSet,
                save=services.submit_report,
                section="supervision",
                api_prefix="risk-reports",
                detail_fields=(
                    "enterprise",
                    "kind",
                    "period",
                    "reason",
                    "note",
                    "submitted_at",
                    "submitted_by",
                    "late",
                    "major_count",
                    "large_count",
                ),
                list_select_related=("enterprise",),
                search_fields=("enterprise__name", "period"),
                extra={"read_only": True},
            )
        )
        register(
            ObjectType(
                model=models.RegionRisk,
                filterset=f.RegionRiskFilterSet,
                table=tables.RegionRiskTable,
                form=forms.RegionRiskForm,
                serializer=s.RegionRiskSerializer,
                viewset=v.RegionRiskViewSet,
                save=services.save_region_risk,
                section="supervision",
                api_prefix="region-risks",
                detail_fields=(
                    "place",
                    "department",
                    "name",
                    "category",
                    "location",
                    "description",
                    *assessment,
                    "responsible_unit",
                    "responsible_name",
                    "review_date",
                ),
                list_select_related=("place", "department"),
                search_fields=("name", "location", "description"),
            )
        )
        register(
            ObjectType(
                model=models.RegionRiskMeasure,
                filterset=f.RegionRiskMeasureFilterSet,
                table=tables.RegionRiskMeasureTable,
                form=forms.RegionRiskMeasureForm,
                serializer=s.RegionRiskMeasureSerializer,
                viewset=v.RegionRiskMeasureViewSet,
                section="supervision",
                api_prefix="region-risk-measures",
                detail_fields=("region_risk", "kind", "content", "responsible_unit"),
                list_select_related=("region_risk",),
                search_fields=("content", "region_risk__name"),
            )
        )
        roles.grant_all()
        signals.connect()

        import datetime as dt

        from yingji.deadlines.rules import register_rule
        from yingji.risks import reporting

        register_rule(
            services.CHANGE_REPORT_RULE,
            "安全风险变更报告",
            calendar_days=reporting.change_report_days(),
            remind_before=dt.timedelta(days=5),
            source="新增较大以上风险或风险等级变化时报告（domain-facts §3.3）；期限为本平台默认值"
            "（可配置 YINGJI_RISKS_CHANGE_REPORT_DAYS）",
        )
