from rest_framework import serializers

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.api import PlaceCodeField, ScopedSerializer

_STAMPS = ["created", "updated"]


class PersonSerializer(ScopedSerializer):
    place = PlaceCodeField(required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "mobile",
            "landline",
            "id_number",
            "email",
            "place",
            "enterprise",
            "department",
            "position",
            *_STAMPS,
        ]
        read_only_fields = _STAMPS


class RoleAssignmentSerializer(ScopedSerializer):
    place = PlaceCodeField(required=False, allow_null=True, help_text="管辖地区（含下级）的12位区划代码")

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "place", "enterprise", "department", *_STAMPS]
        read_only_fields = _STAMPS


class NestedRoleAssignmentSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "place", "enterprise", "department"]


class UserSerializer(ScopedSerializer):
    role_assignments = NestedRoleAssignmentSerializer(many=True, read_only=True)
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, help_text="至少10位，不能全为数字"
    )
    place = serializers.SerializerMethodField(help_text="所属人员的地区代码")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "email",
            "person",
            "place",
            "is_active",
            "is_demo",
            "last_login",
            "role_assignments",
            "password",
        ]
        read_only_fields = ["is_demo", "last_login"]

    def get_place(self, obj) -> str | None:
        person = obj.person
        return person.place.code if person and person.place_id else None

    def _save(self, instance):
        from yingji.accounts.services import save_user

        return save_user(instance, actor=self.context["request"].user, password=self._password)

    def create(self, validated_data):
        self._password = validated_data.pop("password", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        self._password = validated_data.pop("password", None)
        return super().update(instance, validated_data)
