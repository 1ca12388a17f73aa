from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "yingji.warnings"
    label = "warnings"
    verbose_name = _("预警发布")

    def ready(self):
        pass
