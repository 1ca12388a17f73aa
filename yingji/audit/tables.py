import django_tables2 as tables

from yingji.audit.models import ObjectChange
from yingji.framework.tables import BaseTable


class ObjectChangeTable(BaseTable):
    time = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        model = ObjectChange
        fields = ("time", "actor_name", "source", "ip", "action", "content_type", "object_repr")
