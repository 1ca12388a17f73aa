from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceLevel(models.TextChoices):
    """Levels of the region tree 市 → 县/区 → 镇/街道 → 村/社区 (统计用区划代码 digits 1–4/5–6/7–9/10–12)."""

    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWN = "town", _("镇/街道")
    VILLAGE = "village", _("村/社区")


LEVEL_DEPTH = {PlaceLevel.CITY: 0, PlaceLevel.COUNTY: 1, PlaceLevel.TOWN: 2, PlaceLevel.VILLAGE: 3}
