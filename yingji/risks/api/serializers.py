from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.risks.choices import ACCIDENT_TYPES
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)

_STAMPS = ["created", "updated"]
_ASSESSMENT = [
    "accident_types",
    "method",
    "lec_l",
    "lec_e",
    "lec_c",
    "ls_l",
    "ls_s",
    "score",
    "level",
    "colour",
]
_READ = [*_STAMPS, "score", "level", "colour"]


class RiskPointSerializer(ScopedSerializer):
    accident_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ACCIDENT_TYPES),
        allow_empty=False,
        help_text="GB 6441-1986 事故类型代码",
    )
    colour = serializers.CharField(read_only=True, help_text="red / orange / yellow / blue")

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "enterprise",
            "name",
            "area",
            "unit",
            "post",
            "hazard_factors",
            *_ASSESSMENT,
            "control_level",
            "responsible_name",
            "responsible_unit",
            "review_date",
            "plan_x",
            "plan_y",
            *_STAMPS,
        ]
        read_only_fields = [*_READ, "plan_x", "plan_y"]


class ControlMeasureSerializer(ScopedSerializer):
    class Meta:
        model = ControlMeasure
        fields = ["id", "risk_point", "kind", "content", "responsible_name", *_STAMPS]
        read_only_fields = _STAMPS


class RiskProfileSerializer(ScopedSerializer):
    colour = serializers.CharField(read_only=True, help_text="red / orange / yellow / blue")
    has_site_plan = serializers.SerializerMethodField()

    class Meta:
        model = RiskProfile
        fields = [
            "id",
            "enterprise",
            "level",
            "colour",
            "base_level",
            "raised_by",
            "reason",
            "major_count",
            "large_count",
            "general_count",
            "low_count",
            "has_site_plan",
            "computed_at",
            "change_due_since",
            "note",
            *_STAMPS,
        ]
        read_only_fields = [
            *_STAMPS,
            "level",
            "base_level",
            "raised_by",
            "reason",
            "computed_at",
            "change_due_since",
        ]

    def get_has_site_plan(self, obj) -> bool:
        return bool(obj.site_plan)


class RiskReportSerializer(ScopedSerializer):
    class Meta:
        model = RiskReport
        fields = [
            "id",
            "enterprise",
            "kind",
            "period",
            "reason",
            "note",
            "submitted_at",
            "submitted_by",
            "late",
            "major_count",
            "large_count",
            "snapshot",
            *_STAMPS,
        ]
        validators: list = []  # one periodic report per period: checked by submit_report (code period_reported)
        read_only_fields = [
            *_STAMPS,
            "submitted_at",
            "submitted_by",
            "late",
            "major_count",
            "large_count",
            "snapshot",
        ]


class RegionRiskSerializer(ScopedSerializer):
    place = PlaceCodeField()
    accident_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ACCIDENT_TYPES), allow_empty=False
    )
    colour = serializers.CharField(read_only=True, help_text="red / orange / yellow / blue")

    class Meta:
        model = RegionRisk
        fields = [
            "id",
            "place",
            "department",
            "name",
            "category",
            "location",
            "description",
            *_ASSESSMENT,
            "responsible_unit",
            "responsible_name",
            "review_date",
            *_STAMPS,
        ]
        read_only_fields = _READ


class RegionRiskMeasureSerializer(ScopedSerializer):
    class Meta:
        model = RegionRiskMeasure
        fields = ["id", "region_risk", "kind", "content", "responsible_unit", *_STAMPS]
        read_only_fields = _STAMPS


class PositionSerializer(serializers.Serializer):
    plan_x = serializers.FloatField(min_value=0, max_value=100, allow_null=True)
    plan_y = serializers.FloatField(min_value=0, max_value=100, allow_null=True)
