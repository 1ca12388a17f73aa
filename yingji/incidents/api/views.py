"""API of incidents: the incident view set with the command actions, and the configuration types."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission, error_body
from yingji.incidents import filtersets as f
from yingji.incidents import services
from yingji.incidents.api import serializers as s
from yingji.incidents.models import DepartmentDuty, Incident, PlanDuty, ResponsePlan

#: actions that change the incident (the service checks the object's scope)
ACTS = {"level", "set_status", "casualties", "command", "note", "notify", "remind", "tick", "review"}
#: actions that read
READS = {"timeline", "checklist", "reminders", "search", "duties"}


class IncidentPermission(RolePermission):
    def has_permission(self, request, view):
        name = getattr(view, "action", None)
        user = request.user
        if name in READS:
            return bool(user and user.is_authenticated and can(user, "view", Incident))
        if name in ACTS:
            return bool(user and user.is_authenticated and can(user, "change", Incident))
        return super().has_permission(request, view)


class IncidentViewSet(ScopedModelViewSet):
    """Incidents in the caller's scope with the command actions. Refusals: ``invalid_transition``,
    ``invalid_level``, ``incident_closed``, ``review_too_early``, ``no_responsible``, ``out_of_scope``."""

    queryset = Incident.objects.all()
    serializer_class = s.IncidentSerializer
    filterset_class = f.IncidentFilterSet
    permission_classes = [IncidentPermission]
    lookup_value_regex = r"\d+"  # leaves incidents/response-plans/ … to their own view sets
    ordering_fields = ["occurred_at", "received_at", "grade", "status", "created"]

    def get_queryset(self):
        if self.action in ACTS:
            return Incident.objects.visible_to(self.request.user, "change").select_related("place")
        if self.action in READS:
            return Incident.objects.visible_to(self.request.user, "view").select_related("place")
        return super().get_queryset()

    def _answer(self, incident, code=status.HTTP_200_OK):
        incident = Incident.objects.select_related("place").get(pk=incident.pk)
        return Response(
            s.IncidentSerializer(incident, context=self.get_serializer_context()).data, status=code
        )

    def _body(self, serializer_class):
        body = serializer_class(data=request_data(self.request))
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(responses=s.TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """Every timeline entry of the incident (all apps), in time order."""
        entries = self.get_object().timeline.select_related("actor").order_by("at", "pk")
        return Response(s.TimelineEntrySerializer(entries, many=True).data)

    @extend_schema(responses=s.ChecklistItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        items = self.get_object().checklist.select_related("done_by")
        return Response(s.ChecklistItemSerializer(items, many=True).data)

    @extend_schema(responses=s.ReminderSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reminders(self, request, pk=None):
        items = self.get_object().reminders.select_related("acknowledged_by")
        return Response(s.ReminderSerializer(items, many=True).data)

    @extend_schema(request=s.LevelSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def level(self, request, pk=None):
        """Start, change or lift (empty) the response level; the plan's duties become the checklist."""
        data = self._body(s.LevelSerializer)
        incident = services.set_response_level(
            self.get_object(), data["level"], actor=request.user, note=data.get("note", "")
        )
        return self._answer(incident)

    @extend_schema(request=s.StatusSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """reported → responding → recovery → closed (reported → closed when no response is needed)."""
        data = self._body(s.StatusSerializer)
        incident = services.change_status(
            self.get_object(), data["status"], actor=request.user, note=data.get("note", "")
        )
        return self._answer(incident)

    @extend_schema(request=s.CasualtiesSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def casualties(self, request, pk=None):
        """Update casualties and loss; an accident is re-graded (493号令 第三条)."""
        data = self._body(s.CasualtiesSerializer)
        return self._answer(services.update_casualties(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.CommandSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def command(self, request, pk=None):
        data = self._body(s.CommandSerializer)
        return self._answer(services.set_command(self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.NoteSerializer, responses={201: s.TimelineEntrySerializer})
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """A note or (``decision: true``) a decision on the timeline."""
        data = self._body(s.NoteSerializer)
        entry = services.add_note(
            self.get_object(), data["text"], actor=request.user, decision=data["decision"]
        )
        return Response(s.TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NotifySerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        """一键通知 users, persons, places (codes), departments (their persons) and further mobiles."""
        from yingji.places.models import Place

        data = self._body(s.NotifySerializer)
        codes = data.get("places") or []
        places = list(Place.objects.filter(code__in=codes).values_list("pk", flat=True))
        if len(places) != len(set(codes)):
            return Response(
                error_body("invalid_place", _("没有找到所选的区划代码。")), status=status.HTTP_400_BAD_REQUEST
            )
        message = services.notify_incident(
            self.get_object(),
            actor=request.user,
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            users=data.get("users") or [],
            persons=data.get("persons") or [],
            places=places,
            departments=data.get("departments") or [],
            mobiles=data.get("mobiles") or [],
            channels=data.get("channels") or ("inapp",),
        )
        return Response(
            {"message": message.pk, "subject": message.subject, "deliveries": message.deliveries.count()},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def search(self, request, pk=None):
        """一键搜索: nearest teams, experts, shelters and warehouses around the incident."""
        from yingji.resources.nearest import NearestError

        try:
            return Response(services.search_resources(self.get_object(), request.user))
        except NearestError as exc:
            fields = {exc.field: [{"code": exc.code, "message": exc.message}]} if exc.field else None
            return Response(error_body(exc.code, exc.message, fields), status=status.HTTP_400_BAD_REQUEST)

    @extend_schema(responses=s.DepartmentDutySerializer(many=True))
    @action(detail=True, methods=["get"])
    def duties(self, request, pk=None):
        """一键查职责: department duties for the incident's type at its place and above."""
        rows = services.duties_for(self.get_object(), request.user)
        return Response(s.DepartmentDutySerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={201: s.ReminderSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """一键提醒 everyone responsible at the current level; returns the reminders sent."""
        sent = services.remind_responsible(self.get_object(), actor=request.user)
        return Response(s.ReminderSerializer(sent, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TickSerializer, responses=s.ChecklistItemSerializer)
    @action(detail=True, methods=["post"], url_path=r"checklist/(?P<item>\d+)/tick")
    def tick(self, request, pk=None, item=None):
        incident = self.get_object()
        row = get_object_or_404(incident.checklist.all(), pk=item)
        data = self._body(s.TickSerializer)
        row = services.tick_checklist_item(row, actor=request.user, done=data["done"])
        return Response(s.ChecklistItemSerializer(row).data)

    @extend_schema(request=s.ReviewSerializer, responses=s.ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record or revise the after-action review (recovery or closed only)."""
        data = self._body(s.ReviewSerializer)
        review = services.save_review(self.get_object(), actor=request.user, **data)
        return Response(s.ReviewSerializer(review).data)


def request_data(request):
    data = request.data
    return data.dict() if hasattr(data, "dict") and not hasattr(data, "getlist") else data


class ReminderAcknowledgeView(APIView):
    """The recipient acknowledges a reminder (their own account, person or department)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.ReminderSerializer)
    def post(self, request, pk):
        reminder = get_object_or_404(services.reminders_for(request.user), pk=pk)
        reminder = services.acknowledge_reminder(reminder, actor=request.user)
        return Response(s.ReminderSerializer(reminder).data)


class MyRemindersView(APIView):
    """The reminders addressed to the caller (own account, person or department), newest first."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.ReminderSerializer(many=True))
    def get(self, request):
        rows = (
            services.reminders_for(request.user).select_related("acknowledged_by").order_by("-sent_at")[:100]
        )
        return Response(s.ReminderSerializer(rows, many=True).data)


class ResponsePlanViewSet(ScopedModelViewSet):
    queryset = ResponsePlan.objects.all()
    serializer_class = s.ResponsePlanSerializer
    filterset_class = f.ResponsePlanFilterSet
    ordering_fields = ["category", "event_type", "level", "created"]


class PlanDutyViewSet(ScopedModelViewSet):
    queryset = PlanDuty.objects.all()
    serializer_class = s.PlanDutySerializer
    filterset_class = f.PlanDutyFilterSet
    ordering_fields = ["order", "created"]


class DepartmentDutyViewSet(ScopedModelViewSet):
    queryset = DepartmentDuty.objects.all()
    serializer_class = s.DepartmentDutySerializer
    filterset_class = f.DepartmentDutyFilterSet
    ordering_fields = ["category", "event_type", "created"]


class IncidentMapLayerView(APIView):
    """GeoJSON of located incidents (not closed; ``all=1`` for every one) for the map;
    ``bbox=minlon,minlat,maxlon,maxlat`` limits it to a view."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from yingji.dashboard.api.views import geojson_response
        from yingji.dashboard.layers import BboxError, parse_bbox
        from yingji.incidents.layers import incidents_geojson

        if not can(request.user, "view", Incident):
            return Response(
                error_body("permission_denied", _("您的角色没有此功能的权限。")),
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            bbox = parse_bbox(request.query_params.get("bbox"))
        except BboxError as exc:
            fields = {"bbox": [{"code": "invalid_bbox", "message": str(exc)}]}
            return Response(error_body("invalid_bbox", str(exc), fields), status=status.HTTP_400_BAD_REQUEST)
        body = incidents_geojson(request.user, bbox, include_closed=request.query_params.get("all") == "1")
        return geojson_response(request, body)
