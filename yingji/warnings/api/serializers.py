from django.urls import reverse
from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.messaging.choices import ChannelCode
from yingji.orgs.catalogues import INDUSTRY_CHOICES, RISK_FLAGS
from yingji.places.models import Place
from yingji.warnings.choices import Level, TargetGroup
from yingji.warnings.models import (
    Consultation,
    Subscription,
    Warning,
    WarningEvent,
    WorkPrompt,
    WorkPromptAck,
)

_STAMPS = ["created", "updated"]


def _flags(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False)


class WarningEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WarningEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "note"]


class WarningSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="发布区域（发布单位所辖区划）的12位区划代码")
    area_places = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Place.objects.all(),
        help_text="预警区域的区划代码",
    )
    target_groups = _flags(TargetGroup.choices)
    industries = _flags(INDUSTRY_CHOICES)
    risk_flags = _flags(RISK_FLAGS)
    channels = _flags(ChannelCode.choices)
    cap_url = serializers.SerializerMethodField()

    class Meta:
        model = Warning
        fields = [
            "id",
            "identifier",
            "msg_type",
            "references",
            "origin",
            "status",
            "warning_type",
            "level",
            "issuer",
            "sender_name",
            "headline",
            "description",
            "instruction",
            "effective_at",
            "expires_at",
            "sent_at",
            "place",
            "area_places",
            "area_polygon",
            "area_circle_latitude",
            "area_circle_longitude",
            "area_circle_radius_km",
            "area_description",
            "target_groups",
            "industries",
            "risk_flags",
            "channels",
            "created_by",
            "cap_url",
            *_STAMPS,
        ]
        read_only_fields = [
            "identifier",
            "msg_type",
            "references",
            "origin",
            "status",
            "sent_at",
            "created_by",
            *_STAMPS,
        ]

    def get_cap_url(self, obj) -> str:
        return f"/api/v1/warnings/{obj.pk}/cap/"

    def create(self, validated_data):
        from yingji.warnings.lifecycle import save_warning

        places = validated_data.pop("area_places", None)
        return save_warning(Warning(**validated_data), actor=self.context["request"].user, area_places=places)

    def update(self, instance, validated_data):
        from yingji.warnings.lifecycle import save_warning

        places = validated_data.pop("area_places", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_warning(instance, actor=self.context["request"].user, area_places=places)


class WarningDetailSerializer(WarningSerializer):
    events = WarningEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(WarningSerializer.Meta):
        fields = [*WarningSerializer.Meta.fields, "events", "allowed_actions"]

    def get_allowed_actions(self, obj) -> list[str]:
        from yingji.warnings.lifecycle import allowed_actions

        return allowed_actions(self.context["request"].user, obj)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class UpdateSerializer(serializers.Serializer):
    """Fields the update (msgType Update) changes; the rest are copied from the published warning."""

    level = serializers.ChoiceField(choices=Level.choices, required=False)
    headline = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False)
    instruction = serializers.CharField(required=False, allow_blank=True)
    effective_at = serializers.DateTimeField(required=False)
    expires_at = serializers.DateTimeField(required=False)


class CapImportSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CAP 1.2 XML 文件")
    xml = serializers.CharField(required=False, help_text="或直接提交 XML 文本")


class SubscriptionSerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "place",
            "channel",
            "address",
            "name",
            "confirmed",
            "confirmed_at",
            "active",
            *_STAMPS,
        ]
        read_only_fields = ["confirmed", "confirmed_at", *_STAMPS]


class ConsultationSerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "kind",
            "title",
            "held_at",
            "place",
            "chair",
            "departments",
            "inputs",
            "conclusions",
            "created_by",
            *_STAMPS,
        ]
        read_only_fields = ["created_by", *_STAMPS]

    def create(self, validated_data):
        departments = validated_data.pop("departments", None)
        obj = super().create(validated_data)
        if departments is not None:
            obj.departments.set(departments)
        return obj

    def update(self, instance, validated_data):
        departments = validated_data.pop("departments", None)
        obj = super().update(instance, validated_data)
        if departments is not None:
            obj.departments.set(departments)
        return obj


class WorkPromptAckSerializer(serializers.ModelSerializer):
    target_place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WorkPromptAck
        fields = ["id", "target_place", "department", "acknowledged_by", "acknowledged_at", "note"]


class WorkPromptSerializer(ScopedSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target_places = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Place.objects.all()
    )
    acks = WorkPromptAckSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = WorkPrompt
        fields = [
            "id",
            "consultation",
            "number",
            "title",
            "content",
            "target_places",
            "target_departments",
            "place",
            "issued_at",
            "issued_by",
            "acks",
            "pdf_url",
            *_STAMPS,
        ]
        read_only_fields = ["issued_at", "issued_by", *_STAMPS]

    def get_pdf_url(self, obj) -> str:
        return reverse("warnings:workprompt_pdf", args=[obj.pk])

    def _m2m(self, obj, data):
        for name in ("target_places", "target_departments"):
            if data.get(name) is not None:
                getattr(obj, name).set(data[name])
        return obj

    def create(self, validated_data):
        m2m = {k: validated_data.pop(k, None) for k in ("target_places", "target_departments")}
        return self._m2m(super().create(validated_data), m2m)

    def update(self, instance, validated_data):
        m2m = {k: validated_data.pop(k, None) for k in ("target_places", "target_departments")}
        return self._m2m(super().update(instance, validated_data), m2m)
