from yingji.framework.forms import ScopedModelForm
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = [
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
        ]


class TeamMemberForm(ScopedModelForm):
    class Meta:
        model = TeamMember
        fields = [
            "team",
            "name",
            "position",
            "qualifications",
            "certificate_no",
            "certificate_expiry",
            "mobile",
        ]


class ExpertForm(ScopedModelForm):
    class Meta:
        model = Expert
        fields = [
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
        ]


class EquipmentForm(ScopedModelForm):
    class Meta:
        model = Equipment
        fields = [
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
        ]


class ShelterForm(ScopedModelForm):
    class Meta:
        model = Shelter
        fields = [
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
            "facilities",
            "keeper_name",
            "keeper_mobile",
            "status",
            "occupancy",
            "evaluation",
            "evaluated_on",
            "evaluation_notes",
        ]
