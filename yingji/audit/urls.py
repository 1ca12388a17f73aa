from django.urls import path

from yingji.audit import views
from yingji.audit.models import ObjectChange

app_name = "audit"
urlpatterns = [
    path("changes/", views.ObjectChangeListView.as_view(model=ObjectChange), name="objectchange_list"),
    path(
        "changes/<int:pk>/",
        views.ObjectChangeDetailView.as_view(model=ObjectChange),
        name="objectchange_detail",
    ),
]
