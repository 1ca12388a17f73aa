from django.urls import path

from yingji.framework.views import ObjectEditView
from yingji.reports import views
from yingji.reports.models import PublicReport

app_name = "reports"
urlpatterns = [
    # the public (no account)
    path("public/new/", views.public_new, name="public_new"),
    path("public/done/", views.public_done, name="public_done"),
    path("public/track/", views.public_track, name="public_track"),
    path("public/photos/<int:pk>/", views.public_photo, name="public_photo"),
    # officers: reports are filed by the public, so there is no add page and nobody deletes them
    path("publicreports/", views.PublicReportListView.as_view(model=PublicReport), name="publicreport_list"),
    path(
        "publicreports/<int:pk>/",
        views.PublicReportDetailView.as_view(model=PublicReport),
        name="publicreport_detail",
    ),
    path(
        "publicreports/<int:pk>/edit/", ObjectEditView.as_view(model=PublicReport), name="publicreport_edit"
    ),
    path("publicreports/<int:pk>/accept/", views.report_accept, name="publicreport_accept"),
    path("publicreports/<int:pk>/reject/", views.report_reject, name="publicreport_reject"),
    path("publicreports/<int:pk>/convert/", views.report_convert, name="publicreport_convert"),
    path("publicreports/<int:pk>/clue/", views.report_clue, name="publicreport_clue"),
    path("publicreports/<int:pk>/reward/", views.report_reward, name="publicreport_reward"),
    path("publicreports/<int:pk>/close/", views.report_close, name="publicreport_close"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
