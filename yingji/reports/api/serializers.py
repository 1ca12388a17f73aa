from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.reports.choices import RewardDecision
from yingji.reports.models import PublicReport


class PublicReportSerializer(ScopedSerializer):
    place = PlaceCodeField(required=False)
    tracking_code = serializers.CharField(read_only=True)
    photos = serializers.SerializerMethodField()
    open_due_at = serializers.DateTimeField(read_only=True, required=False, help_text="未办结期限的办理时限")

    class Meta:
        model = PublicReport
        fields = [
            "id",
            "tracking_code",
            "kind",
            "title",
            "description",
            "enterprise_name",
            "address",
            "longitude",
            "latitude",
            "place",
            "department",
            "status",
            "submitted_at",
            "reporter_name",
            "reporter_mobile",
            "accepted_at",
            "rejected_at",
            "reject_reason",
            "hazard",
            "clue",
            "clue_text",
            "clue_at",
            "reward_decision",
            "reward_amount",
            "reward_decided_on",
            "reward_decided_by",
            "reward_note",
            "result",
            "closed_at",
            "handling_note",
            "open_due_at",
            "photos",
            "created",
            "updated",
        ]
        # what the public wrote is kept as written; officers change only routing and their own record
        read_only_fields = [
            f
            for f in fields
            if f not in ("place", "department", "handling_note", "photos", "open_due_at", "tracking_code")
        ]

    def get_photos(self, obj) -> list[str]:
        from django.urls import reverse

        return [reverse("reports:photo", args=[p.pk]) for p in obj.photos.all()]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClueSerializer(serializers.Serializer):
    text = serializers.CharField()


class CloseSerializer(serializers.Serializer):
    result = serializers.CharField()


class RewardSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=RewardDecision.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConvertSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False, allow_null=True, help_text="企业编号（选填）")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, default="")
