from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yingji.accounts.models import Person
from yingji.duty.models import (
    DutyRoom,
    Handover,
    HandoverItem,
    RollCall,
    RosterTemplate,
    Shift,
    ShiftMember,
    SwapRequest,
)
from yingji.framework.api import PlaceCodeField, ScopedSerializer

_STAMPS = ["created", "updated"]


class DutyRoomSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="所属地区的12位区划代码（市、县区或乡镇街道）")

    class Meta:
        model = DutyRoom
        fields = ["id", "name", "place", "department", "phone", "parent", "handover_time", *_STAMPS]
        read_only_fields = ["parent", *_STAMPS]


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class PersonIdsField(serializers.Field):
    """A rotation list as person ids (read-only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [p.pk for p in value.all()]


class RosterTemplateSerializer(ScopedSerializer):
    leaders = PersonIdsField()
    officers = PersonIdsField()
    standby = PersonIdsField()
    holiday_leaders = PersonIdsField()
    holiday_officers = PersonIdsField()

    class Meta:
        model = RosterTemplate
        fields = [
            "id",
            "room",
            "name",
            "anchor",
            "leaders",
            "officers",
            "officers_per_shift",
            "standby",
            "standby_per_shift",
            "holiday_mode",
            "holiday_leaders",
            "holiday_officers",
            "holiday_leader_required",
            *_STAMPS,
        ]
        read_only_fields = fields


class ShiftMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = ShiftMember
        fields = ["role", "person", "name"]


class ShiftSerializer(ScopedSerializer):
    members = ShiftMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Shift
        fields = [
            "id",
            "room",
            "date",
            "starts_at",
            "ends_at",
            "kind",
            "day_name",
            "leader_required",
            "edited",
            "template",
            "notes",
            "members",
            *_STAMPS,
        ]
        read_only_fields = fields


class SwapRequestSerializer(ScopedSerializer):
    class Meta:
        model = SwapRequest
        fields = [
            "id",
            "shift",
            "from_person",
            "to_person",
            "counter_shift",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
            *_STAMPS,
        ]
        read_only_fields = ["status", "requested_by", "decided_by", "decided_at", "decision_note", *_STAMPS]


class SwapCreateSerializer(serializers.Serializer):
    """A swap request. The shift anchors the request's scope: outside it the service answers 403
    ``out_of_scope`` (like every create outside scope); a ``to_person`` outside the caller's scope
    is refused by the service (400 ``person_out_of_scope``)."""

    shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.select_related("room__place"))
    from_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    to_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    counter_shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=200)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItem
        fields = ["id", "text", "status", "closed_at"]


class HandoverSerializer(ScopedSerializer):
    carried = HandoverItemSerializer(many=True, read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "room",
            "from_shift",
            "to_shift",
            "handed_at",
            "summary",
            "handed_by",
            "carried",
            *_STAMPS,
        ]
        read_only_fields = fields


class HandoverCreateSerializer(serializers.Serializer):
    from_shift = serializers.PrimaryKeyRelatedField(queryset=Shift.objects.select_related("room__place"))
    summary = serializers.CharField()
    new_items = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    close_items = serializers.ListField(child=serializers.IntegerField(), required=False)


class RollCallSerializer(ScopedSerializer):
    answer_seconds = serializers.FloatField(read_only=True)

    class Meta:
        model = RollCall
        fields = [
            "id",
            "caller",
            "room",
            "called_at",
            "due_at",
            "origin",
            "called_by",
            "status",
            "answered_at",
            "answered_by",
            "answer_note",
            "answer_seconds",
            *_STAMPS,
        ]
        read_only_fields = fields


class CallSerializer(serializers.Serializer):
    caller = serializers.PrimaryKeyRelatedField(queryset=DutyRoom.objects.all(), help_text="点名的上级值班室")
