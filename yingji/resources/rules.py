"""Numbers of the resources rules, with their sources; each is overridable from settings
(``YINGJI_RESOURCES_<NAME>``)."""

from decimal import Decimal

from django.conf import settings


def _setting(name: str, default):
    return getattr(settings, f"YINGJI_RESOURCES_{name}", default)


#: 应急避难场所城镇人均面积 ≥ 2.5 m² (海门区"十四五"应急管理体系和能力建设规划, 主要指标 13; seed 001).
PER_CAPITA_TARGET_M2 = Decimal("2.5")

#: Minimum per-capita effective area by shelter type / fixed period, m² per person. GB 51143-2015 as
#: commonly quoted (紧急 ≥0.5, 短期固定 ≥2.0, 中期 ≥3.0, 长期 ≥4.5; 中心 taken as 长期) — the table
#: itself was not retrieved (domain facts §9 [U], open point 4): a configurable default.
MIN_PER_CAPITA_M2 = {
    ("emergency", ""): Decimal("0.5"),
    ("fixed", "short"): Decimal("2.0"),
    ("fixed", "medium"): Decimal("3.0"),
    ("fixed", "long"): Decimal("4.5"),
    ("fixed", ""): Decimal("2.0"),
    ("central", ""): Decimal("4.5"),
}

#: A team member's certificate is shown as "expiring" this many days before its expiry.
CERTIFICATE_WARNING_DAYS = 60

#: Nearest search: default and largest number of results per kind.
NEAREST_DEFAULT_LIMIT = 5
NEAREST_MAX_LIMIT = 50

#: GeoJSON layers: at most this many features per response (the map asks per bounding box).
MAP_LAYER_LIMIT = 5000


def per_capita_target() -> Decimal:
    return Decimal(str(_setting("PER_CAPITA_TARGET_M2", PER_CAPITA_TARGET_M2)))


def min_per_capita(shelter_type: str, period: str) -> Decimal | None:
    table = _setting("MIN_PER_CAPITA_M2", MIN_PER_CAPITA_M2)
    return table.get((shelter_type, period or "")) or table.get((shelter_type, ""))


def certificate_warning_days() -> int:
    return int(_setting("CERTIFICATE_WARNING_DAYS", CERTIFICATE_WARNING_DAYS))


def map_layer_limit() -> int:
    return int(_setting("MAP_LAYER_LIMIT", MAP_LAYER_LIMIT))
