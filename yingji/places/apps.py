from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "yingji.places"
    label = "places"
    verbose_name = _("行政区划")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.places.api.serializers import PlaceSerializer
        from yingji.places.api.views import PlaceViewSet
        from yingji.places.filtersets import PlaceFilterSet
        from yingji.places.forms import PlaceForm
        from yingji.places.models import Place
        from yingji.places.services import save_place
        from yingji.places.tables import PlaceTable

        register(
            ObjectType(
                model=Place,
                filterset=PlaceFilterSet,
                table=PlaceTable,
                form=PlaceForm,
                serializer=PlaceSerializer,
                viewset=PlaceViewSet,
                section="platform",
                api_prefix="places",
                save=save_place,
                detail_fields=(
                    "code",
                    "name",
                    "level",
                    "parent",
                    "population",
                    "area_km2",
                    "centroid_lon",
                    "centroid_lat",
                ),
                list_select_related=("parent",),
                search_fields=("name", "code"),
            )
        )
