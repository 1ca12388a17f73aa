from collections.abc import Mapping

from django.urls import reverse
from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.hazards import workflow
from yingji.hazards.choices import Grade, PhotoStage
from yingji.hazards.criteria import STANDARDS
from yingji.hazards.models import Hazard, HazardEvent, HazardPhoto, RectificationPlan
from yingji.hazards.services import EDITABLE_FIELDS
from yingji.orgs.models import Enterprise
from yingji.places.models import Place

#: the fields a report (POST /api/v1/hazards/) may set; everything else is set by the steps of the loop
REPORT_FIELDS = (
    "title",
    "description",
    "source",
    "kind",
    "disaster_type",
    "place",
    "enterprise",
    "found_at",
    "category",
    "longitude",
    "latitude",
    "address",
    "finder_name",
)


class HazardSerializer(ScopedSerializer):
    """A hazard. ``POST`` reports one (``report_hazard``); ``PATCH`` corrects its descriptive fields;
    the steps of the loop are the POST actions (``confirm``, ``assign`` …)."""

    place = PlaceCodeField(
        required=False,
        queryset=Place.objects.defer("boundary"),  # the outline is not needed to report (and is large)
        help_text="所在村（社区）的12位区划代码；企业隐患取企业所在地",
    )
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, help_text="企业编号"
    )
    supervised_by = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="整改已逾期")
    next_steps = serializers.SerializerMethodField(help_text="当前用户现在可执行的步骤")

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "disaster_type",
            "source",
            "status",
            "status_label",
            "grade",
            "major_standard",
            "major_criterion",
            "enterprise",
            "place",
            "department",
            "address",
            "longitude",
            "latitude",
            "description",
            "category",
            "found_at",
            "finder_name",
            "immediate",
            "responsible",
            "responsible_unit",
            "measures",
            "funds",
            "due_at",
            "contingency_plan",
            "rectification_note",
            "dismiss_reason",
            "review_levels",
            "reviews_passed",
            "confirmed_at",
            "rectified_at",
            "verified_at",
            "closed_at",
            "supervised_by",
            "supervised_at",
            "supervision_due_at",
            "overdue",
            "next_steps",
            "created",
            "updated",
        ]
        read_only_fields = [f for f in fields if f not in REPORT_FIELDS]
        extra_kwargs = {
            "source": {"required": False},
            "title": {"required": False, "allow_blank": True},
            "found_at": {"required": False},
        }

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        from yingji.hazards.filtersets import RUNNING

        return bool(obj.status in RUNNING and obj.due_at and obj.due_at < timezone.now())

    def get_next_steps(self, obj) -> list[str]:
        request = self.context.get("request")
        return [str(s) for s in workflow.next_steps(request.user, obj)] if request else []

    def validate(self, attrs):
        if self.instance is not None:
            fixed = sorted(set(self.initial_data) - set(EDITABLE_FIELDS) - {"id"})
            if fixed:
                raise serializers.ValidationError(
                    {
                        name: serializers.ErrorDetail("该字段只能通过处置步骤修改。", code="not_editable")
                        for name in fixed
                    }
                )
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        source = data.pop("source", None) or ""
        return workflow.report_hazard(actor=self.context["request"].user, source=source, **data)


class HazardEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = HazardEvent
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "at",
            "note",
            "data",
            "photos",
        ]
        read_only_fields = fields

    def get_photos(self, obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class HazardPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="照片地址（需登录，按权限提供）")

    class Meta:
        model = HazardPhoto
        fields = ["id", "stage", "caption", "event", "uploaded_by", "created", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("hazards:photo", args=[obj.pk])


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationPlan
        fields = list(RectificationPlan.ELEMENTS)


# --- request bodies of the actions (all optional here: the workflow reports what is missing) -------------
def _text(**kw):
    return serializers.CharField(required=False, allow_blank=True, default="", **kw)


class ConfirmBody(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
    major_standard = serializers.ChoiceField(
        choices=sorted(STANDARDS),
        required=False,
        allow_blank=True,
        default="",
        help_text="重大隐患判定标准代码",
    )
    major_criterion = _text(help_text="符合判定标准的条款或情形")
    note = _text()


class DismissBody(serializers.Serializer):
    reason = _text(help_text="不予认定理由（必填）")


class AssignBody(serializers.Serializer):
    responsible = serializers.IntegerField(
        required=False, allow_null=True, help_text="整改责任人（人员编号）"
    )
    responsible_unit = _text()
    measures = _text(help_text="整改措施")
    funds = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="整改资金（万元）"
    )
    due_at = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="整改期限，如 2026-12-31"
    )
    contingency_plan = _text(help_text="应急预案（防范措施）")
    plan = PlanSerializer(required=False, help_text="重大隐患的治理方案（六项内容）", partial=True)
    note = _text()

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "expected a dictionary" error
        plan = data.get("plan")
        value = super().to_internal_value({k: v for k, v in data.items() if k != "plan"})
        value["plan"] = plan if isinstance(plan, dict) else None
        return value


class NoteBody(serializers.Serializer):
    note = _text()


class EvidenceBody(serializers.Serializer):
    evidence = _text(help_text="整改证据（文字说明）")


class VerifyBody(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 通过；false 不通过（退回整改，须写明原因）")
    note = _text()


class SuperviseBody(serializers.Serializer):
    level_place = PlaceCodeField(help_text="挂牌督办的市/县（区）/镇（街道）的12位区划代码")
    due_at = serializers.CharField(help_text="督办时限，如 2027-01-31")
    note = _text(help_text="督办要求")


class PhotoBody(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices, default=PhotoStage.FOUND)
    image = serializers.FileField(help_text="JPG/PNG/WebP 照片")
    caption = _text()
