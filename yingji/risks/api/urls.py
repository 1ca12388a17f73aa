"""Special API routes of risks under /api/v1/; its view sets are routed from the registry."""

from django.urls import path

from yingji.risks.api.map import RiskMapView

urlpatterns = [
    path("map/risks/", RiskMapView.as_view(), name="risks-map"),
]
