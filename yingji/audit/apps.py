from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "yingji.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self):
        from yingji.audit import signals

        signals.connect()

        from yingji.audit.api.serializers import ObjectChangeSerializer
        from yingji.audit.api.views import ObjectChangeViewSet
        from yingji.audit.filtersets import ObjectChangeFilterSet
        from yingji.audit.models import ObjectChange
        from yingji.audit.tables import ObjectChangeTable
        from yingji.framework.registry import ObjectType, register

        register(
            ObjectType(
                model=ObjectChange,
                filterset=ObjectChangeFilterSet,
                table=ObjectChangeTable,
                serializer=ObjectChangeSerializer,
                viewset=ObjectChangeViewSet,
                api_prefix="audit",
                list_select_related=("content_type",),
                search_fields=("object_repr", "actor_name", "object_id"),
                extra={"read_only": True},
            )
        )
