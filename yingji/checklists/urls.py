from django.urls import path

from yingji.checklists import views
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord
from yingji.framework.views import ObjectDeleteView, ObjectEditView, ObjectListView, object_urls

app_name = "checklists"
urlpatterns = [
    *object_urls(CheckPlan, detail_view=views.CheckPlanDetailView),
    *object_urls(CheckItem),
    # a check is recorded on its own page (one result per item); the generic edit changes only the note
    path("checkrecords/", ObjectListView.as_view(model=CheckRecord), name="checkrecord_list"),
    path("checkrecords/add/", views.perform_check, name="checkrecord_add"),
    path(
        "checkrecords/<int:pk>/",
        views.CheckRecordDetailView.as_view(model=CheckRecord),
        name="checkrecord_detail",
    ),
    path("checkrecords/<int:pk>/edit/", ObjectEditView.as_view(model=CheckRecord), name="checkrecord_edit"),
    path(
        "checkrecords/<int:pk>/delete/",
        ObjectDeleteView.as_view(model=CheckRecord),
        name="checkrecord_delete",
    ),
    path("missed/", views.missed_checks, name="missed"),
]
