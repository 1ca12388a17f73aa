from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.dispatch import situation, workflow
from yingji.dispatch.api import serializers as s
from yingji.dispatch.filtersets import TaskFilterSet
from yingji.dispatch.models import Task
from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission, error_body

STEPS = {"acknowledge", "progress", "depart", "arrive", "complete", "cancel"}


def task_error_response(exc: workflow.TaskError) -> Response:
    """A refused step in the one error shape: 409 for a step the status does not allow, else 400."""
    fields = {exc.field: [{"code": exc.code, "message": exc.message}]} if exc.field else None
    code = status.HTTP_409_CONFLICT if exc.code == "invalid_transition" else status.HTTP_400_BAD_REQUEST
    return Response(error_body(exc.code, exc.message, fields), status=code)


class TaskPermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) in STEPS:
            return bool(request.user and request.user.is_authenticated and can(request.user, "view", Task))
        return super().has_permission(request, view)


class TaskViewSet(ScopedModelViewSet):
    """Dispatch tasks in the caller's scope (plus those the caller answers for), with the steps as POST
    actions. Errors of a step: ``invalid_transition`` (409), ``not_team_task``, ``invalid_percent``,
    ``percent_decreased``, ``result_required``, ``reason_required``, ``time_in_future`` …  (400),
    ``permission_denied`` (403: not the assignee, or cancel by a non-dispatcher)."""

    queryset = Task.objects.all()
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet
    permission_classes = [TaskPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["dispatched_at", "due_at", "status", "created"]

    def get_serializer_class(self):
        if self.action in ("retrieve", *STEPS):
            return s.TaskDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        if self.action in STEPS:
            return Task.objects.visible_to(self.request.user, "view").select_related("incident")
        qs = super().get_queryset().select_related("team", "assignee_department", "person")
        if self.action == "retrieve":
            qs = qs.prefetch_related("updates__by")
        return qs

    def _step(self, request, name, **kwargs):
        task = self.get_object()
        body = s.StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        args = {key: data[key] for key in kwargs.get("fields", ()) if key in data}
        try:
            task = workflow.STEP_FUNCTIONS[name](task, actor=request.user, **args)
        except workflow.TaskError as exc:
            return task_error_response(exc)
        task = Task.objects.prefetch_related("updates__by").get(pk=task.pk)
        return Response(s.TaskDetailSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """签收 (dispatched → acknowledged): the assignee, or a dispatcher recording it. Body: ``note``."""
        return self._step(request, "acknowledge", fields=("note",))

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """进展: ``percent`` (0–100, never lower than before) and/or ``note``; → in_progress."""
        return self._step(request, "progress", fields=("percent", "note"))

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        """出发 (team tasks): ``at`` (default now), ``headcount``, ``vehicles``, ``note``."""
        return self._step(request, "depart", fields=("at", "headcount", "vehicles", "note"))

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        """到达现场 (team tasks): ``at`` (default now), ``headcount``, ``vehicles``, ``note``."""
        return self._step(request, "arrive", fields=("at", "headcount", "vehicles", "note"))

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """完成 with ``result`` (required)."""
        return self._step(request, "complete", fields=("result",))

    @extend_schema(request=s.StepSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """撤销 (dispatcher side only) with ``reason`` (required); the assignee is told."""
        return self._step(request, "cancel", fields=("reason",))


class SituationView(APIView):
    """The situation picture of an incident as a GeoJSON FeatureCollection: ``role`` of each feature is
    ``incident``, ``command_post``, ``ring`` (with ``villages``, ``population``, ``unknown``), ``village``,
    ``resource`` (``kind`` team/expert/equipment/shelter/material) or ``dispatched_team`` (with the task
    ``status``); ``summary`` holds the ring figures and how the population is estimated. Query:
    ``radii`` in km, e.g. ``1,3,5,10``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("radii", str, description="半径（公里），逗号分隔，例如 1,3,5,10")],
        responses={200: dict},
    )
    def get(self, request, pk):
        from yingji.incidents.models import Incident

        incident = get_object_or_404(Incident.objects.visible_to(request.user).select_related("place"), pk=pk)
        try:
            radii = situation.parse_radii(request.query_params.get("radii"))
            data = situation.build(incident, request.user, radii)
        except situation.SituationError as exc:
            fields = {exc.field: [{"code": exc.code, "message": exc.message}]} if exc.field else None
            return Response(error_body(exc.code, exc.message, fields), status=status.HTTP_400_BAD_REQUEST)
        return Response(data)
