from django.urls import path

from yingji.framework.views import object_urls
from yingji.warnings import response_urls, views
from yingji.warnings.models import Consultation, Subscription, Warning, WorkPrompt

app_name = "warnings"
urlpatterns: list = [
    # public side (no sign-in)
    path("public/", views.public_list, name="public_list"),
    path("public/feed.atom", views.public_feed, name="public_feed"),
    path("public/<int:pk>/cap.xml", views.public_cap, name="public_cap"),
    path("public/subscribe/", views.public_subscribe, name="public_subscribe"),
    path("public/subscribe/<str:token>/confirm/", views.public_confirm, name="public_confirm"),
    path("public/unsubscribe/<str:token>/", views.public_unsubscribe, name="public_unsubscribe"),
    # warnings
    path("warnings/import-cap/", views.cap_import, name="warning_import_cap"),
    path("warnings/<int:pk>/cap.xml", views.warning_cap, name="warning_cap"),
    path("warnings/<int:pk>/update/", views.warning_update, name="warning_update"),
    *object_urls(
        Warning,
        list_view=views.WarningListView,
        detail_view=views.WarningDetailView,
        edit_view=views.WarningEditView,
        delete_view=views.WarningDeleteView,
    ),
    path("warnings/<int:pk>/<str:step>/", views.warning_step, name="warning_step"),
    # consultations (W2)
    *object_urls(Consultation, detail_view=views.ConsultationDetailView),
    path("workprompts/<int:pk>/pdf/", views.workprompt_pdf, name="workprompt_pdf"),
    path("workprompts/<int:pk>/issue/", views.workprompt_issue, name="workprompt_issue"),
    path(
        "workprompts/<int:pk>/acks/<int:ack_pk>/acknowledge/",
        views.workprompt_acknowledge,
        name="workprompt_acknowledge",
    ),
    *object_urls(WorkPrompt, detail_view=views.WorkPromptDetailView),
    # public subscriptions (officers' list)
    *object_urls(Subscription),
    *response_urls.urlpatterns,
]
