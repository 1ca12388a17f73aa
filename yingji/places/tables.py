import django_tables2 as tables

from yingji.framework.tables import BaseTable
from yingji.places.models import Place


class PlaceTable(BaseTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Place
        fields = ("code", "name", "level", "parent", "population", "area_km2")
