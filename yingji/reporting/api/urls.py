"""Special API routes of reporting under /api/v1/; its view sets are routed from the registry."""

from django.urls import path

from yingji.reporting.api import views

urlpatterns = [
    path("reporting/documents/<str:kind>/", views.DocumentView.as_view(), name="reporting-document"),
    path("reporting/supervision/", views.SupervisionView.as_view(), name="reporting-supervision"),
    path(
        "reporting/incidents/<int:pk>/stabilise/", views.StabiliseView.as_view(), name="reporting-stabilise"
    ),
]
