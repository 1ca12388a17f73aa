from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.resources.choices import CAPABILITIES, EXPERT_FIELDS, SHELTER_FACILITIES
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember

_STAMPS = ["created", "updated"]


class TeamSerializer(ScopedSerializer):
    place = PlaceCodeField(help_text="所属地区的12位区划代码")
    capabilities = serializers.ListField(child=serializers.ChoiceField(choices=CAPABILITIES), required=False)

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "specialty",
            "owner_department",
            "owner_name",
            "place",
            "address",
            "longitude",
            "latitude",
            "headcount",
            "capabilities",
            "equipment_summary",
            "readiness",
            "duty_name",
            "duty_mobile",
            "duty_phone",
            "notes",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class TeamMemberSerializer(ScopedSerializer):
    certificate_state = serializers.CharField(read_only=True)

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "team",
            "name",
            "position",
            "qualifications",
            "certificate_no",
            "certificate_expiry",
            "certificate_state",
            "mobile",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class ExpertSerializer(ScopedSerializer):
    place = PlaceCodeField()
    specialties = serializers.ListField(child=serializers.ChoiceField(choices=EXPERT_FIELDS), required=False)

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "specialties",
            "title",
            "organisation",
            "position",
            "place",
            "address",
            "longitude",
            "latitude",
            "mobile",
            "phone",
            "email",
            "availability",
            "notes",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class EquipmentSerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Equipment
        fields = [
            "id",
            "name",
            "kind",
            "model_spec",
            "quantity",
            "unit",
            "owner_kind",
            "owner_team",
            "owner_department",
            "owner_name",
            "shared",
            "place",
            "address",
            "longitude",
            "latitude",
            "status",
            "contact_name",
            "contact_mobile",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class ShelterSerializer(ScopedSerializer):
    place = PlaceCodeField()
    facilities = serializers.ListField(
        child=serializers.ChoiceField(choices=SHELTER_FACILITIES), required=False
    )
    per_capita_area = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    free_capacity = serializers.IntegerField(read_only=True)

    class Meta:
        model = Shelter
        fields = [
            "id",
            "name",
            "code",
            "shelter_type",
            "fixed_period",
            "space_type",
            "grade",
            "place",
            "address",
            "longitude",
            "latitude",
            "effective_area_m2",
            "capacity",
            "per_capita_area",
            "free_capacity",
            "facilities",
            "keeper_name",
            "keeper_mobile",
            "status",
            "occupancy",
            "evaluation",
            "evaluated_on",
            "evaluation_notes",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS
