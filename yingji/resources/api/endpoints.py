"""Special API endpoints of the resources: nearest search, coverage and the map's GeoJSON layers."""

from django.apps import apps
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yingji.framework.access import can
from yingji.framework.api_policy import error_body
from yingji.resources import coverage as cov
from yingji.resources import layers, nearest


def _bad_request(code: str, message: str, field: str = "") -> Response:
    fields = {field: [{"code": code, "message": message}]} if field else None
    return Response(error_body(code, message, fields), status=status.HTTP_400_BAD_REQUEST)


_P = OpenApiParameter
NEAREST_PARAMETERS = [
    _P("longitude", OpenApiTypes.DOUBLE, description="经度（WGS84）；与 latitude 同时提供"),
    _P("latitude", OpenApiTypes.DOUBLE, description="纬度（WGS84）"),
    _P("place", OpenApiTypes.STR, description="无经纬度时：以该区划（12位代码）的中心点为起点"),
    _P("address", OpenApiTypes.STR, description="无经纬度时：以名称包含该文字的地区中心点为起点"),
    _P("kinds", OpenApiTypes.STR, description="逗号分隔：team,expert,equipment,shelter,material（默认全部）"),
    _P("limit", OpenApiTypes.INT, description="每类最多返回条数（1–50，默认5）"),
    _P("team_kind", OpenApiTypes.STR, description="队伍类别"),
    _P("capability", OpenApiTypes.STR, description="队伍救援能力"),
    _P("readiness", OpenApiTypes.STR, description="队伍战备状态"),
    _P("specialty", OpenApiTypes.STR, description="专家领域"),
    _P("equipment_kind", OpenApiTypes.STR, description="装备类别"),
    _P("capacity", OpenApiTypes.INT, description="避难场所至少剩余可容纳人数"),
    _P("item", OpenApiTypes.INT, description="物资编号：只返回有该物资可用库存的仓库"),
    _P("quantity", OpenApiTypes.DECIMAL, description="需要的物资数量（须同时给 item）"),
]


class NearestView(APIView):
    """The nearest teams, experts, equipment, shelters and material stocks from a point."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=NEAREST_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        try:
            query = nearest.parse_query(request.query_params, request.user)
        except nearest.NearestError as exc:
            return _bad_request(exc.code, exc.message, exc.field)
        results = nearest.search(request.user, query)
        return Response(
            {
                "origin": {
                    "longitude": query.longitude,
                    "latitude": query.latitude,
                    "place": query.place_code or None,
                },
                "limit": query.limit,
                "results": results,
            }
        )


class CoverageView(APIView):
    """Coverage of teams, shelters and the materials network for the places below ``place``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[_P("place", OpenApiTypes.STR, description="12位区划代码；默认为您的管辖范围")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from yingji.resources.models import Team

        if not can(request.user, "view", Team):
            return Response(
                error_body("permission_denied", _("您的角色没有此功能的权限。")),
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            place = resolve_place(request.user, request.query_params.get("place"))
        except nearest.NearestError as exc:
            return _bad_request(exc.code, exc.message, exc.field)
        return Response(cov.coverage(request.user, place).as_dict())


def resolve_place(user, code):
    """The place named by ``code`` (visible to the user), else the user's own scope place (the city
    for global roles)."""
    from yingji.dashboard.layers import scope_place
    from yingji.places.models import Place

    code = (code or "").strip()
    if code:
        place = Place.objects.visible_to(user).filter(code=code).defer("boundary").first()
        if place is None:
            raise nearest.NearestError(
                _("没有找到该区划代码，或它不在您的管辖范围内。"), "invalid_place", "place"
            )
        return place
    place = scope_place(user)
    if place is None:
        place = Place.objects.filter(parent__isnull=True).defer("boundary").order_by("code").first()
    if place is None:
        raise nearest.NearestError(_("尚未建立行政区划。"), "invalid_place", "place")
    return place


class MapLayerView(APIView):
    """GeoJSON layer of the resources map; ``bbox=minlon,minlat,maxlon,maxlat`` limits it to a view."""

    permission_classes = [permissions.IsAuthenticated]
    layer = ""

    @extend_schema(
        parameters=[
            _P("bbox", OpenApiTypes.STR, description="最小经度,最小纬度,最大经度,最大纬度"),
            _P("limit", OpenApiTypes.INT, description="最多返回要素数"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        from yingji.dashboard.api.views import geojson_response
        from yingji.dashboard.layers import BboxError, parse_bbox

        label = layers.LAYER_MODELS[self.layer]
        try:
            model = apps.get_model(label)
        except LookupError:
            return Response(error_body("not_found", _("该图层尚不可用。")), status=status.HTTP_404_NOT_FOUND)
        if not can(request.user, "view", model):
            return Response(
                error_body("permission_denied", _("您的角色没有此功能的权限。")),
                status=status.HTTP_403_FORBIDDEN,
            )
        try:
            bbox = parse_bbox(request.query_params.get("bbox"))
        except BboxError as exc:
            return _bad_request("invalid_bbox", str(exc), "bbox")
        raw_limit = (request.query_params.get("limit") or "").strip()
        limit = None
        if raw_limit:
            if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 50_000:
                return _bad_request("invalid_limit", _("limit 须为 1 到 50000 之间的整数。"), "limit")
            limit = int(raw_limit)
        try:
            body = layers.layer_geojson(request.user, self.layer, bbox, limit, request.query_params)
        except layers.LayerError as exc:
            return _bad_request(exc.code, exc.message, exc.field)
        return geojson_response(request, body)
