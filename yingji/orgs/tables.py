import django_tables2 as tables

from yingji.framework.tables import BaseTable, FlagsColumn
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary


class EnterpriseTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True, order_by=("place__code",))
    risk_flags = FlagsColumn(orderable=False)

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = (
            "name",
            "uscc",
            "industry",
            "scale",
            "place",
            "regulator",
            "risk_flags",
            "employees",
            "operating_status",
        )


class DepartmentTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Department
        fields = ("name", "short_name", "kind", "place", "phone")


class CommitteeTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Committee
        fields = ("name", "kind", "place", "parent")


class CommitteeMembershipTable(BaseTable):
    committee = tables.Column(linkify=True)
    department = tables.Column(linkify=True)
    id = tables.Column(linkify=True, verbose_name="#")

    class Meta(BaseTable.Meta):
        model = CommitteeMembership
        fields = ("id", "committee", "department", "role")


class IntermediaryTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Intermediary
        fields = ("name", "uscc", "kind", "qualification_no", "place", "contact_name")
