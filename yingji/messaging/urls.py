from django.urls import path

from yingji.messaging import views
from yingji.messaging.models import Delivery, Message

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("send/", views.message_send, name="message_send"),
    path("sent/", views.MessageListView.as_view(model=Message), name="message_list"),
    path("sent/<int:pk>/", views.MessageDetailView.as_view(model=Message), name="message_detail"),
    path("deliveries/", views.DeliveryListView.as_view(model=Delivery), name="delivery_list"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(model=Delivery), name="delivery_detail"),
]
