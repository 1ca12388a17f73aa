"""GeoJSON endpoints of the map "一张图": the map's layers, read through the access filter."""

import gzip

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.views import APIView

from yingji.dashboard import layers
from yingji.orgs.catalogues import SECTIONS
from yingji.orgs.choices import INDUSTRY_CHOICES, RISK_FLAGS, OperatingStatus, Scale
from yingji.orgs.filtersets import EnterpriseFilterSet
from yingji.orgs.models import Enterprise
from yingji.places.models import Place

GEOJSON = "application/geo+json"
#: Responses larger than this are gzip-compressed for clients that accept it.
GZIP_MIN_BYTES = 2048


def geojson_response(request, body: str) -> HttpResponse:
    """A GeoJSON body, gzip-compressed when the client accepts it (layers compress about 5:1)."""
    data = body.encode()
    response = HttpResponse(content_type=GEOJSON)
    if len(data) >= GZIP_MIN_BYTES and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        data = gzip.compress(data, compresslevel=5)
        response["Content-Encoding"] = "gzip"
    response.content = data
    response["Content-Length"] = str(len(data))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _bbox(request):
    try:
        return layers.parse_bbox(request.query_params.get("bbox"))
    except layers.BboxError as exc:
        raise ValidationError({"bbox": [ErrorDetail(str(exc), code="invalid_bbox")]}) from exc


def _geometry_schema(kinds):
    return {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"type": "string", "enum": kinds}, "coordinates": {"type": "array"}},
    }


def _collection_schema(properties: dict, kinds: list[str]) -> dict:
    return {
        "type": "object",
        "description": "RFC 7946 FeatureCollection (WGS84, coordinates in longitude, latitude order)",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "properties", "geometry"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "integer"},
                        "properties": {"type": "object", "properties": properties},
                        "geometry": _geometry_schema(kinds),
                    },
                },
            },
        },
    }


PLACE_COLLECTION = _collection_schema(
    {
        "id": {"type": "integer"},
        "code": {"type": "string", "description": "12位统计用区划代码"},
        "name": {"type": "string"},
        "level": {"type": "string", "enum": list(layers.LEVELS)},
        "population": {"type": "integer", "nullable": True, "description": "常住人口"},
    },
    ["Polygon", "MultiPolygon"],
)

ENTERPRISE_COLLECTION = _collection_schema(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "risk_flags": {"type": "array", "items": {"type": "string", "enum": [c for c, _l in RISK_FLAGS]}},
        "industry": {"type": "string", "description": "GB/T 4754-2017 行业大类代码"},
        "operating_status": {"type": "string", "enum": list(OperatingStatus.values)},
        "place": {"type": "string", "description": "属地的12位统计用区划代码"},
        "place_name": {"type": "string"},
    },
    ["Point"],
)

BBOX_PARAMETER = OpenApiParameter(
    "bbox",
    OpenApiTypes.STR,
    description="Only features meeting this box: minlon,minlat,maxlon,maxlat (WGS84), e.g. 120.8,31.9,121.0,32.1",
)
ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}


class MapPlacesView(APIView):
    """Administrative boundaries of one level that the user may see, as GeoJSON."""

    queryset = Place.objects.none()  # RolePermission: the user needs the view right on places

    @extend_schema(
        operation_id="map_places",
        tags=["map"],
        summary="一张图：行政区划边界图层 (GeoJSON)",
        description="Boundaries of the visible places of one level. County and town outlines are simplified "
        "(shared edges kept); village outlines are sent as stored, so ask for them with a bbox. Places "
        "without a boundary are left out.",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(layers.LEVELS), default="county"),
            BBOX_PARAMETER,
        ],
        responses={(200, GEOJSON): PLACE_COLLECTION, **ERRORS},
    )
    def get(self, request):
        level = request.query_params.get("level", "county")
        if level not in layers.LEVELS:
            raise ValidationError(
                {
                    "level": [
                        ErrorDetail(_("level 只能是 city、county、town 或 village。"), code="invalid_level")
                    ]
                }
            )
        body = layers.places_geojson(request.user, level, _bbox(request))
        return geojson_response(request, body)


class MapEnterprisesView(APIView):
    """Enterprises with a location that the user may see, as GeoJSON points."""

    queryset = Enterprise.objects.none()  # RolePermission: the user needs the view right on enterprises

    @extend_schema(
        operation_id="map_enterprises",
        tags=["map"],
        summary="一张图：企业点位图层 (GeoJSON)",
        description="Visible enterprises that have a location, filtered like the enterprise list "
        "(same filter set) and optionally by bbox. Not paginated: one FeatureCollection.",
        parameters=[
            OpenApiParameter(
                "risk_flag", OpenApiTypes.STR, enum=[c for c, _l in RISK_FLAGS], description="风险标记"
            ),
            BBOX_PARAMETER,
            OpenApiParameter("place", OpenApiTypes.STR, description="属地区划代码（含下级）"),
            OpenApiParameter("q", OpenApiTypes.STR, description="名称、统一社会信用代码或地址包含"),
            OpenApiParameter("industry", OpenApiTypes.STR, enum=[c for c, _l in INDUSTRY_CHOICES]),
            OpenApiParameter("section", OpenApiTypes.STR, enum=list(SECTIONS)),
            OpenApiParameter("scale", OpenApiTypes.STR, enum=list(Scale.values)),
            OpenApiParameter("operating_status", OpenApiTypes.STR, enum=list(OperatingStatus.values)),
            OpenApiParameter("regulator", OpenApiTypes.INT, description="监管部门编号"),
        ],
        responses={(200, GEOJSON): ENTERPRISE_COLLECTION, **ERRORS},
    )
    def get(self, request):
        bbox = _bbox(request)
        filterset = EnterpriseFilterSet(
            request.query_params, queryset=Enterprise.objects.visible_to(request.user), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(
                {
                    name: [
                        ErrorDetail(" ".join(e.messages), code=e.code or "invalid") for e in errors.as_data()
                    ]
                    for name, errors in filterset.errors.items()
                }
            )
        return geojson_response(request, layers.enterprises_geojson(filterset.qs, bbox))
