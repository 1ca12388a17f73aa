from rest_framework import serializers

from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord, CheckResult
from yingji.framework.api import ScopedSerializer

_STAMPS = ["created", "updated"]


class CheckPlanSerializer(ScopedSerializer):
    class Meta:
        model = CheckPlan
        fields = [
            "id",
            "enterprise",
            "name",
            "post",
            "frequency",
            "responsible",
            "start_date",
            "active",
            "note",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class CheckItemSerializer(ScopedSerializer):
    class Meta:
        model = CheckItem
        fields = ["id", "plan", "order", "text", "category", "basis", *_STAMPS]
        read_only_fields = _STAMPS


class CheckResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckResult
        fields = ["item", "ok", "note", "hazard"]


class CheckRecordSerializer(ScopedSerializer):
    results = CheckResultSerializer(many=True, read_only=True)
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = CheckRecord
        fields = [
            "id",
            "plan",
            "period_start",
            "period_label",
            "performed_at",
            "performed_by",
            "performer_name",
            "problems",
            "note",
            "results",
            *_STAMPS,
        ]
        read_only_fields = ["plan", "period_start", "performed_at", "performed_by", "problems", *_STAMPS]


class ResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    ok = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    report_hazard = serializers.BooleanField(required=False, default=False, help_text="不正常时上报为隐患")


class RecordCheckSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    period = serializers.DateField(required=False, help_text="检查日期（按其所在日/周/月登记）；默认今天")
    performed_at = serializers.DateTimeField(required=False)
    performer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    results = ResultInputSerializer(many=True)


class MissedPlanSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    frequency = serializers.CharField()
    missed = serializers.ListField(child=serializers.CharField())
    current = serializers.CharField()
    current_done = serializers.BooleanField()


class MissedEnterpriseSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()
    place = serializers.CharField()
    plans = serializers.IntegerField()
    active = serializers.IntegerField()
    missed = serializers.IntegerField()
    last_check = serializers.DateTimeField(allow_null=True)
