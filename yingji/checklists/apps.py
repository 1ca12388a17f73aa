from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "yingji.checklists"
    label = "checklists"
    verbose_name = _("隐患自查")

    def ready(self):
        pass
