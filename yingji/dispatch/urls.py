from django.urls import path

from yingji.dispatch import views
from yingji.dispatch.models import Task

app_name = "dispatch"
urlpatterns = [
    path("tasks/", views.TaskListView.as_view(model=Task), name="task_list"),
    path("tasks/add/", views.TaskDispatchView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(model=Task), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(model=Task), name="task_edit"),
    path("tasks/<int:pk>/panel/", views.task_panel, name="task_panel"),
    path("tasks/<int:pk>/<str:step>/", views.task_step, name="task_step"),
    path("incidents/<int:pk>/tasks/", views.incident_tasks, name="incident_tasks"),
    path("incidents/<int:pk>/map/", views.situation_view, name="situation"),
    path("incidents/<int:pk>/materials/", views.IssueMaterialsView.as_view(), name="issue_materials"),
]
