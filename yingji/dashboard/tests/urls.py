"""The project's URLs plus the map endpoints, for tests run before ``yingji/api_urls.py`` includes
``yingji.dashboard.api.urls`` (harmless afterwards: the first match wins and both are the same)."""

from django.urls import include, path

from yingji.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/", include("yingji.dashboard.api.urls")), *project_urlpatterns]
