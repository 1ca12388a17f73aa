from rest_framework import serializers

from yingji.dispatch.models import Task, TaskUpdate
from yingji.framework.api import ScopedSerializer


class TaskUpdateSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = TaskUpdate
        fields = ["id", "action", "at", "percent", "note", "by"]


class TaskSerializer(ScopedSerializer):
    """A dispatch task. Create = dispatch (exactly one of ``team``, ``assignee_department``, ``person``
    matching ``assignee_kind``); PATCH changes only ``title``, ``instructions``, ``due_at``,
    ``headcount_sent``, ``vehicles_sent`` of an open task. Steps are POST actions."""

    assignee_name = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "incident",
            "title",
            "instructions",
            "assignee_kind",
            "team",
            "assignee_department",
            "person",
            "assignee_name",
            "department",
            "due_at",
            "status",
            "percent",
            "dispatched_at",
            "dispatched_by",
            "acknowledged_at",
            "acknowledged_by",
            "headcount_sent",
            "vehicles_sent",
            "departed_at",
            "arrived_at",
            "completed_at",
            "completed_by",
            "result",
            "cancelled_at",
            "cancel_reason",
            "is_overdue",
            "url",
        ]
        read_only_fields = ["department", "dispatched_by", "acknowledged_by", "completed_by"]

    def get_assignee_name(self, obj) -> str:
        return str(obj.assignee or "")


class TaskDetailSerializer(TaskSerializer):
    updates = TaskUpdateSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "updates"]


class StepSerializer(serializers.Serializer):
    """Input of the step actions: only the fields the step reads are used."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    percent = serializers.IntegerField(required=False, allow_null=True)
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="出发/到达的实际时间，默认为现在"
    )
    headcount = serializers.IntegerField(required=False, allow_null=True)
    vehicles = serializers.IntegerField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
