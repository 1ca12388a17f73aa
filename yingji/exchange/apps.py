from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "yingji.exchange"
    label = "exchange"
    verbose_name = _("数据交换")

    def ready(self):
        from yingji.exchange.api.serializers import ImportJobSerializer
        from yingji.exchange.api.views import ImportJobViewSet
        from yingji.exchange.filtersets import ImportJobFilterSet
        from yingji.exchange.models import ImportJob
        from yingji.exchange.tables import ImportJobTable
        from yingji.framework.registry import ObjectType, register

        register(
            ObjectType(
                model=ImportJob,
                filterset=ImportJobFilterSet,
                table=ImportJobTable,
                serializer=ImportJobSerializer,
                viewset=ImportJobViewSet,
                api_prefix="imports",
                section="platform",
                detail_fields=(
                    "kind",
                    "original_name",
                    "status",
                    "created_by",
                    "place",
                    "total_rows",
                    "error_count",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "message",
                    "created",
                    "validated_at",
                    "finished",
                ),
                list_select_related=("created_by",),
                search_fields=("original_name",),
                # jobs are created by uploading and change only through their workflow: no edit form
                extra={"read_only": True},
            )
        )
