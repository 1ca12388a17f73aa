"""Special API routes of duty under /api/v1/; its view sets are routed from the registry."""

from django.urls import path

from yingji.duty.api import endpoints

urlpatterns: list = [
    path("duty/now/", endpoints.NowView.as_view(), name="duty-now"),
    path("duty/evaluation/", endpoints.EvaluationView.as_view(), name="duty-evaluation"),
]
