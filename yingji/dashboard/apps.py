from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The home page (figures of what the user may see) and the map "一张图" (F8)."""

    name = "yingji.dashboard"
    label = "dashboard"
    verbose_name = _("首页与一张图")
