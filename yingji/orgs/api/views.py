from yingji.framework.api import ScopedModelViewSet
from yingji.orgs.api import serializers as s
from yingji.orgs.filtersets import (
    CommitteeFilterSet,
    CommitteeMembershipFilterSet,
    DepartmentFilterSet,
    EnterpriseFilterSet,
    IntermediaryFilterSet,
)
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary


class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.all()
    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "employees", "created"]


class DepartmentViewSet(ScopedModelViewSet):
    queryset = Department.objects.all()
    serializer_class = s.DepartmentSerializer
    filterset_class = DepartmentFilterSet


class CommitteeViewSet(ScopedModelViewSet):
    queryset = Committee.objects.all()
    serializer_class = s.CommitteeSerializer
    filterset_class = CommitteeFilterSet


class CommitteeMembershipViewSet(ScopedModelViewSet):
    queryset = CommitteeMembership.objects.all()
    serializer_class = s.CommitteeMembershipSerializer
    filterset_class = CommitteeMembershipFilterSet


class IntermediaryViewSet(ScopedModelViewSet):
    queryset = Intermediary.objects.all()
    serializer_class = s.IntermediarySerializer
    filterset_class = IntermediaryFilterSet
