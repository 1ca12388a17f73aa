"""Special API routes of hazards under /api/v1/; the hazard view set is routed from the registry."""

from yingji.hazards.api import stats_urls

urlpatterns: list = [
    *stats_urls.urlpatterns,
]
