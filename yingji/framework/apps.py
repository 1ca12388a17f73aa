from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "yingji.framework"
    label = "framework"
    verbose_name = "框架"
