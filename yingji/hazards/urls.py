from django.urls import path

from yingji.framework.views import ObjectDeleteView, ObjectEditView
from yingji.hazards import stats_urls, views
from yingji.hazards.models import Hazard

app_name = "hazards"
urlpatterns: list = [
    path("hazards/", views.HazardListView.as_view(model=Hazard), name="hazard_list"),
    path("hazards/add/", views.hazard_report, name="hazard_add"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(model=Hazard), name="hazard_detail"),
    path("hazards/<int:pk>/edit/", ObjectEditView.as_view(model=Hazard), name="hazard_edit"),
    path("hazards/<int:pk>/delete/", ObjectDeleteView.as_view(model=Hazard), name="hazard_delete"),
    path("hazards/<int:pk>/act/<str:step>/", views.hazard_step, name="hazard_step"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("disaster/", views.DisasterListView.as_view(model=Hazard), name="disaster_list"),
    path("disaster/monthly/", views.disaster_monthly, name="disaster_monthly"),
    *stats_urls.urlpatterns,
]
