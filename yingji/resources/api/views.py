from yingji.framework.api import ScopedModelViewSet
from yingji.resources import filtersets as f
from yingji.resources.api import serializers as s
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember


class TeamViewSet(ScopedModelViewSet):
    queryset = Team.objects.all()
    serializer_class = s.TeamSerializer
    filterset_class = f.TeamFilterSet
    ordering_fields = ["name", "headcount", "created"]


class TeamMemberViewSet(ScopedModelViewSet):
    queryset = TeamMember.objects.all()
    serializer_class = s.TeamMemberSerializer
    filterset_class = f.TeamMemberFilterSet
    ordering_fields = ["name", "certificate_expiry"]


class ExpertViewSet(ScopedModelViewSet):
    queryset = Expert.objects.all()
    serializer_class = s.ExpertSerializer
    filterset_class = f.ExpertFilterSet
    ordering_fields = ["name", "created"]


class EquipmentViewSet(ScopedModelViewSet):
    queryset = Equipment.objects.all()
    serializer_class = s.EquipmentSerializer
    filterset_class = f.EquipmentFilterSet
    ordering_fields = ["name", "quantity", "created"]


class ShelterViewSet(ScopedModelViewSet):
    queryset = Shelter.objects.all()
    serializer_class = s.ShelterSerializer
    filterset_class = f.ShelterFilterSet
    ordering_fields = ["name", "capacity", "effective_area_m2", "created"]
