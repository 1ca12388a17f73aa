"""API routes of fan-out and call-and-respond (叫应); the acknowledgement and vulnerable-contact view
sets are routed from the registry (``warning-acks``, ``vulnerable-contacts``)."""

from django.urls import path

from yingji.warnings.api import response_views as views

urlpatterns: list = [
    path("warnings/<int:pk>/coverage/", views.CoverageView.as_view(), name="warning-coverage"),
    path("warning-acks/by-token/", views.AckByTokenView.as_view(), name="warning-ack-by-token"),
    path("warning-acks/by-token/batch/", views.AckBatchView.as_view(), name="warning-ack-by-token-batch"),
]
