from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "yingji.reports"
    label = "reports"
    verbose_name = _("群众举报")

    def ready(self):
        pass
