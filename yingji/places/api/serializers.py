from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.places.models import Place


class PlaceSerializer(ScopedSerializer):
    parent = PlaceCodeField(required=False, allow_null=True)
    place = serializers.CharField(source="code", read_only=True, help_text="同 code：12位统计用区划代码")

    class Meta:
        model = Place
        fields = [
            "id",
            "code",
            "place",
            "name",
            "level",
            "parent",
            "population",
            "area_km2",
            "centroid_lon",
            "centroid_lat",
            "boundary",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]


class PlaceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "code", "name", "level"]
