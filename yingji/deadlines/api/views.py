from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.deadlines import calendar, services
from yingji.deadlines.api import serializers as s
from yingji.deadlines.filtersets import CalendarDayFilterSet, DeadlineFilterSet
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.access import can
from yingji.framework.api import ScopedModelViewSet
from yingji.framework.api_policy import RolePermission

#: actions on one deadline that change it; they need the ``change`` right (not ``add``, as POST would say)
ACTING = {"meet", "cancel", "list_for_supervision"}


class DeadlinePermission(RolePermission):
    def has_permission(self, request, view):
        if getattr(view, "action", None) in ACTING:
            return bool(
                request.user and request.user.is_authenticated and can(request.user, "change", Deadline)
            )
        return super().has_permission(request, view)


class DeadlineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deadlines in the caller's scope (read-only), with 办结, 撤销 and 挂牌督办 actions."""

    queryset = Deadline.objects.all()
    serializer_class = s.DeadlineSerializer
    filterset_class = DeadlineFilterSet
    permission_classes = [DeadlinePermission]
    ordering_fields = ["due_at", "created", "status"]

    def get_queryset(self):
        act = "change" if self.action in ACTING else "view"
        return Deadline.objects.visible_to(self.request.user, act).select_related(
            "place", "listed_by", "content_type"
        )

    def _answer(self, deadline):
        deadline = Deadline.objects.select_related("place", "listed_by", "content_type").get(pk=deadline.pk)
        return Response(s.DeadlineSerializer(deadline, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def meet(self, request, pk=None):
        """Mark the deadline met (办结)."""
        deadline = self.get_object()
        services.meet(deadline, actor=request.user)
        return self._answer(deadline)

    @extend_schema(request=s.CancelSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the deadline (撤销), with a reason."""
        deadline = self.get_object()
        body = s.CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.cancel(deadline, actor=request.user, reason=body.validated_data.get("reason", ""))
        return self._answer(deadline)

    @extend_schema(request=s.ListForSupervisionSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"], url_path="list-for-supervision")
    def list_for_supervision(self, request, pk=None):
        """List the deadline for supervision (挂牌督办) by a 市/县/镇, optionally with a new time limit."""
        deadline = self.get_object()
        body = s.ListForSupervisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.list_for_supervision(
            deadline,
            actor=request.user,
            level_place=data["level_place"],
            due_at=data.get("due_at"),
            note=data.get("note", ""),
        )
        return self._answer(deadline)


class CalendarDayViewSet(ScopedModelViewSet):
    """Days administrators entered into the working-day calendar (override the built-in holidays)."""

    queryset = CalendarDay.objects.all()
    serializer_class = s.CalendarDaySerializer
    filterset_class = CalendarDayFilterSet
    ordering_fields = ["date"]

    def perform_destroy(self, instance):
        services.delete_calendar_day(instance, actor=self.request.user)

    @extend_schema(request=s.CalendarRangeSerializer, responses=s.CalendarDaySerializer(many=True))
    @action(detail=False, methods=["post"])
    def range(self, request):
        """Enter every day of a period (e.g. the whole Spring Festival holiday) in one request."""
        body = s.CalendarRangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        days = services.enter_calendar_days(actor=request.user, **body.validated_data)
        return Response(
            s.CalendarDaySerializer(days, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


_COVERAGE = inline_serializer(
    "CalendarCoverage",
    {
        "year": serializers.IntegerField(),
        "source": serializers.CharField(),
        "message": serializers.CharField(),
    },
    many=True,
)


class WorkingDaysView(APIView):
    """Compute a due time on the working-day calendar (start day not counted; ends at 24:00)."""

    @extend_schema(
        parameters=[s.WorkingDaysQuerySerializer],
        responses=inline_serializer(
            "WorkingDaysResult",
            {
                "start": serializers.CharField(),
                "n": serializers.IntegerField(),
                "unit": serializers.CharField(),
                "due_at": serializers.DateTimeField(),
                "due_date": serializers.DateField(),
                "estimated": serializers.BooleanField(),
                "coverage": _COVERAGE,
            },
        ),
    )
    def get(self, request):
        query = s.WorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, n, unit = (
            query.validated_data["start"],
            query.validated_data["n"],
            query.validated_data["unit"],
        )
        cal = calendar.WorkingCalendar()
        due = cal.due_at(start, **{unit: n})
        years = range(calendar.local_date(start).year, calendar.local_date(due).year + 1)
        return Response(
            {
                "start": start.isoformat(),
                "n": n,
                "unit": unit,
                "due_at": due.isoformat(),
                "due_date": calendar.local_date(due).isoformat(),
                "estimated": bool(cal.fallback_years),
                "coverage": [cal.coverage_info(y).as_dict() for y in years],
            }
        )


class CalendarYearView(APIView):
    """Every day of a year with its kind (workday, weekend, holiday, adjusted workday) and source."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses=inline_serializer(
            "CalendarYear",
            {
                "year": serializers.IntegerField(),
                "source": serializers.CharField(),
                "message": serializers.CharField(),
                "working_days": serializers.IntegerField(),
                "days": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, year):
        if not 1900 <= year <= 2100:
            raise NotFound()
        cal = calendar.WorkingCalendar()
        days = cal.year_days(year)
        info = cal.coverage_info(year)
        return Response(
            {
                **info.as_dict(),
                "working_days": sum(d.working for d in days),
                "days": [d.as_dict() for d in days],
                "today": timezone.localdate().isoformat(),
            }
        )
