"""API routes of the hazard statistics (``/api/v1/hazard-stats/…``)."""

from django.urls import path

from yingji.hazards.api import stats_views

urlpatterns: list = [
    path("hazard-stats/summary/", stats_views.HazardStatsSummaryView.as_view(), name="hazard-stats-summary"),
    path("hazard-stats/map/", stats_views.HazardStatsMapView.as_view(), name="hazard-stats-map"),
]
