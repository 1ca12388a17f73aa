from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from yingji.framework.health import healthz
from yingji.framework.views import SearchView

urlpatterns = [
    path("", include("yingji.dashboard.urls")),
    path("accounts/", include("yingji.accounts.urls")),
    path("places/", include("yingji.places.urls")),
    path("orgs/", include("yingji.orgs.urls")),
    path("audit/", include("yingji.audit.urls")),
    path("messages/", include("yingji.messaging.urls")),
    path("deadlines/", include("yingji.deadlines.urls")),
    path("exchange/", include("yingji.exchange.urls")),
    path("risks/", include("yingji.risks.urls")),
    path("hazards/", include("yingji.hazards.urls")),
    path("checklists/", include("yingji.checklists.urls")),
    path("reports/", include("yingji.reports.urls")),
    path("resources/", include("yingji.resources.urls")),
    path("materials/", include("yingji.materials.urls")),
    path("warnings/", include("yingji.warnings.urls")),
    path("incidents/", include("yingji.incidents.urls")),
    path("duty/", include("yingji.duty.urls")),
    path("reporting/", include("yingji.reporting.urls")),
    path("dispatch/", include("yingji.dispatch.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("yingji.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("search/", SearchView.as_view(), name="search"),
    path("healthz", healthz, name="healthz"),
]
