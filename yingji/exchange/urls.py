from django.urls import path

from yingji.exchange import views
from yingji.exchange.models import ImportJob

app_name = "exchange"
urlpatterns = [
    path("", views.go_to_list),
    path("importjobs/", views.ImportJobListView.as_view(model=ImportJob), name="importjob_list"),
    path("importjobs/add/", views.ImportJobCreateView.as_view(model=ImportJob), name="importjob_add"),
    path("importjobs/<int:pk>/", views.ImportJobDetailView.as_view(model=ImportJob), name="importjob_detail"),
    path(
        "importjobs/<int:pk>/commit/",
        views.ImportJobCommitView.as_view(model=ImportJob),
        name="importjob_commit",
    ),
    path("templates/<str:kind>/", views.ImportTemplateView.as_view(model=ImportJob), name="import_template"),
]
