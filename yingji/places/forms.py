from yingji.framework.forms import ScopedModelForm
from yingji.places.models import Place


class PlaceForm(ScopedModelForm):
    class Meta:
        model = Place
        fields = ["code", "name", "level", "parent", "population", "area_km2", "centroid_lon", "centroid_lat"]
