"""The registry of domain object types: one entry ties a model to its filter set, table, form,
serializer and page settings, so that generic views, the API router, exports, search and the
convention tests all read the same description."""

from dataclasses import dataclass, field


@dataclass
class ObjectType:
    model: type
    filterset: type | None = None
    table: type | None = None
    form: type | None = None
    serializer: type | None = None
    viewset: type | None = None
    #: navigation section code (see yingji.framework.navigation.SECTIONS)
    section: str = "platform"
    #: fields shown on the detail page, in order
    detail_fields: tuple = ()
    #: columns of the Excel export: (field path, header); defaults to the table's columns
    export_fields: tuple = ()
    #: write service ``save(obj, *, actor)``; defaults to yingji.framework.services.save_object
    save: object = None
    list_select_related: tuple = ()
    #: to-many relations the list page shows per row (names or Prefetch objects), fetched once
    list_prefetch_related: tuple = ()
    #: the global search looks in these fields
    search_fields: tuple = ()
    #: api basename / url prefix, e.g. "enterprises"
    api_prefix: str = ""
    extra: dict = field(default_factory=dict)

    def with_related(self, queryset, paths=None):
        """``queryset`` joined to the related rows its pages show (or ``paths``), without their
        bulky columns.

        A related place brings its boundary polygon along unless deferred; lists and details
        only show the place's name and code.
        """
        paths = self.list_select_related if paths is None else tuple(paths)
        if not paths:
            return queryset
        queryset = queryset.select_related(*paths)
        bulky = []
        for path in paths:
            model = self.model
            for part in path.split("__"):
                model = model._meta.get_field(part).related_model
            bulky += [f"{path}__{name}" for name in getattr(model, "bulky_fields", ())]
        return queryset.defer(*bulky) if bulky else queryset

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def url_base(self) -> str:
        return f"{self.model._meta.app_label}:{self.model._meta.model_name}"


_types: dict[str, ObjectType] = {}


def register(object_type: ObjectType) -> ObjectType:
    _types[object_type.label] = object_type
    return object_type


def get(model_or_label) -> ObjectType:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    return _types[label]


def all_types() -> list[ObjectType]:
    return list(_types.values())
