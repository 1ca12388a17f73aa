"""``/api/v1/notifications/`` (mine only). Messages and deliveries are routed from the registry."""

from rest_framework.routers import SimpleRouter

from yingji.messaging.api.views import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notifications")
urlpatterns = router.urls
