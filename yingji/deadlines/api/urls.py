"""Calendar helpers under /api/v1/; the deadline and calendar-day view sets are routed from the registry."""

from django.urls import path

from yingji.deadlines.api import views

urlpatterns = [
    path("calendar/working-days/", views.WorkingDaysView.as_view(), name="calendar-working-days"),
    path("calendar/years/<int:year>/", views.CalendarYearView.as_view(), name="calendar-year"),
]
