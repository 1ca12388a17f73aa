from rest_framework import serializers

from yingji.audit.models import ObjectChange
from yingji.framework.masking import mask_dict


class ObjectChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "actor",
            "actor_name",
            "source",
            "ip",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "place",
            "before",
            "after",
        ]

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        model = instance.content_type.model_class()
        if model is not None:
            data["before"] = mask_dict(user, model, data["before"]) if data["before"] else data["before"]
            data["after"] = mask_dict(user, model, data["after"]) if data["after"] else data["after"]
        return data
