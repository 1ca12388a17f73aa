"""Routes of fan-out coverage and call-and-respond (叫应) pages, kept apart from the warning pages."""

from django.urls import path

from yingji.framework.views import object_urls
from yingji.warnings import response_views as views
from yingji.warnings.models_response import Acknowledgement, VulnerableContact

urlpatterns: list = [
    path("response/", views.board, name="response_board"),
    path("response/<int:pk>/", views.detail, name="response_detail"),
    path("response/<int:pk>/coverage/", views.coverage_panel, name="response_coverage"),
    path("ack/<str:token>/", views.ack_link, name="response_ack_link"),
    path("acknowledgements/<int:pk>/answer/", views.ack, name="response_ack"),
    # acknowledgements are created by the system: list and detail pages only
    path(
        "acknowledgements/",
        views.AcknowledgementListView.as_view(model=Acknowledgement),
        name="acknowledgement_list",
    ),
    path(
        "acknowledgements/<int:pk>/",
        views.AcknowledgementDetailView.as_view(model=Acknowledgement),
        name="acknowledgement_detail",
    ),
    *object_urls(VulnerableContact),
]
