from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "industry",
            "scale",
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
            "operating_status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        self.fields["place"].help_text = _("留空时按经纬度自动确定属地村/社区")


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "short_name",
            "kind",
            "place",
            "duties",
            "phone",
            "address",
            "longitude",
            "latitude",
        ]


class CommitteeForm(ScopedModelForm):
    class Meta:
        model = Committee
        fields = ["name", "kind", "place", "parent", "remit"]


class CommitteeMembershipForm(ScopedModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["committee", "department", "role"]


class IntermediaryForm(ScopedModelForm):
    class Meta:
        model = Intermediary
        fields = [
            "name",
            "uscc",
            "kind",
            "qualification_no",
            "place",
            "address",
            "longitude",
            "latitude",
            "contact_name",
            "contact_mobile",
        ]
