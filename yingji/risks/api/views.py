"""API of the risk app: one view set per object type plus the special actions (position on the site
plan, recompute, site plan upload/download, lists and cards as files, submit report, report status)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from yingji.framework.access import AccessDenied, can
from yingji.framework.api import ScopedModelViewSet
from yingji.risks import services
from yingji.risks.api import serializers as s
from yingji.risks.filtersets import (
    ControlMeasureFilterSet,
    RegionRiskFilterSet,
    RegionRiskMeasureFilterSet,
    RiskPointFilterSet,
    RiskProfileFilterSet,
    RiskReportFilterSet,
)
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)

_SIGNED_IN = [permissions.IsAuthenticated]


def _scoped(request, model, pk, action="view"):
    if not can(request.user, action, model):
        raise AccessDenied(_("您的角色没有此功能的权限。"), code="permission_denied")
    return get_object_or_404(model.objects.visible_to(request.user, action), pk=pk)


class RiskPointViewSet(ScopedModelViewSet):
    queryset = RiskPoint.objects.all()
    serializer_class = s.RiskPointSerializer
    filterset_class = RiskPointFilterSet
    ordering_fields = ["name", "score", "level", "review_date", "created"]

    def perform_destroy(self, instance):
        services.delete_risk_point(instance, actor=self.request.user)

    @extend_schema(request=s.PositionSerializer, responses=s.RiskPointSerializer)
    @action(detail=True, methods=["post"], permission_classes=_SIGNED_IN)
    def position(self, request, pk=None):
        """Place the risk point on the enterprise's site plan (x/y in % from the top-left corner)."""
        point = _scoped(request, RiskPoint, pk, "change")
        data = s.PositionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.place_risk_point(
            point, x=data.validated_data["plan_x"], y=data.validated_data["plan_y"], actor=request.user
        )
        return Response(s.RiskPointSerializer(point, context={"request": request}).data)


class ControlMeasureViewSet(ScopedModelViewSet):
    queryset = ControlMeasure.objects.all()
    serializer_class = s.ControlMeasureSerializer
    filterset_class = ControlMeasureFilterSet


class RiskProfileViewSet(ScopedModelViewSet):
    queryset = RiskProfile.objects.all()
    serializer_class = s.RiskProfileSerializer
    filterset_class = RiskProfileFilterSet
    ordering_fields = ["level", "computed_at", "major_count", "large_count"]

    @extend_schema(request=None, responses=s.RiskProfileSerializer)
    @action(detail=True, methods=["post"], permission_classes=_SIGNED_IN)
    def recompute(self, request, pk=None):
        """Recompute the enterprise's overall grade now (anyone who may view the profile)."""
        profile = _scoped(request, RiskProfile, pk)
        profile = services.recompute_enterprise_grade(profile.enterprise, actor=request.user)
        return Response(s.RiskProfileSerializer(profile, context={"request": request}).data)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"site_plan": {"type": "string", "format": "binary"}},
            }
        },
        responses=s.RiskProfileSerializer,
    )
    @action(detail=True, methods=["get", "post"], url_path="site-plan", permission_classes=_SIGNED_IN)
    def site_plan(self, request, pk=None):
        """GET: the site-plan image; POST (multipart ``site_plan``): upload a new one."""
        from yingji.framework.uploads import file_response

        if request.method == "GET":
            profile = _scoped(request, RiskProfile, pk)
            if not profile.site_plan:
                return Response(
                    {"error": {"code": "not_found", "message": "尚未上传平面布置图。"}}, status=404
                )
            return file_response(profile.site_plan)
        profile = _scoped(request, RiskProfile, pk, "change")
        services.upload_site_plan(profile, request.FILES.get("site_plan"), actor=request.user)
        return Response(s.RiskProfileSerializer(profile, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("list", enum=["risks", "measures"], description="风险清单或管控措施清单"),
            OpenApiParameter("output", enum=["xlsx", "pdf"]),
        ],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"], url_path="export", permission_classes=_SIGNED_IN)
    def export(self, request, pk=None):
        """The risk list or control-measure list of the enterprise as Excel or PDF (两单)."""
        profile = _scoped(request, RiskProfile, pk)
        kind, fmt = request.query_params.get("list", "risks"), request.query_params.get("output", "xlsx")
        return list_file_response(profile.enterprise, kind, fmt)

    @extend_schema(
        parameters=[OpenApiParameter("post", description="岗位；省略时为全部岗位", required=False)],
        responses={(200, "application/pdf"): bytes},
    )
    @action(detail=True, methods=["get"], permission_classes=_SIGNED_IN)
    def cards(self, request, pk=None):
        """The post cards (三卡) as one PDF."""
        profile = _scoped(request, RiskProfile, pk)
        post = request.query_params.get("post")
        return cards_response(profile.enterprise, [post] if post else None)


def list_file_response(enterprise, kind, fmt):
    from yingji.risks.exports import LISTS, export_list

    if kind not in LISTS or fmt not in ("xlsx", "pdf"):
        raise DRFValidationError({"list": ["list 须为 risks 或 measures，output 须为 xlsx 或 pdf。"]})
    content, content_type, name = export_list(enterprise, kind, fmt)
    return _attachment(content, content_type, name)


def cards_response(enterprise, posts):
    from yingji.risks.cards import cards_pdf

    return _attachment(cards_pdf(enterprise, posts), "application/pdf", f"{enterprise.name}-岗位三卡.pdf")


def _attachment(content, content_type, name):
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


class RiskReportViewSet(ScopedModelViewSet):
    """POST creates = submits a report (snapshot of the 较大以上 risks); reports are not edited."""

    queryset = RiskReport.objects.all()
    serializer_class = s.RiskReportSerializer
    filterset_class = RiskReportFilterSet
    ordering_fields = ["submitted_at", "period"]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", description="报告期，默认当前报告期"),
            OpenApiParameter("group", enum=["county", "town"], description="按县区或镇街统计"),
        ],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"], permission_classes=_SIGNED_IN)
    def status(self, request):
        """Who has reported for a period, who is late, and the report rate per place and industry."""
        from yingji.risks.reporting import current_period, period_start, report_status

        if not can(request.user, "view", RiskReport):
            raise AccessDenied(_("您的角色没有此功能的权限。"), code="permission_denied")
        period = request.query_params.get("period") or current_period()
        period_start(period)
        data = report_status(request.user, period, group=request.query_params.get("group", "county"))
        return Response(
            {
                "period": data["period"],
                "due_date": data["due_date"],
                "required": data["required"],
                "reported": data["reported"],
                "late": data["late"],
                "rate": data["rate"],
                "by_place": data["by_place"],
                "by_industry": data["by_industry"],
                "enterprises": [
                    {
                        "enterprise": r["enterprise"].pk,
                        "name": r["enterprise"].name,
                        "place": r["enterprise"].place.code,
                        "industry": r["enterprise"].industry,
                        "level": r["profile"].level,
                        "state": r["state"],
                        "report": r["report"].pk if r["report"] else None,
                    }
                    for r in data["rows"]
                ],
            }
        )


class RegionRiskViewSet(ScopedModelViewSet):
    queryset = RegionRisk.objects.all()
    serializer_class = s.RegionRiskSerializer
    filterset_class = RegionRiskFilterSet
    ordering_fields = ["name", "score", "level", "created"]


class RegionRiskMeasureViewSet(ScopedModelViewSet):
    queryset = RegionRiskMeasure.objects.all()
    serializer_class = s.RegionRiskMeasureSerializer
    filterset_class = RegionRiskMeasureFilterSet
