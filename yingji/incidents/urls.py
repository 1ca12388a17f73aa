from django.urls import path

from yingji.framework.views import object_urls
from yingji.incidents import views
from yingji.incidents.models import DepartmentDuty, Incident, PlanDuty, ResponsePlan

app_name = "incidents"
urlpatterns = [
    path("incidents/<int:pk>/live/<str:part>/", views.incident_fragment, name="incident_fragment"),
    path("incidents/<int:pk>/search/", views.incident_search, name="incident_search"),
    path("incidents/<int:pk>/duties/", views.incident_duties, name="incident_duties"),
    path("incidents/<int:pk>/act/<str:act>/", views.incident_act, name="incident_act"),
    path("incidents/<int:pk>/checklist/<int:item>/tick/", views.checklist_tick, name="checklist_tick"),
    path("reminders/", views.my_reminders, name="my_reminders"),
    path("reminders/<int:pk>/", views.reminder_ack, name="reminder_ack"),
    *object_urls(Incident, detail_view=views.IncidentDetailView),
    *object_urls(ResponsePlan, detail_view=views.ResponsePlanDetailView),
    *object_urls(PlanDuty),
    *object_urls(DepartmentDuty),
]
