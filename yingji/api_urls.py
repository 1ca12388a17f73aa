"""``/api/v1/``: one route per registered object type, plus sign-in and special actions."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from yingji.accounts.api.views import TokenView
from yingji.framework import registry


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for otype in registry.all_types():
        if otype.viewset is not None and otype.api_prefix:
            router.register(otype.api_prefix, otype.viewset, basename=otype.api_prefix)
    return router


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("yingji.exchange.api.urls")),
    path("", include("yingji.messaging.api.urls")),
    path("", include("yingji.deadlines.api.urls")),
    path("", include("yingji.dashboard.api.urls")),
    path("", include("yingji.risks.api.urls")),
    path("", include("yingji.hazards.api.urls")),
    path("", include("yingji.checklists.api.urls")),
    path("", include("yingji.reports.api.urls")),
    path("", include("yingji.resources.api.urls")),
    path("", include("yingji.materials.api.urls")),
    path("", include("yingji.warnings.api.urls")),
    path("", include("yingji.incidents.api.urls")),
    path("", include("yingji.duty.api.urls")),
    path("", include("yingji.reporting.api.urls")),
    path("", include("yingji.dispatch.api.urls")),
    path("", include(build_router().urls)),
]
