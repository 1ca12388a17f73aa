import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.framework.filtersets import BaseFilterSet, FlagFilter, PlaceSubtreeFilter
from yingji.orgs.catalogues import SECTIONS
from yingji.orgs.choices import INDUSTRY_CHOICES, RISK_FLAGS, OperatingStatus, Scale
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary


class EnterpriseFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    industry = django_filters.ChoiceFilter(choices=INDUSTRY_CHOICES, label=_("行业大类"))
    section = django_filters.ChoiceFilter(
        choices=sorted(SECTIONS.items()), method="filter_section", label=_("行业门类")
    )
    scale = django_filters.ChoiceFilter(choices=Scale.choices, label=_("规模"))
    operating_status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("经营状态"))
    risk_flag = FlagFilter(field_name="risk_flags", choices=RISK_FLAGS, label=_("风险标记"))
    regulator = django_filters.NumberFilter(field_name="regulator_id", label=_("监管部门编号"))
    uscc = django_filters.CharFilter(label=_("统一社会信用代码"))

    class Meta:
        model = Enterprise
        fields = [
            "place",
            "section",
            "industry",
            "scale",
            "operating_status",
            "risk_flag",
            "regulator",
            "uscc",
        ]

    def filter_section(self, queryset, name, value):
        from yingji.orgs.catalogues import DIVISIONS

        return queryset.filter(industry__in=[code for code, (sec, _n) in DIVISIONS.items() if sec == value])


class DepartmentFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = Department
        fields = ["place", "kind"]


class CommitteeFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = Committee
        fields = ["place", "kind"]


class CommitteeMembershipFilterSet(BaseFilterSet):
    class Meta:
        model = CommitteeMembership
        fields = ["committee", "department", "role"]


class IntermediaryFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = Intermediary
        fields = ["place", "kind"]
