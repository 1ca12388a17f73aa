from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "yingji.materials"
    label = "materials"
    verbose_name = _("应急物资")

    def ready(self):
        pass
