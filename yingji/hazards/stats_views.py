"""The hazard statistics dashboard (``hazards:stats``): figure cards, charts, the 清零 table per place
and a map of the hazards coloured by status. Figures: ``yingji.hazards.stats``."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yingji.dashboard import layers
from yingji.framework.access import can
from yingji.hazards import stats
from yingji.hazards.choices import HazardKind, Status
from yingji.hazards.models import Hazard
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place


def _chart(items, key="count") -> list[dict]:
    return [{"name": i["label"], "value": i[key], "url": i.get("url")} for i in items if i[key]]


def _place_options(user, area: Place | None) -> list[dict]:
    """The places offered by the filter: the user's area and the visible counties and towns in it."""
    qs = Place.objects.visible_to(user).filter(
        level__in=(PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWN)
    )
    if area is not None:
        qs = qs.filter(path__startswith=area.path)
    options = [
        {"code": code, "label": "\u3000" * LEVEL_DEPTH[level] + name}
        for code, name, level in qs.order_by("path").values_list("code", "name", "level")[:500]
    ]
    if area is not None and area.level == PlaceLevel.VILLAGE:
        options.insert(0, {"code": area.code, "label": area.name})
    return options


def _map_config(user, figures: dict, filters: stats.StatsFilters, area: Place | None) -> dict:
    params = {k: v for k, v in filters.as_dict().items() if v}
    return {
        "url": reverse("hazard-stats-map"),
        "params": params,
        "bounds": _leaflet_bounds(layers.place_bounds(area)),
        "centre": [32.0, 120.9],
        "zoom": 9,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "statuses": [
            {"code": code, "label": str(label), "colour": stats.STATUS_COLOURS[code]}
            for code, label in Status.choices
        ],
        "text": {
            "loading": _("正在加载隐患点位…"),
            "loadFailed": _("隐患点位加载失败（{status}），请稍后重试。"),
            "truncated": _("仅显示最新的 {n} 条隐患，请缩小范围或放大地图。"),
            "shown": _("地图上 {n} 条隐患"),
            "detail": _("查看详情"),
            "legend": _("状态"),
        },
    }


def _leaflet_bounds(bbox):
    if bbox is None:
        return None
    minlon, minlat, maxlon, maxlat = (round(v, 6) for v in bbox)
    return [[minlat, minlon], [maxlat, maxlon]]


@login_required
def stats_view(request):
    user = request.user
    if not can(user, "view", Hazard):
        raise PermissionDenied(_("您没有查看隐患的权限。"))
    filters = stats.parse_filters(user, request.GET)
    figures = stats.cached_hazard_statistics(user, filters)
    area, _depth = stats.area_of(filters, user)
    scope_area = layers.scope_place(user)
    summary = figures["summary"]
    charts = {
        "grade": _chart(figures["by_grade"]),
        "status": _chart(figures["by_status"]),
        "source": _chart(figures["by_source"]),
        "industry": _chart(figures["by_industry"]),
        "place": {
            "names": [r["name"] for r in figures["by_place"]],
            "open": [r["open"] for r in figures["by_place"]],
            "closed": [r["closed"] for r in figures["by_place"]],
            "openLabel": _("未销号"),
            "closedLabel": _("已销号"),
        },
    }
    keep = {k: v for k, v in filters.as_dict().items() if v and k != "place"}
    for row in figures["by_place"]:
        row["drill_url"] = f"?{urlencode({**keep, 'place': row['code']})}" if row["code"] else None
    context = {
        "figures": figures,
        "summary": summary,
        "filters": filters,
        "filter_values": filters.as_dict(),
        "kinds": HazardKind.choices,
        "area": area,
        "area_level_label": PlaceLevel(figures["area_level"]).label,
        "place_options": _place_options(user, scope_area),
        "charts": charts,
        "map_config": _map_config(user, figures, filters, area),
        "rectification_pct": _pct(summary["rectification_rate"]),
        "overdue_pct": _pct(summary["overdue_rate"]),
        "major_cleared_count": sum(1 for r in figures["by_place"] if r["code"] and r["major_cleared"]),
        "all_cleared_count": sum(1 for r in figures["by_place"] if r["code"] and r["all_cleared"]),
        "place_row_count": sum(1 for r in figures["by_place"] if r["code"]),
    }
    return render(request, "hazards/stats.html", context)


def _pct(rate):
    return None if rate is None else round(rate * 100, 1)
