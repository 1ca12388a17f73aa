"""Configurable defaults of the materials app, each overridable from ``settings.YINGJI_MATERIALS_<NAME>``.

No national rule fixes how long before expiry a reserve must be rotated; the defaults below are the
platform's (``../shared/domain-facts.md`` names none): food and drinking water 30 days, medical
supplies 60 days, everything else that expires 90 days.
"""

from django.conf import settings

from yingji.materials.choices import ItemCategory

_EXPIRY_WARNING_DAYS = {
    ItemCategory.FOOD: 30,
    ItemCategory.WATER: 30,
    ItemCategory.MEDICAL: 60,
    ItemCategory.SHELTER: 90,
    ItemCategory.RESCUE: 90,
    ItemCategory.FLOOD: 90,
    ItemCategory.POWER: 90,
    ItemCategory.TOOLS: 90,
}


def expiry_warning_days() -> dict[str, int]:
    """Days before a batch's expiry date at which its rotation reminder is sent, per item category."""
    days = {str(k): v for k, v in _EXPIRY_WARNING_DAYS.items()}
    days.update(getattr(settings, "YINGJI_MATERIALS_EXPIRY_WARNING_DAYS", {}) or {})
    return days


#: prefix of document numbers (物资 → WZ)
def number_prefix() -> str:
    return getattr(settings, "YINGJI_MATERIALS_NUMBER_PREFIX", "WZ")
