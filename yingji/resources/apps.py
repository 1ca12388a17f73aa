from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

TEAM, MEMBER, EXPERT, EQUIPMENT, SHELTER = (
    "resources.team",
    "resources.teammember",
    "resources.expert",
    "resources.equipment",
    "resources.shelter",
)
ALL_KINDS = (TEAM, MEMBER, EXPERT, EQUIPMENT, SHELTER)


def grant_rights() -> None:
    """The role matrix of the resources (docs/resources.md, "Who may do what")."""
    from yingji.framework.roles import ALL, READ, Role, grant

    for label in ALL_KINDS:
        grant(Role.BUREAU_OFFICER, label, ALL)
        for role in (Role.DUTY_OFFICER, Role.LEADER, Role.ENFORCEMENT_OFFICER, Role.EXPERT):
            grant(role, label, READ)
    # a department officer manages the teams (with their members) and equipment of its department
    # (the department dimension of their scope); it reads experts and shelters of its place.
    for label in (TEAM, MEMBER, EQUIPMENT):
        grant(Role.DEPARTMENT_OFFICER, label, ALL)
    for label in (EXPERT, SHELTER):
        grant(Role.DEPARTMENT_OFFICER, label, READ)
    # grid workers and disaster-information officers guide residents: shelters and teams, read-only
    for role in (Role.GRID_WORKER, Role.DISASTER_INFO_OFFICER):
        grant(role, SHELTER, READ)
        grant(role, TEAM, READ)


class ResourcesConfig(AppConfig):
    name = "yingji.resources"
    label = "resources"
    verbose_name = _("应急资源")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.resources import filtersets as f
        from yingji.resources import forms, models, nearest, services, tables
        from yingji.resources.api import serializers as s
        from yingji.resources.api import views as v

        grant_rights()
        common = {"section": "command"}
        register(
            ObjectType(
                model=models.Team,
                filterset=f.TeamFilterSet,
                table=tables.TeamTable,
                form=forms.TeamForm,
                serializer=s.TeamSerializer,
                viewset=v.TeamViewSet,
                save=services.save_team,
                api_prefix="resources/teams",
                detail_fields=(
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
                ),
                list_select_related=("place", "owner_department"),
                search_fields=("name", "owner_name", "address"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.TeamMember,
                filterset=f.TeamMemberFilterSet,
                table=tables.TeamMemberTable,
                form=forms.TeamMemberForm,
                serializer=s.TeamMemberSerializer,
                viewset=v.TeamMemberViewSet,
                api_prefix="resources/team-members",
                detail_fields=(
                    "team",
                    "name",
                    "position",
                    "qualifications",
                    "certificate_no",
                    "certificate_expiry",
                    "mobile",
                ),
                list_select_related=("team",),
                search_fields=("name", "certificate_no", "qualifications"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Expert,
                filterset=f.ExpertFilterSet,
                table=tables.ExpertTable,
                form=forms.ExpertForm,
                serializer=s.ExpertSerializer,
                viewset=v.ExpertViewSet,
                save=services.save_expert,
                api_prefix="resources/experts",
                detail_fields=(
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
                ),
                list_select_related=("place",),
                search_fields=("name", "organisation"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Equipment,
                filterset=f.EquipmentFilterSet,
                table=tables.EquipmentTable,
                form=forms.EquipmentForm,
                serializer=s.EquipmentSerializer,
                viewset=v.EquipmentViewSet,
                save=services.save_equipment,
                api_prefix="resources/equipment",
                detail_fields=(
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
                ),
                list_select_related=("place", "owner_team"),
                search_fields=("name", "model_spec", "owner_name"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Shelter,
                filterset=f.ShelterFilterSet,
                table=tables.ShelterTable,
                form=forms.ShelterForm,
                serializer=s.ShelterSerializer,
                viewset=v.ShelterViewSet,
                save=services.save_shelter,
                api_prefix="resources/shelters",
                detail_fields=(
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
                ),
                list_select_related=("place",),
                search_fields=("name", "code", "address"),
                **common,
            )
        )
        nearest.connect_signals()
