"""API of the hazard statistics: the dashboard's figures as JSON and the hazard map layer (GeoJSON).

Both read only ``Hazard.objects.visible_to(user)`` (see ``yingji.hazards.stats``); the user needs
the view right on hazards (403 otherwise).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.dashboard import layers
from yingji.dashboard.api.views import BBOX_PARAMETER, _collection_schema, geojson_response
from yingji.hazards import stats
from yingji.hazards.choices import Grade, HazardKind, Source, Status
from yingji.hazards.models import Hazard

FILTER_PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=list(HazardKind.values), description="隐患类别"),
    OpenApiParameter("place", OpenApiTypes.STR, description="区划代码（含下级）；缺省为用户的管辖范围"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="发现日期起（含）"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="发现日期止（含）"),
    OpenApiParameter("industry", OpenApiTypes.STR, description="GB/T 4754-2017 门类字母或两位大类代码"),
    OpenApiParameter("source", OpenApiTypes.STR, enum=list(Source.values), description="来源"),
    OpenApiParameter("grade", OpenApiTypes.STR, enum=list(Grade.values), description="隐患等级"),
]
ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}

HAZARD_COLLECTION = _collection_schema(
    {
        "id": {"type": "integer"},
        "name": {"type": "string", "description": "隐患编号 + 名称"},
        "url": {"type": "string", "nullable": True, "description": "详情页"},
        "color": {"type": "string", "description": "按状态着色，#rrggbb"},
        "summary": {"type": "string", "description": "弹窗中的一行说明"},
        "status": {"type": "string", "enum": list(Status.values)},
        "status_label": {"type": "string"},
        "grade": {"type": "string", "enum": ["", *Grade.values]},
        "grade_label": {"type": "string"},
        "kind": {"type": "string", "enum": list(HazardKind.values)},
        "found_at": {"type": "string", "format": "date-time"},
    },
    ["Point"],
)


def filters_or_400(request) -> stats.StatsFilters:
    filters = stats.parse_filters(request.user, request.query_params)
    if filters.errors:
        raise ValidationError(
            {e.field: [ErrorDetail(e.message, code=e.code)] for e in filters.errors},
        )
    return filters


class HazardStatsSummaryView(APIView):
    """Every figure of the hazard statistics dashboard, for the hazards the user may see."""

    queryset = Hazard.objects.none()  # RolePermission: the view right on hazards

    @extend_schema(
        operation_id="hazard_stats_summary",
        tags=["hazard-stats"],
        summary="隐患统计：汇总数据",
        description="Counts by grade, status, source, industry section (GB/T 4754-2017) and place (the "
        "children of the chosen place, each with its 清零 flags), the rectification and overdue rates and "
        "the mean and median time to close. Definitions: docs/hazard-statistics.md.",
        parameters=FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request):
        return Response(stats.cached_hazard_statistics(request.user, filters_or_400(request)))


class HazardStatsMapView(APIView):
    """Hazards with a location, as GeoJSON points coloured by status (newest first, limited)."""

    queryset = Hazard.objects.none()

    @extend_schema(
        operation_id="hazard_stats_map",
        tags=["hazard-stats", "map"],
        summary="隐患统计：隐患点位图层 (GeoJSON)",
        description="Visible hazards that have a location, filtered like the summary and optionally by bbox, "
        f"newest first, at most {stats.MAP_LIMIT} features; the collection's members `limit` and "
        "`truncated` say whether more matched.",
        parameters=[*FILTER_PARAMETERS, BBOX_PARAMETER],
        responses={(200, "application/geo+json"): HAZARD_COLLECTION, **ERRORS},
    )
    def get(self, request):
        try:
            bbox = layers.parse_bbox(request.query_params.get("bbox"))
        except layers.BboxError as exc:
            raise ValidationError({"bbox": [ErrorDetail(str(exc), code="invalid_bbox")]}) from exc
        filters = filters_or_400(request)
        body, _count, _truncated = stats.hazards_geojson(stats.filtered_hazards(request.user, filters), bbox)
        return geojson_response(request, body)
