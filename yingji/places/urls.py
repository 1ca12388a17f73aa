from yingji.framework.views import object_urls
from yingji.places.models import Place

app_name = "places"
urlpatterns = object_urls(Place)
