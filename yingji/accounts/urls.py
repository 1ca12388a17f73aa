from django.urls import path

from yingji.accounts import views
from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.views import object_urls

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile_view, name="profile"),
    *object_urls(Person),
    *object_urls(User),
    *object_urls(RoleAssignment),
]
