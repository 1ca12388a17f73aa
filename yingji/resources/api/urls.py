"""Special API routes of resources under /api/v1/; its view sets are routed from the registry."""

from django.urls import path

from yingji.resources.api import endpoints
from yingji.resources.layers import LAYERS

urlpatterns: list = [
    path("resources/nearest/", endpoints.NearestView.as_view(), name="resources-nearest"),
    path("resources/coverage/", endpoints.CoverageView.as_view(), name="resources-coverage"),
    *(
        path(
            f"resources/map/{layer}/",
            endpoints.MapLayerView.as_view(layer=layer),
            name=f"resources-map-{layer}",
        )
        for layer in LAYERS
    ),
]
