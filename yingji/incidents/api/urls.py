"""Special API routes of incidents under /api/v1/; the view sets are routed from the registry."""

from django.urls import path

from yingji.incidents.api import views

urlpatterns = [
    path("incidents/map/", views.IncidentMapLayerView.as_view(), name="incidents-map"),
    path("incidents/reminders/mine/", views.MyRemindersView.as_view(), name="incidents-my-reminders"),
    path(
        "incidents/reminders/<int:pk>/acknowledge/",
        views.ReminderAcknowledgeView.as_view(),
        name="incidents-reminder-ack",
    ),
]
