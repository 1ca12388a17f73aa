from django.urls import path

from yingji.messaging import views

app_name = "messaging"
urlpatterns = [path("", views.inbox, name="inbox")]
