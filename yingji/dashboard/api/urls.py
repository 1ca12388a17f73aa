from django.urls import path

from yingji.dashboard.api import views

urlpatterns = [
    path("map/places/", views.MapPlacesView.as_view(), name="map-places"),
    path("map/enterprises/", views.MapEnterprisesView.as_view(), name="map-enterprises"),
]
