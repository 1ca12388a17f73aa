from django.urls import path

from yingji.framework.views import object_urls
from yingji.resources import views
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember

app_name = "resources"
urlpatterns = [
    path("map/", views.map_view, name="map"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("shelters/sheet/", views.shelter_sheet, name="shelter_sheet"),
    *object_urls(Team, detail_view=views.TeamDetailView),
    *object_urls(TeamMember),
    *object_urls(Expert),
    *object_urls(Equipment),
    *object_urls(Shelter, list_view=views.ShelterListView, detail_view=views.ShelterDetailView),
]
