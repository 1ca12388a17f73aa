"""The "企业风险等级" layer of the map 一张图 (F8): every enterprise with a risk profile and a location,
coloured by its overall grade (分色分级: 红橙黄蓝), worst first. Read through the access filter."""

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.views import APIView

from yingji.dashboard import layers
from yingji.risks.choices import LEVEL_COLOURS, LEVEL_RANK, RiskLevel
from yingji.risks.models import RiskProfile

#: Most features in one response (the worst grades first).
LIMIT = 5000

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class RiskMapView(APIView):
    """Enterprises' overall risk grades as GeoJSON points."""

    queryset = RiskProfile.objects.none()  # RolePermission: the view right on risk profiles

    @extend_schema(
        operation_id="map_risks",
        tags=["map"],
        summary="一张图：企业风险等级图层 (GeoJSON)",
        parameters=[
            OpenApiParameter("bbox", OpenApiTypes.STR, description="minlon,minlat,maxlon,maxlat（WGS84）"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(RiskLevel.values)),
        ],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        try:
            bbox = layers.parse_bbox(request.query_params.get("bbox"))
        except layers.BboxError as exc:
            raise ValidationError({"bbox": [ErrorDetail(str(exc), code="invalid_bbox")]}) from exc
        qs = RiskProfile.objects.visible_to(request.user).filter(
            enterprise__longitude__isnull=False, enterprise__latitude__isnull=False
        )
        level = request.query_params.get("level")
        if level:
            if level not in RiskLevel.values:
                raise ValidationError(
                    {
                        "level": [
                            ErrorDetail(
                                _("风险等级应为 major、large、general 或 low。"), code="invalid_choice"
                            )
                        ]
                    }
                )
            qs = qs.filter(level=level)
        if bbox is not None:
            minlon, minlat, maxlon, maxlat = bbox
            qs = qs.filter(
                enterprise__longitude__gte=minlon,
                enterprise__longitude__lte=maxlon,
                enterprise__latitude__gte=minlat,
                enterprise__latitude__lte=maxlat,
            )
        rows = qs.values_list(
            "enterprise_id", "enterprise__name", "level", "enterprise__longitude", "enterprise__latitude"
        )
        rows = sorted(rows, key=lambda r: (-LEVEL_RANK.get(r[2], 0), r[0]))
        truncated = len(rows) > LIMIT
        rows = rows[:LIMIT]
        url = reverse("risks:enterprise_profile", args=[0]).replace("/0/", "/{id}/")
        labels = dict(RiskLevel.choices)
        parts = []
        for pk, name, level_code, lon, lat in rows:
            _code, colour_name, css = LEVEL_COLOURS.get(level_code, ("", "", "#6c757d"))
            props = {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)),
                "color": css,
                "level": level_code,
                "summary": f"{labels.get(level_code, '')}（{colour_name}）",
            }
            parts.append(
                f'{{"type":"Feature","id":{pk},"properties":{_encode(props)},'
                f'"geometry":{{"type":"Point","coordinates":[{round(lon, 6)!r},{round(lat, 6)!r}]}}}}'
            )
        body = (
            '{"type":"FeatureCollection","features":['
            + ",".join(parts)
            + f'],"limit":{LIMIT},"truncated":{"true" if truncated else "false"}}}'
        )
        return HttpResponse(body, content_type="application/geo+json")
