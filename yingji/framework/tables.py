import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):
    """Tables link their first column to the detail page and use the shared Bootstrap template."""

    class Meta:
        template_name = "framework/_table_body.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("没有符合条件的记录")


class FlagsColumn(tables.Column):
    def render(self, value, record, bound_column):
        field = record._meta.get_field(bound_column.accessor.split(".")[-1])
        return field.display(value)
