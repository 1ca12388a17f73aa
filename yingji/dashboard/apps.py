from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The home page (figures of what the user may see) and the map "一张图" (F8)."""

    name = "yingji.dashboard"
    label = "dashboard"
    verbose_name = "首页与一张图"
