from rest_framework import serializers

from yingji.framework.api import PlaceCodeField, ScopedSerializer
from yingji.orgs.choices import RISK_FLAGS
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary

_STAMPS = ["created", "updated"]


class EnterpriseSerializer(ScopedSerializer):
    place = PlaceCodeField(required=False, help_text="属地村/社区的12位区划代码；省略时按经纬度自动确定")
    risk_flags = serializers.ListField(child=serializers.ChoiceField(choices=RISK_FLAGS), required=False)

    class Meta:
        model = Enterprise
        fields = [
            "id",
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
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class DepartmentSerializer(ScopedSerializer):
    place = PlaceCodeField()
    duty_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "place",
            "duties",
            "duty_list",
            "phone",
            "address",
            "longitude",
            "latitude",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class CommitteeSerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Committee
        fields = ["id", "name", "kind", "place", "parent", "remit", *_STAMPS]
        read_only_fields = _STAMPS


class CommitteeMembershipSerializer(ScopedSerializer):
    class Meta:
        model = CommitteeMembership
        fields = ["id", "committee", "department", "role", *_STAMPS]
        read_only_fields = _STAMPS


class IntermediarySerializer(ScopedSerializer):
    place = PlaceCodeField()

    class Meta:
        model = Intermediary
        fields = [
            "id",
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
            *_STAMPS,
        ]
        read_only_fields = _STAMPS
