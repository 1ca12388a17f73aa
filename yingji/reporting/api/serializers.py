from rest_framework import serializers

from yingji.framework.api import DateTimeField, PlaceCodeField, ScopedSerializer
from yingji.incidents.models import Casualties, Incident
from yingji.orgs.models import Department
from yingji.reporting.choices import RecipientLevel, ReportKind
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport

_STAMPS = ["created", "updated"]


_COUNTS = list(Casualties.COUNT_FIELDS)
_CONTENT = ["unit_overview", "time_place_scene", "course", "measures", "other"]


class IncomingInfoSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="发生地的12位区划代码")
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.all(), required=False, allow_null=True, help_text="关联已有事件（留空新建）"
    )
    title = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)

    class Meta:
        model = IncomingInfo
        fields = [
            "id",
            "incident",
            "title",
            "source",
            "reporter_name",
            "reporter_phone",
            "reporter_unit",
            "received_at",
            "received_by",
            "category",
            "event_type",
            "place",
            "address",
            "longitude",
            "latitude",
            "occurred_at",
            *_COUNTS,
            "description",
            "unit_late",
            *_STAMPS,
        ]
        read_only_fields = ["received_by", "category", "unit_late", *_STAMPS]


class UpwardReportSerializer(ScopedSerializer):
    from_place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state = serializers.CharField(read_only=True)
    recipient_name = serializers.CharField(read_only=True)
    copies = serializers.SerializerMethodField(help_text="抄送部门的编号")

    def get_copies(self, obj) -> list[int]:
        return [d.pk for d in obj.copies.all()]

    class Meta:
        model = UpwardReport
        fields = [
            "id",
            "incident",
            "kind",
            "from_place",
            "from_department",
            "recipient_level",
            "to_place",
            "external_recipient",
            "recipient_name",
            "copies",
            "copy_note",
            "required",
            "rule",
            "basis",
            "period_date",
            "due_at",
            "reported_at",
            "reported_by",
            *_CONTENT,
            *_COUNTS,
            "late",
            "missed",
            "state",
            *_STAMPS,
        ]
        read_only_fields = fields


class MakeReportSerializer(serializers.Serializer):
    """Body of POST /reporting/reports/ (a new report) and /reporting/reports/{id}/submit/ (fill one)."""

    incident = serializers.PrimaryKeyRelatedField(queryset=Incident.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=ReportKind.choices, required=False)
    from_place = PlaceCodeField(required=False)
    from_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    recipient_level = serializers.ChoiceField(choices=RecipientLevel.choices, required=False)
    external_recipient = serializers.CharField(required=False, allow_blank=True, max_length=100)
    copies = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)
    copy_note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reported_at = DateTimeField(required=False)
    unit_overview = serializers.CharField(required=False, allow_blank=True)
    time_place_scene = serializers.CharField(required=False, allow_blank=True)
    course = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    other = serializers.CharField(required=False, allow_blank=True)
    deaths = serializers.IntegerField(required=False, min_value=0)
    missing = serializers.IntegerField(required=False, min_value=0)
    serious_injuries = serializers.IntegerField(required=False, min_value=0)
    minor_injuries = serializers.IntegerField(required=False, min_value=0)
    direct_loss_wan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)


class MisReportSerializer(ScopedSerializer):
    class Meta:
        model = MisReport
        fields = [
            "id",
            "incident",
            "report",
            "kind",
            "found_at",
            "found_by",
            "responsible_unit",
            "description",
            *_STAMPS,
        ]
        read_only_fields = ["found_by", *_STAMPS]


class StabiliseSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    stabilised_at = serializers.DateTimeField()


class SupervisionRowSerializer(serializers.Serializer):
    FIGURES = ("due", "on_time", "late", "missing", "incomplete", "on_time_rate", "late_rate", "missing_rate")

    place = serializers.CharField(help_text="报送地区的区划代码")
    place_name = serializers.CharField()
    due = serializers.IntegerField(help_text="应报")
    on_time = serializers.IntegerField(help_text="按时报送")
    late = serializers.IntegerField(help_text="迟报")
    missing = serializers.IntegerField(help_text="漏报（逾期未报）")
    incomplete = serializers.IntegerField(help_text="要素不全")
    on_time_rate = serializers.FloatField(help_text="按时率（%）")
    late_rate = serializers.FloatField(help_text="迟报率（%）")
    missing_rate = serializers.FloatField(help_text="漏报率（%）")


class SupervisionSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    rows = SupervisionRowSerializer(many=True)
