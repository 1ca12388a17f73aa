from django.urls import path

from yingji.framework.views import ObjectListView, object_urls
from yingji.reporting import views
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport

app_name = "reporting"
urlpatterns = [
    path("incoming/", ObjectListView.as_view(model=IncomingInfo), name="incominginfo_list"),
    path("incoming/add/", views.incoming_add, name="incominginfo_add"),
    path(
        "incoming/<int:pk>/",
        views.IncomingInfoDetailView.as_view(model=IncomingInfo),
        name="incominginfo_detail",
    ),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("reports/", ObjectListView.as_view(model=UpwardReport), name="upwardreport_list"),
    path("reports/add/", views.report_add, name="upwardreport_add"),
    path(
        "reports/<int:pk>/",
        views.UpwardReportDetailView.as_view(model=UpwardReport),
        name="upwardreport_detail",
    ),
    path("reports/<int:pk>/submit/", views.report_submit, name="upwardreport_submit"),
    path("supervision/", views.supervision, name="supervision"),
    path("incidents/<int:pk>/stabilise/", views.incident_stabilise, name="incident_stabilise"),
    path("documents/", views.documents_page, name="documents"),
    *object_urls(MisReport),
]
