"""API building blocks: scoped view sets and serializers (policy lives in ``api_policy``)."""

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from yingji.framework import registry
from yingji.framework.api_policy import METHOD_ACTIONS, error_body  # noqa: F401  (re-exported)
from yingji.framework.masking import keep_unchanged_masked, mask_dict
from yingji.framework.services import delete_object, save_object


class DateTimeField(serializers.DateTimeField):
    """DRF's field, but a naive time near year 1 (``0001-01-01T00:00``) is a 400, not a 500: DRF's
    check for times that do not exist in the zone converts it to UTC, leaving the calendar."""

    default_error_messages = {"overflow": _("日期时间超出有效范围。")}

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class ScopedSerializer(serializers.ModelSerializer):
    """Writes go through the object type's save service; personal data is masked on the way out."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }

    def get_fields(self):
        """Build the fields from the model once per class, then hand each serializer its own copies.

        DRF re-introspects the model for every serializer instance, which costs more than the rest
        of a detail read; the fields do not depend on the instance or the request. Simple fields
        are copied shallowly (each copy is bound to this serializer); nested serializers deeply, so
        that they see this serializer's context.
        """
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._field_prototypes = prototypes
        return {
            name: copy.deepcopy(field) if isinstance(field, serializers.BaseSerializer) else copy.copy(field)
            for name, field in prototypes.items()
        }

    @classmethod
    def joined_relations(cls) -> tuple[str, ...]:
        """The relations this serializer reads beyond their ids (slug fields such as a place's code,
        nested objects): the API joins exactly these, so a detail read costs one query."""
        joined = cls.__dict__.get("_joined_relations")
        if joined is None:
            joined = tuple(
                (field.source or name).replace(".", "__")
                for name, field in cls().get_fields().items()
                if isinstance(field, serializers.SlugRelatedField)
                or (
                    isinstance(field, serializers.BaseSerializer)
                    and not isinstance(field, serializers.ListSerializer)
                )
            )
            cls._joined_relations = joined
        return joined

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        return mask_dict(getattr(request, "user", None), type(instance), data)

    def to_internal_value(self, data):
        if hasattr(data, "dict"):
            data = data.dict()
        return super().to_internal_value(keep_unchanged_masked(self.instance, data))

    def _save(self, instance):
        otype = registry.get(type(instance))
        save = otype.save or save_object
        return save(instance, actor=self.context["request"].user)

    def create(self, validated_data):
        return self._save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return self._save(instance)


class PlaceCodeField(serializers.SlugRelatedField):
    """A place given and shown as its 12-digit 统计用区划代码."""

    def __init__(self, **kwargs):
        from yingji.places.models import Place

        kwargs.setdefault("queryset", Place.objects.all())
        super().__init__(slug_field="code", **kwargs)


class ScopedModelViewSet(viewsets.ModelViewSet):
    """List, detail, create, update and delete of one object type, all through the access filter."""

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        qs = self.queryset.model.objects.visible_to(self.request.user, action)
        otype = registry.get(self.queryset.model)
        serializer_class = self.get_serializer_class()
        if self.action == "list" or not hasattr(serializer_class, "joined_relations"):
            # lists keep the object type's joins too: a serializer method may read them per row
            joined = getattr(serializer_class, "joined_relations", tuple)()
            qs = otype.with_related(qs, dict.fromkeys((*otype.list_select_related, *joined)))
            return qs.prefetch_related(*otype.list_prefetch_related) if self.action == "list" else qs
        return otype.with_related(qs, serializer_class.joined_relations())

    def filter_queryset(self, queryset):
        """Filters and ordering shape lists; a detail lookup needs neither (and building the filter
        set costs more than the query itself)."""
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_destroy(self, instance):
        delete_object(instance, actor=self.request.user)
