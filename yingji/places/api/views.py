from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from yingji.framework.api import ScopedModelViewSet
from yingji.places import services
from yingji.places.api.serializers import PlaceBriefSerializer, PlaceSerializer
from yingji.places.filtersets import PlaceFilterSet
from yingji.places.models import Place


class PlaceViewSet(ScopedModelViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    ordering_fields = ["code", "name", "population"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("geometry") != "1":
            qs = qs.defer("boundary")
        return qs

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.action == "list" and self.request.query_params.get("geometry") != "1":
            child = getattr(serializer, "child", None)
            if child is not None:
                child.fields.pop("boundary", None)
        return serializer

    @extend_schema(
        parameters=[
            OpenApiParameter("lon", float),
            OpenApiParameter("lat", float),
            OpenApiParameter("level", str, enum=["village", "town", "county"]),
        ],
        responses=PlaceBriefSerializer,
    )
    @action(detail=False, methods=["get"])
    def locate(self, request):
        """The village (or town/county) that contains a point, if the user may see it."""
        try:
            lon, lat = float(request.query_params["lon"]), float(request.query_params["lat"])
        except (KeyError, ValueError) as exc:
            raise ValidationError(
                {"lon": ["请提供数值型经纬度 lon 和 lat，例如 lon=120.89&lat=31.98。"]}
            ) from exc
        level = request.query_params.get("level", "village")
        if level not in ("village", "town", "county"):
            raise ValidationError({"level": ["level 只能是 village、town 或 county。"]})
        pk = services.locate_point_id(lon, lat, level)
        place = self.get_queryset().filter(pk=pk).first() if pk else None
        if place is None:
            return Response(
                {"error": {"code": "not_found", "message": "该坐标不在您可见的任何区划内。"}}, status=404
            )
        return Response(PlaceBriefSerializer(place).data)
