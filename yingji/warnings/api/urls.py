"""Special API routes of warnings under /api/v1/; the view sets are routed from the registry."""

from yingji.warnings.api import response_urls

urlpatterns: list = [
    *response_urls.urlpatterns,
]
