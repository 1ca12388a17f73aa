from django.urls import path

from yingji.deadlines import views
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.framework.views import object_urls

app_name = "deadlines"
urlpatterns = [
    # deadlines are created by the modules owning the items: list, detail and actions only
    path("deadlines/", views.DeadlineListView.as_view(model=Deadline), name="deadline_list"),
    path("deadlines/<int:pk>/", views.DeadlineDetailView.as_view(model=Deadline), name="deadline_detail"),
    path("deadlines/<int:pk>/meet/", views.deadline_meet, name="deadline_meet"),
    path("deadlines/<int:pk>/cancel/", views.deadline_cancel, name="deadline_cancel"),
    path("deadlines/<int:pk>/supervise/", views.deadline_supervise, name="deadline_supervise"),
    path("calendardays/range/", views.calendar_range, name="calendarday_range"),
    *object_urls(CalendarDay, list_view=views.CalendarDayListView, delete_view=views.CalendarDayDeleteView),
    path("calendar/", views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
]
