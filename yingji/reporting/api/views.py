from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.framework.access import AccessDenied, can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission, error_body
from yingji.incidents.models import Incident
from yingji.reporting import documents, services
from yingji.reporting.api import serializers as s
from yingji.reporting.filtersets import IncomingInfoFilterSet, MisReportFilterSet, UpwardReportFilterSet
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport
from yingji.reporting.views import supervision_rows


class IncomingInfoViewSet(ScopedModelViewSet):
    """接报登记: list, read and record (POST creates or links the incident and starts its reporting
    chain; attachments as multipart ``attachments``). Incoming information is not edited or deleted."""

    queryset = IncomingInfo.objects.all()
    serializer_class = s.IncomingInfoSerializer
    filterset_class = IncomingInfoFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["received_at", "occurred_at"]

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        incident = data.pop("incident", None)
        title = data.pop("title", "")
        info = services.record_incoming(
            actor=request.user,
            incident=incident,
            title=title,
            attachments=request.FILES.getlist("attachments") if request.FILES else (),
            **data,
        )
        return Response(self.get_serializer(info).data, status=status.HTTP_201_CREATED)


class UpwardReportPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) == "submit":
            return bool(
                request.user and request.user.is_authenticated and can(request.user, "view", UpwardReport)
            )
        return super().has_permission(request, view)


class UpwardReportViewSet(ScopedModelViewSet):
    """信息上报: the reports in the caller's scope with due time, state (``pending``, ``overdue`` =
    漏报, ``on_time``, ``late`` = 迟报). POST makes a report; POST ``{id}/submit/`` fills a required one.
    Errors: ``out_of_scope`` (not the caller's level or department), ``already_reported``,
    ``validation_error``."""

    queryset = UpwardReport.objects.all()
    serializer_class = s.UpwardReportSerializer
    filterset_class = UpwardReportFilterSet
    permission_classes = [UpwardReportPermission]
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["due_at", "reported_at"]

    def _make(self, request, report=None):
        body = s.MakeReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if report is None:
            incident = data.get("incident")
            if (
                incident is None
                or not Incident.objects.visible_to(request.user).filter(pk=incident.pk).exists()
            ):
                raise DRFValidationError({"incident": [_("请选择您范围内的事件。")]})
        else:
            for name in ("incident", "kind", "from_place", "recipient_level", "from_department"):
                data.pop(name, None)
        made = services.make_report(report, actor=request.user, **data)
        return Response(
            self.get_serializer(made).data, status=status.HTTP_201_CREATED if report is None else 200
        )

    @extend_schema(request=s.MakeReportSerializer, responses=s.UpwardReportSerializer)
    def create(self, request, *args, **kwargs):
        return self._make(request)

    @extend_schema(request=s.MakeReportSerializer, responses=s.UpwardReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = get_object_or_404(UpwardReport.objects.visible_to(request.user, "view"), pk=pk)
        return self._make(request, report)


class MisReportViewSet(ScopedModelViewSet):
    queryset = MisReport.objects.all()
    serializer_class = s.MisReportSerializer
    filterset_class = MisReportFilterSet
    ordering_fields = ["found_at"]


class _NoFormatOverride(DefaultContentNegotiation):
    """``?format=docx|pdf`` names the document's file type here, not DRF's renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentView(APIView):
    """GET /api/v1/reporting/documents/<kind>/?date=YYYY-MM-DD&format=docx|pdf|json: the daily brief
    (``daily``), weekly (``weekly``) or monthly analysis (``monthly``) of the period containing the date."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = _NoFormatOverride

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD（默认今天）"),
            OpenApiParameter("format", str, enum=["json", "docx", "pdf"], description="默认 json"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, kind):
        if kind not in documents.KINDS:
            return Response(error_body("unknown_document", _("未知的简报类型。")), status=404)
        if not can(request.user, "view", Incident):
            raise AccessDenied(_("您的角色没有此功能的权限。"), code="permission_denied")
        try:
            day = documents.parse_day(request.query_params.get("date"))
        except ValueError:
            if request.query_params.get("date"):
                message = _("日期格式应为 YYYY-MM-DD，年份在%(a)d至%(b)d之间。") % {
                    "a": documents.YEARS[0],
                    "b": documents.YEARS[1],
                }
                return Response(error_body("bad_date", message), status=400)
            day = documents.default_day()
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "docx", "pdf"):
            return Response(error_body("bad_format", _("格式须为 docx、pdf 或 json。")), status=400)
        data = documents.build(kind, day, request.user)
        if fmt == "json":
            return Response(documents.as_json(data))
        body, content_type, name = documents.render(data, fmt)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response


class SupervisionView(APIView):
    """GET /api/v1/reporting/supervision/?month=YYYY-MM (default: this month): 报送督查 — per sending
    place in the caller's scope, the required reports due in the month and already due, made on time,
    late (迟报), missing (漏报), incomplete, with the rates in per cent. ``bad_month`` 400."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM（默认本月）")],
        responses={200: s.SupervisionSerializer},
    )
    def get(self, request):
        if not can(request.user, "view", UpwardReport):
            raise AccessDenied(_("您的角色没有此功能的权限。"), code="permission_denied")
        value = request.query_params.get("month")
        try:
            month = documents.parse_day(f"{value}-01") if value else timezone.localdate().replace(day=1)
        except ValueError:
            return Response(error_body("bad_month", _("月份格式应为 YYYY-MM。")), status=400)
        rows = [
            {
                "place": r["from_place__code"],
                "place_name": r["from_place__name"],
                **{k: r[k] for k in s.SupervisionRowSerializer.FIGURES},
            }
            for r in supervision_rows(request.user, month)
        ]
        return Response(s.SupervisionSerializer({"month": f"{month:%Y-%m}", "rows": rows}).data)


class StabiliseView(APIView):
    """POST /api/v1/reporting/incidents/<id>/stabilise/: 灾情稳定 of a natural disaster — daily 续报
    stop, 核报 become due. Errors: ``validation_error`` with ``not_natural_disaster`` (non-field) or
    ``stabilised_out_of_range``, ``out_of_scope``; 404 outside scope."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.StabiliseSerializer})
    def post(self, request, pk):
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        chain = services.mark_stabilised(incident, actor=request.user)
        return Response(
            s.StabiliseSerializer({"incident": incident.pk, "stabilised_at": chain.stabilised_at}).data
        )
