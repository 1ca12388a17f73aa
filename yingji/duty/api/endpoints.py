"""``GET /api/v1/duty/now/`` (who is on duty now in every room in scope) and
``GET /api/v1/duty/evaluation/?month=YYYY-MM`` (the monthly evaluation)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.duty import evaluation, services
from yingji.duty.forms import MonthField
from yingji.duty.models import DutyRoom
from yingji.framework.access import can
from yingji.framework.api_policy import error_body


class _CanSeeRooms(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and can(user, "view", DutyRoom))


def _person(p):
    return {"id": p.pk, "name": p.name}


class NowView(APIView):
    permission_classes = [_CanSeeRooms]

    @extend_schema(responses={200: dict})
    def get(self, request):
        """Every room in scope with the shift on duty now: leader, officers, standby (or null)."""
        now = timezone.now()
        rows = []
        for row in services.on_duty_now(request.user, now):
            room, shift = row["room"], row["shift"]
            entry = {
                "room": {"id": room.pk, "name": room.name, "place": room.place.code, "phone": room.phone}
            }
            if shift is None:
                entry["shift"] = None
            else:
                by_role = shift.members_by_role()
                entry["shift"] = {
                    "id": shift.pk,
                    "date": shift.date.isoformat(),
                    "starts_at": shift.starts_at.isoformat(),
                    "ends_at": shift.ends_at.isoformat(),
                    "kind": shift.kind,
                    "leader": [_person(p) for p in by_role["leader"]],
                    "officers": [_person(p) for p in by_role["officer"]],
                    "standby": [_person(p) for p in by_role["standby"]],
                }
            rows.append(entry)
        return Response({"at": now.isoformat(), "rooms": rows})


class EvaluationView(APIView):
    permission_classes = [_CanSeeRooms]

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM（默认上月）")],
        responses={200: dict},
    )
    def get(self, request):
        """The ranked monthly evaluation of the rooms in scope (formula: docs/duty.md)."""
        raw = request.query_params.get("month")
        if raw:
            try:
                day = MonthField().clean(raw)
            except Exception:  # noqa: BLE001  (a bad month is a 400 with the expected format)
                day = None
            if day is None:
                message = _("月份格式应为 YYYY-MM，如 2026-10。")
                return Response(error_body("invalid_month", message), status=status.HTTP_400_BAD_REQUEST)
        else:
            day = default_month()
        rooms = DutyRoom.objects.visible_to(request.user).select_related("place").defer("place__boundary")
        rows = evaluation.monthly_rows(rooms, day.year, day.month)
        return Response(
            {
                "month": f"{day:%Y-%m}",
                "rows": [
                    {
                        "rank": r["rank"],
                        "room": {"id": r["room"].pk, "name": r["room"].name, "place": r["room"].place.code},
                        "score": float(r["score"].total) if r["score"].total is not None else None,
                        "calls": r["figures"].calls,
                        "answered": r["figures"].answered,
                        "answer_rate": r["score"].rollcall_rate,
                        "mean_answer_seconds": r["figures"].mean_answer_seconds,
                        "reports": r["figures"].reports,
                        "warning_answer_rate": (r["warnings"] or {}).get("answer_rate"),
                    }
                    for r in rows
                ],
            }
        )


def default_month():
    """The previous month (the evaluation is of a finished month)."""
    today = timezone.localdate()
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)
