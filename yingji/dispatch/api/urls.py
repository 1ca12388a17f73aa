"""Special API routes of dispatch under /api/v1/; the task view set is routed from the registry."""

from django.urls import path

from yingji.dispatch.api import views

urlpatterns = [
    path(
        "dispatch/incidents/<int:pk>/situation/",
        views.SituationView.as_view(),
        name="dispatch-situation",
    ),
]
