"""Routes of the hazard statistics dashboard (``hazards:stats``), kept apart from the workflow pages."""

from django.urls import path

from yingji.hazards import stats_views

urlpatterns: list = [
    path("stats/", stats_views.stats_view, name="stats"),
]
