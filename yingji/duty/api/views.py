"""Duty API (docs/duty.md, "API"). Lists and details go through the access filter; every write is a
service call (swap requests and decisions, handovers, roll-calls and answers, roster generation)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from yingji.duty import services
from yingji.duty.api import serializers as s
from yingji.duty.filtersets import (
    DutyRoomFilterSet,
    HandoverFilterSet,
    RollCallFilterSet,
    RosterTemplateFilterSet,
    ShiftFilterSet,
    SwapRequestFilterSet,
)
from yingji.duty.models import DutyRoom, Handover, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission

READ_ONLY = ["get", "head", "options"]


class ActionPermission(RolePermission):
    """Like RolePermission, with the right a named action needs (``action_rights`` on the view)."""

    def has_permission(self, request, view):
        needed = getattr(view, "action_rights", {}).get(getattr(view, "action", None))
        if needed:
            user = request.user
            return bool(user and user.is_authenticated and can(user, needed, view.queryset.model))
        return super().has_permission(request, view)


class DutyRoomViewSet(ScopedModelViewSet):
    """Duty rooms; ``parent`` (the upper room) is derived, never written."""

    queryset = DutyRoom.objects.all()
    serializer_class = s.DutyRoomSerializer
    filterset_class = DutyRoomFilterSet
    ordering_fields = ["name", "place__code"]


class RosterTemplateViewSet(ScopedModelViewSet):
    """Roster templates (read-only here; edited on the pages) with the ``generate`` action."""

    queryset = RosterTemplate.objects.all()
    serializer_class = s.RosterTemplateSerializer
    filterset_class = RosterTemplateFilterSet
    http_method_names = [*READ_ONLY, "post"]
    permission_classes = [ActionPermission]
    action_rights = {"generate": "change"}

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed("POST")

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Generate the month ``month`` (``YYYY-MM``) of shifts from this template; shifts edited by
        hand or by a swap and shifts already started are kept (counts in the answer)."""
        from yingji.duty.forms import MonthField

        template = self.get_object()
        try:
            day = MonthField().clean(request.data.get("month", ""))
        except Exception:  # noqa: BLE001  (forms.ValidationError: the message below says what to send)
            day = None
        if day is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"month": ValidationError(_("月份格式应为 YYYY-MM，如 2026-10。"), code="invalid_month")}
            )
        counts = services.generate_month(template, day.year, day.month, actor=request.user)
        counts["kept_dates"] = [d.isoformat() for d in counts["kept_dates"]]
        return Response(counts)


class ShiftViewSet(ScopedModelViewSet):
    """Shifts with their members (带班领导/值班员/备勤); changed only through swaps and the roster pages."""

    queryset = Shift.objects.all()
    serializer_class = s.ShiftSerializer
    filterset_class = ShiftFilterSet
    http_method_names = READ_ONLY
    ordering_fields = ["date", "starts_at"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members__person")


class SwapRequestViewSet(ScopedModelViewSet):
    """Swap requests: POST creates one (duty officers); ``approve``/``reject`` are the room manager's
    (a bureau officer of the place). Codes: ``shift_past``, ``not_on_shift``, ``already_on_shift``,
    ``not_pending``, ``note_required``, ``out_of_scope``."""

    queryset = SwapRequest.objects.all()
    serializer_class = s.SwapRequestSerializer
    filterset_class = SwapRequestFilterSet
    http_method_names = [*READ_ONLY, "post"]
    permission_classes = [ActionPermission]
    action_rights = {"approve": "change", "reject": "change"}

    @extend_schema(request=s.SwapCreateSerializer, responses={201: s.SwapRequestSerializer})
    def create(self, request, *args, **kwargs):
        body = s.SwapCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        swap = services.request_swap(actor=request.user, **body.validated_data)
        return Response(self.get_serializer(swap).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decide):
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        swap = decide(self.get_object(), actor=request.user, note=body.validated_data.get("note", ""))
        return Response(self.get_serializer(swap).data)

    @extend_schema(request=s.NoteSerializer, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.approve_swap)

    @extend_schema(request=s.NoteSerializer, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.reject_swap)


class HandoverViewSet(ScopedModelViewSet):
    """Handovers; POST records one (``from_shift``, ``summary``, ``new_items``, ``close_items``)."""

    queryset = Handover.objects.all()
    serializer_class = s.HandoverSerializer
    filterset_class = HandoverFilterSet
    http_method_names = [*READ_ONLY, "post"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("carried")

    @extend_schema(request=s.HandoverCreateSerializer, responses={201: s.HandoverSerializer})
    def create(self, request, *args, **kwargs):
        body = s.HandoverCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        handover = services.record_handover(
            data["from_shift"],
            data["summary"],
            actor=request.user,
            new_items=data.get("new_items", ()),
            close_items=data.get("close_items", ()),
        )
        return Response(self.get_serializer(handover).data, status=status.HTTP_201_CREATED)


class RollCallViewSet(ScopedModelViewSet):
    """Roll-calls of the rooms in scope. ``POST call/`` {"caller": id} calls every lower room of that
    room now; ``POST <id>/answer/`` {"note"} answers (only the called room; ``rollcall_missed`` after
    the window, ``already_answered``, ``not_called_room``)."""

    queryset = RollCall.objects.all()
    serializer_class = s.RollCallSerializer
    filterset_class = RollCallFilterSet
    http_method_names = [*READ_ONLY, "post"]
    permission_classes = [ActionPermission]
    action_rights = {"answer": "change", "call": "add"}
    ordering_fields = ["called_at", "due_at"]

    def create(self, request, *args, **kwargs):
        raise MethodNotAllowed("POST")

    @extend_schema(request=s.NoteSerializer, responses=s.RollCallSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call = services.answer_roll_call(
            self.get_object(), actor=request.user, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(call).data)

    @extend_schema(request=s.CallSerializer, responses={201: s.RollCallSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def call(self, request):
        body = s.CallSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        calls = services.call_lower_rooms(body.validated_data["caller"], actor=request.user)
        return Response(self.get_serializer(calls, many=True).data, status=status.HTTP_201_CREATED)
