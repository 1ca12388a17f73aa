from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "yingji.orgs"
    label = "orgs"
    verbose_name = _("单位")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.orgs import filtersets as f
        from yingji.orgs import forms, models, tables
        from yingji.orgs.api import serializers as s
        from yingji.orgs.api import views as v
        from yingji.orgs.services import save_enterprise

        register(
            ObjectType(
                model=models.Enterprise,
                filterset=f.EnterpriseFilterSet,
                table=tables.EnterpriseTable,
                form=forms.EnterpriseForm,
                serializer=s.EnterpriseSerializer,
                viewset=v.EnterpriseViewSet,
                save=save_enterprise,
                section="platform",
                api_prefix="enterprises",
                detail_fields=(
                    "name",
                    "uscc",
                    "industry",
                    "scale",
                    "operating_status",
                    "address",
                    "longitude",
                    "latitude",
                    "place",
                    "regulator",
                    "risk_flags",
                    "employees",
                    "principal_name",
                    "principal_mobile",
                    "safety_manager_name",
                    "safety_manager_mobile",
                ),
                list_select_related=("place", "regulator"),
                search_fields=("name", "uscc", "address"),
            )
        )
        register(
            ObjectType(
                model=models.Department,
                filterset=f.DepartmentFilterSet,
                table=tables.DepartmentTable,
                form=forms.DepartmentForm,
                serializer=s.DepartmentSerializer,
                viewset=v.DepartmentViewSet,
                api_prefix="departments",
                detail_fields=("name", "short_name", "kind", "place", "phone", "address", "duties"),
                list_select_related=("place",),
                search_fields=("name", "short_name", "duties"),
            )
        )
        register(
            ObjectType(
                model=models.Committee,
                filterset=f.CommitteeFilterSet,
                table=tables.CommitteeTable,
                form=forms.CommitteeForm,
                serializer=s.CommitteeSerializer,
                viewset=v.CommitteeViewSet,
                api_prefix="committees",
                detail_fields=("name", "kind", "place", "parent", "remit"),
                list_select_related=("place", "parent"),
                search_fields=("name", "remit"),
            )
        )
        register(
            ObjectType(
                model=models.CommitteeMembership,
                filterset=f.CommitteeMembershipFilterSet,
                table=tables.CommitteeMembershipTable,
                form=forms.CommitteeMembershipForm,
                serializer=s.CommitteeMembershipSerializer,
                viewset=v.CommitteeMembershipViewSet,
                api_prefix="committee-memberships",
                detail_fields=("committee", "department", "role"),
                list_select_related=("committee", "department"),
                search_fields=("committee__name", "department__name"),
            )
        )
        register(
            ObjectType(
                model=models.Intermediary,
                filterset=f.IntermediaryFilterSet,
                table=tables.IntermediaryTable,
                form=forms.IntermediaryForm,
                serializer=s.IntermediarySerializer,
                viewset=v.IntermediaryViewSet,
                api_prefix="intermediaries",
                detail_fields=(
                    "name",
                    "uscc",
                    "kind",
                    "qualification_no",
                    "place",
                    "address",
                    "contact_name",
                    "contact_mobile",
                ),
                list_select_related=("place",),
                search_fields=("name", "uscc"),
            )
        )
