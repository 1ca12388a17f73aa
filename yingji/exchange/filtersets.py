import django_filters
from django.utils.translation import gettext_lazy as _

from yingji.exchange.choices import ImportKind, ImportStatus
from yingji.exchange.models import ImportJob
from yingji.framework.filtersets import BaseFilterSet


class ImportJobFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=ImportKind.choices, label=_("导入类型"))
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices, label=_("状态"))

    class Meta:
        model = ImportJob
        fields = ["kind", "status"]
