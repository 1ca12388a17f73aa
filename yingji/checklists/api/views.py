from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from yingji.checklists import periods, services
from yingji.checklists.api import serializers as s
from yingji.checklists.filtersets import CheckItemFilterSet, CheckPlanFilterSet, CheckRecordFilterSet
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission


class CheckPlanViewSet(ScopedModelViewSet):
    """Self-check plans; ``missed`` lists a plan's missed periods, ``missed-by-enterprise`` the counts."""

    queryset = CheckPlan.objects.all()
    serializer_class = s.CheckPlanSerializer
    filterset_class = CheckPlanFilterSet
    ordering_fields = ["name", "start_date", "created"]

    @extend_schema(responses=s.MissedPlanSerializer)
    @action(detail=True, methods=["get"])
    def missed(self, request, pk=None):
        """The periods of this plan since its start that have no record (finished periods only)."""
        plan = self.get_object()
        current = services.current_period(plan)
        return Response(
            {
                "plan": plan.pk,
                "frequency": plan.frequency,
                "missed": [periods.label(plan.frequency, d) for d in services.missed_periods(plan)],
                "current": periods.label(plan.frequency, current),
                "current_done": plan.records.filter(period_start=current).exists(),
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("place", str, description="区划代码（含下级）")],
        responses=s.MissedEnterpriseSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="missed-by-enterprise")
    def missed_by_enterprise(self, request):
        """Missed checks per enterprise in the caller's scope (most missed first)."""
        plans = self.filter_queryset_for_missed()
        rows = services.missed_by_enterprise(plans)
        return Response(
            [
                {
                    "enterprise": r["enterprise"].pk,
                    "name": r["enterprise"].name,
                    "place": r["enterprise"].place.code,
                    "plans": r["plans"],
                    "active": r["active"],
                    "missed": r["missed"],
                    "last_check": r["last_check"],
                }
                for r in rows
            ]
        )

    def filter_queryset_for_missed(self):
        qs = CheckPlan.objects.visible_to(self.request.user, "view")
        return CheckPlanFilterSet(self.request.query_params, queryset=qs, request=self.request).qs


class CheckItemViewSet(ScopedModelViewSet):
    queryset = CheckItem.objects.all()
    serializer_class = s.CheckItemSerializer
    filterset_class = CheckItemFilterSet
    ordering_fields = ["order", "created"]


class CheckRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Checks performed. ``POST`` records a check with one result per item (``RecordCheck``)."""

    queryset = CheckRecord.objects.all()
    serializer_class = s.CheckRecordSerializer
    filterset_class = CheckRecordFilterSet
    permission_classes = [RolePermission]
    ordering_fields = ["period_start", "performed_at"]

    def get_queryset(self):
        from yingji.framework.api_policy import METHOD_ACTIONS

        act = METHOD_ACTIONS.get(self.request.method, "view")
        return (
            CheckRecord.objects.visible_to(self.request.user, act)
            .select_related("plan")
            .prefetch_related("results")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_destroy(self, instance):
        from yingji.framework.services import delete_object

        delete_object(instance, actor=self.request.user)

    @extend_schema(request=s.RecordCheckSerializer, responses={201: s.CheckRecordSerializer})
    def create(self, request):
        body = s.RecordCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        plan = CheckPlan.objects.visible_to(request.user, "view").filter(pk=data["plan"]).first()
        if plan is None:
            raise NotFound()
        record = services.record_check(
            plan,
            actor=request.user,
            results=data["results"],
            period=data.get("period"),
            performed_at=data.get("performed_at"),
            performer_name=data["performer_name"],
            note=data["note"],
        )
        record = self.get_queryset().model.objects.prefetch_related("results").get(pk=record.pk)
        return Response(
            s.CheckRecordSerializer(record, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
