from rest_framework import serializers

from yingji.deadlines.choices import CalendarDayKind
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.api import PlaceCodeField, ScopedSerializer

_STAMPS = ["created", "updated"]


class DeadlineSerializer(ScopedSerializer):
    """A tracked due date (read-only: modules create deadlines through ``yingji.deadlines.services.track``)."""

    # a plain string: the rule codes are registered at run time by the modules (no fixed enum)
    rule = serializers.CharField(read_only=True, help_text="期限规则代码，如 hazards.rectify_general")
    rule_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_type = serializers.CharField(read_only=True, help_text="对象类型，如 orgs.enterprise")
    item_id = serializers.CharField(source="object_id", read_only=True)
    place = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="所属地区的12位区划代码"
    )
    listed_by = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="挂牌督办单位的区划代码；未挂牌为 null"
    )
    is_past_due = serializers.BooleanField(read_only=True)
    met_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "title",
            "rule",
            "rule_label",
            "item_type",
            "item_id",
            "status",
            "status_label",
            "start_at",
            "due_at",
            "due_computed",
            "calendar_estimated",
            "is_past_due",
            "met_late",
            "responsible",
            "supervisor",
            "place",
            "enterprise",
            "remind_at",
            "reminded_at",
            "escalate_at",
            "escalated_at",
            "met_at",
            "cancelled_at",
            "cancel_reason",
            "listed_by",
            "listed_at",
            "supervision_note",
            *_STAMPS,
        ]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="撤销原因")


class ListForSupervisionSerializer(serializers.Serializer):
    level_place = PlaceCodeField(help_text="挂牌督办的市/县（区）/镇（街道）的12位区划代码")
    due_at = serializers.DateTimeField(required=False, allow_null=True, help_text="新的督办时限；省略则沿用")
    note = serializers.CharField(required=False, allow_blank=True, help_text="督办要求")


class CalendarDaySerializer(ScopedSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name", "note", *_STAMPS]
        read_only_fields = _STAMPS


class CalendarRangeSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="开始日期")
    end = serializers.DateField(help_text="结束日期（含）")
    kind = serializers.ChoiceField(choices=CalendarDayKind.choices)
    name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.CharField(
        help_text="起算日期或时间（ISO 8601），如 2026-11-23 或 2026-11-23T10:00:00+08:00"
    )
    n = serializers.IntegerField(min_value=0, max_value=10_000, help_text="期限数")
    unit = serializers.ChoiceField(
        choices=["working_days", "calendar_days", "hours"],
        default="working_days",
        required=False,
        help_text="期限单位：工作日（默认）、自然日或小时",
    )

    def validate_start(self, value):
        from django.utils.dateparse import parse_date, parse_datetime

        try:
            parsed = parse_datetime(value) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise serializers.ValidationError(
                "起算时间格式应为 2026-11-23 或 2026-11-23T10:00:00+08:00。", code="invalid_start"
            )
        return parsed
