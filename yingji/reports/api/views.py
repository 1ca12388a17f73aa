from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from yingji.framework.access import can
from yingji.framework.api_policy import RolePermission
from yingji.reports import services
from yingji.reports.api import serializers as s
from yingji.reports.filtersets import PublicReportFilterSet, with_deadlines
from yingji.reports.models import PublicReport

#: actions on one report that change it: they need the ``change`` right (not ``add``, as POST would say)
ACTING = {"accept", "reject", "convert_to_hazard", "clue", "reward", "close"}


class ReportPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) in ACTING:
            return bool(
                request.user and request.user.is_authenticated and can(request.user, "change", PublicReport)
            )
        return super().has_permission(request, view)


class PublicReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Public reports in the caller's scope, with the handling actions. Reports are filed on the public
    page (no account), so there is no create; nobody deletes them."""

    queryset = PublicReport.objects.all()
    serializer_class = s.PublicReportSerializer
    filterset_class = PublicReportFilterSet
    permission_classes = [ReportPermission]
    ordering_fields = ["submitted_at", "status", "created"]

    def get_queryset(self):
        act = "change" if self.action in ACTING or self.request.method in ("PUT", "PATCH") else "view"
        qs = PublicReport.objects.visible_to(self.request.user, act).select_related("place", "department")
        return with_deadlines(qs).prefetch_related("photos")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _answer(self, report):
        report = self.get_queryset().get(pk=report.pk)
        return Response(s.PublicReportSerializer(report, context=self.get_serializer_context()).data)

    def _body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=s.NoteSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理: the 办结 deadline starts."""
        report = self.get_object()
        data = self._body(s.NoteSerializer)
        return self._answer(services.accept_report(report, actor=request.user, note=data["note"]))

    @extend_schema(request=s.ReasonSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """不予受理, with the reason shown to the reporter."""
        report = self.get_object()
        data = self._body(s.ReasonSerializer)
        return self._answer(services.reject_report(report, actor=request.user, reason=data["reason"]))

    @extend_schema(request=s.ConvertSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"], url_path="convert-to-hazard")
    def convert_to_hazard(self, request, pk=None):
        """转为隐患 (source 群众举报); optionally of an enterprise."""
        from yingji.orgs.models import Enterprise

        report = self.get_object()
        data = self._body(s.ConvertSerializer)
        enterprise = None
        if data.get("enterprise"):
            enterprise = Enterprise.objects.visible_to(request.user).filter(pk=data["enterprise"]).first()
            if enterprise is None:
                raise NotFound()
        report = services.convert_to_hazard(
            report, actor=request.user, enterprise=enterprise, category=data["category"], title=data["title"]
        )
        return self._answer(report)

    @extend_schema(request=s.ClueSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"])
    def clue(self, request, pk=None):
        """转为执法线索."""
        report = self.get_object()
        data = self._body(s.ClueSerializer)
        return self._answer(services.mark_clue(report, actor=request.user, text=data["text"]))

    @extend_schema(request=s.RewardSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"])
    def reward(self, request, pk=None):
        """Record the reward decision."""
        report = self.get_object()
        data = self._body(s.RewardSerializer)
        return self._answer(services.decide_reward(report, actor=request.user, **data))

    @extend_schema(request=s.CloseSerializer, responses=s.PublicReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """办结 with the result shown to the reporter."""
        report = self.get_object()
        data = self._body(s.CloseSerializer)
        return self._answer(services.close_report(report, actor=request.user, result=data["result"]))
