from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "yingji.dashboard"
    label = "dashboard"
