from django.urls import path

from yingji.duty import views
from yingji.duty.models import DutyRoom, Handover, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.views import ObjectListView, object_urls

app_name = "duty"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("roster/", views.roster, name="roster"),
    path("roster/generate/", views.roster_generate, name="roster_generate"),
    path("evaluation/", views.evaluation_view, name="evaluation"),
    *object_urls(DutyRoom, detail_view=views.DutyRoomDetailView),
    *object_urls(RosterTemplate),
    # shifts: list and detail; their people change through the roster pages and swaps
    path("shifts/", ObjectListView.as_view(model=Shift), name="shift_list"),
    path("shifts/<int:pk>/", views.ShiftDetailView.as_view(model=Shift), name="shift_detail"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("swaps/", ObjectListView.as_view(model=SwapRequest), name="swaprequest_list"),
    path("swaps/add/", views.swap_add, name="swaprequest_add"),
    path(
        "swaps/<int:pk>/", views.SwapRequestDetailView.as_view(model=SwapRequest), name="swaprequest_detail"
    ),
    path("swaps/<int:pk>/approve/", views.swap_decide, {"decision": "approve"}, name="swaprequest_approve"),
    path("swaps/<int:pk>/reject/", views.swap_decide, {"decision": "reject"}, name="swaprequest_reject"),
    path("handovers/", ObjectListView.as_view(model=Handover), name="handover_list"),
    path("handovers/add/", views.handover_add, name="handover_add"),
    path("handovers/<int:pk>/", views.HandoverDetailView.as_view(model=Handover), name="handover_detail"),
    path("items/<int:pk>/close/", views.item_close, name="item_close"),
    path("roll-calls/", views.RollCallListView.as_view(model=RollCall), name="rollcall_list"),
    path("roll-calls/call/", views.rollcall_call, name="rollcall_call"),
    path("roll-calls/<int:pk>/", views.ObjectDetailView.as_view(model=RollCall), name="rollcall_detail"),
    path("roll-calls/<int:pk>/answer/", views.rollcall_answer, name="rollcall_answer"),
]
