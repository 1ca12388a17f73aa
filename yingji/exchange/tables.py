import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yingji.exchange.models import ImportJob
from yingji.framework.tables import BaseTable


class ImportJobTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("编号"))
    created = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("上传时间"))
    finished = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = ImportJob
        fields = (
            "id",
            "kind",
            "original_name",
            "status",
            "total_rows",
            "error_count",
            "created_by",
            "created",
            "finished",
        )
