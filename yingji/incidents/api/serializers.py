from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.incidents.choices import ResponseLevel, Status
from yingji.incidents.models import (
    DepartmentDuty,
    Incident,
    IncidentChecklistItem,
    IncidentReview,
    PlanDuty,
    Reminder,
    ResponsePlan,
    TimelineEntry,
)

_STAMPS = ["created", "updated"]


class IncidentSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="发生地的12位区划代码")

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "title",
            "category",
            "event_type",
            "place",
            "address",
            "longitude",
            "latitude",
            "enterprise",
            "occurred_at",
            "received_at",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "trapped",
            "evacuated",
            "direct_loss_wan",
            "grade",
            "response_level",
            "status",
            "description",
            "measures",
            "commander",
            "command_post",
            "command_post_longitude",
            "command_post_latitude",
            "responded_at",
            "closed_at",
            *_STAMPS,
        ]
        # level, status and command have their own actions (timeline entries, state machine)
        read_only_fields = [
            "number",
            "category",
            "response_level",
            "status",
            "commander",
            "command_post",
            "command_post_longitude",
            "command_post_latitude",
            "responded_at",
            "closed_at",
            *_STAMPS,
        ]


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "kind", "text", "actor", "link"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by = serializers.StringRelatedField()

    class Meta:
        model = IncidentChecklistItem
        fields = ["id", "level", "order", "role", "department", "who", "text", "due_at", "done_at", "done_by"]


class ReminderSerializer(serializers.ModelSerializer):
    acknowledged_by = serializers.StringRelatedField()

    class Meta:
        model = Reminder
        fields = [
            "id",
            "incident",
            "level",
            "department",
            "person",
            "user",
            "recipient",
            "duties",
            "sent_at",
            "acknowledged_at",
            "acknowledged_by",
        ]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentReview
        fields = ["summary", "causes", "went_well", "improvements", "lessons", "participants", "reviewed_at"]
        extra_kwargs = {"reviewed_at": {"required": False}}


class LevelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=[("", "解除")] + list(ResponseLevel.choices), allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class CasualtiesSerializer(serializers.Serializer):
    deaths = serializers.IntegerField(min_value=0, required=False)
    missing = serializers.IntegerField(min_value=0, required=False)
    serious_injuries = serializers.IntegerField(min_value=0, required=False)
    minor_injuries = serializers.IntegerField(min_value=0, required=False)
    trapped = serializers.IntegerField(min_value=0, required=False)
    evacuated = serializers.IntegerField(min_value=0, required=False)
    direct_loss_wan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)


class CommandSerializer(serializers.Serializer):
    commander = serializers.CharField(required=False, allow_blank=True, max_length=60)
    command_post = serializers.CharField(required=False, allow_blank=True, max_length=200)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    decision = serializers.BooleanField(required=False, default=False)


class NotifySerializer(serializers.Serializer):
    subject = serializers.CharField(required=False, allow_blank=True, max_length=200)
    body = serializers.CharField(required=False, allow_blank=True)
    users = serializers.ListField(child=serializers.IntegerField(), required=False)
    persons = serializers.ListField(child=serializers.IntegerField(), required=False)
    places = serializers.ListField(child=serializers.CharField(), required=False, help_text="区划代码")
    departments = serializers.ListField(child=serializers.IntegerField(), required=False)
    mobiles = serializers.ListField(child=serializers.CharField(), required=False, help_text="其他手机号码")
    channels = serializers.ListField(child=serializers.CharField(), required=False)


class TickSerializer(serializers.Serializer):
    done = serializers.BooleanField(required=False, default=True)


class ResponsePlanSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="制定方案的地区的12位区划代码")
    step_list = serializers.SerializerMethodField()

    class Meta:
        model = ResponsePlan
        fields = [
            "id",
            "name",
            "place",
            "category",
            "event_type",
            "level",
            "steps",
            "step_list",
            "source",
            "active",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS

    def get_step_list(self, obj) -> list:
        return obj.step_list()


class PlanDutySerializer(ScopedSerializer):
    class Meta:
        model = PlanDuty
        fields = [
            "id",
            "plan",
            "order",
            "role",
            "department",
            "department_kind",
            "task",
            "time_limit_minutes",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class DepartmentDutySerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="部门所在地区的12位区划代码")

    class Meta:
        model = DepartmentDuty
        fields = [
            "id",
            "place",
            "department",
            "department_kind",
            "category",
            "event_type",
            "duties",
            "source",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS
