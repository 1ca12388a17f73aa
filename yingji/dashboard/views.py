"""The home page (figures of what the user may see) and the map "一张图" (F8)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yingji.dashboard import figures, layers
from yingji.dashboard.overlays import overlays_for
from yingji.framework.access import can
from yingji.orgs.catalogues import INDUSTRY_CHOICES
from yingji.orgs.choices import RISK_FLAGS, OperatingStatus
from yingji.orgs.models import Enterprise
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place

#: Marker colours of the enterprise overlays, one per risk flag (and "all").
FLAG_COLOURS = {
    "hazardous_chemicals": "#d62728",
    "major_hazard_source": "#8b0000",
    "hazardous_process": "#e377c2",
    "dust_explosion": "#ff7f0e",
    "ammonia_refrigeration": "#17becf",
    "confined_space": "#9467bd",
    "molten_metal": "#bcbd22",
    "metallurgy": "#8c564b",
    "crowded_place": "#1f77b4",
    "fireworks": "#ff1493",
    "mine": "#556b2f",
    "tailings_pond": "#2f4f4f",
    "gas": "#ffbf00",
    "construction": "#708090",
    "road_transport": "#006400",
}
ALL_COLOUR, MAJOR_COLOUR = "#0d6efd", "#b3261e"
#: Village outlines are fetched for the current view only, from this zoom on.
VILLAGE_MIN_ZOOM = 12
#: Zoom used when the map opens on one enterprise.
FOCUS_ZOOM = 16
#: Where the map opens when no boundary is known at all (南通市).
DEFAULT_CENTRE = (32.0, 120.9)
DEFAULT_ZOOM = 9


def _leaflet_bounds(bbox) -> list | None:
    """(minlon, minlat, maxlon, maxlat) → Leaflet's [[south, west], [north, east]]."""
    if bbox is None:
        return None
    minlon, minlat, maxlon, maxlat = (round(v, 6) for v in bbox)
    return [[minlat, minlon], [maxlat, maxlon]]


def _chart(items) -> list[dict]:
    return [{"name": str(i["label"]), "value": i["count"], "url": i["url"]} for i in items or ()]


@login_required
def home(request):
    user = request.user
    scope = layers.scope_place(user)
    area_level = layers.child_level(scope)
    enterprises = figures.enterprise_summary(user)
    by_section = figures.enterprises_by_section(user)
    by_area = figures.enterprises_by_area(user, area_level)
    charts = None
    if enterprises is not None:
        charts = {
            "section": _chart(by_section),
            "risk": _chart([f for f in enterprises["by_flag"] if f["count"]]),
            "area": _chart(by_area),
        }
    context = {
        "scope": scope,
        "area_level_label": PlaceLevel(area_level).label,
        "place_counts": figures.place_counts(user, scope),
        "enterprises": enterprises,
        "major_flags": [label for code, label in RISK_FLAGS if code in figures.MAJOR_RISK_FLAGS],
        "org_counts": figures.organisation_counts(user),
        "incidents": figures.open_incidents_card(user),
        "recent_changes": figures.recent_changes(user),
        "charts": charts,
    }
    return render(request, "dashboard/home.html", context)


def _focus(request) -> tuple[dict | None, str]:
    """The enterprise named by ``?enterprise=<id>`` (404 when missing or out of scope)."""
    raw = request.GET.get("enterprise", "").strip()
    if not raw:
        return None, ""
    if not raw.isdigit():
        return None, _("参数 enterprise 应为企业编号（数字），已忽略。")
    row = (
        Enterprise.objects.visible_to(request.user)
        .filter(pk=int(raw))
        .values("pk", "name", "longitude", "latitude")
        .first()
    )
    if row is None:
        raise Http404(_("没有找到该企业，或它不在您的管辖范围内。"))
    if row["longitude"] is None or row["latitude"] is None:
        return None, _("企业“%(name)s”尚未登记经纬度，无法在地图上定位。") % {"name": row["name"]}
    return {"id": row["pk"], "name": row["name"], "lon": row["longitude"], "lat": row["latitude"]}, ""


def _map_text() -> dict:
    """The strings map.js shows, translated here so that they follow the user's language."""
    return {
        "placesGroup": _("行政区划"),
        "enterprisesGroup": _("企业"),
        "allEnterprises": _("全部企业"),
        "baseMap": _("底图"),
        "noBaseMap": _("无底图"),
        "inView": _("视图内 {n} 家企业"),
        "showingFirst": _("（仅列出前 {n} 家，请放大地图或搜索）"),
        "searchResults": _("搜索到 {n} 家企业"),
        "noResult": _("没有找到名称包含“{q}”的企业。"),
        "noLayer": _("请在右上角图层中打开企业图层。"),
        "loading": _("正在加载地图数据…"),
        "loadFailed": _("地图数据加载失败（{status}），请稍后重试。"),
        "zoomForVillages": _("放大地图以显示村/社区边界"),
        "population": _("常住人口"),
        "code": _("区划代码"),
        "riskFlags": _("风险标记"),
        "industry": _("行业"),
        "place": _("属地"),
        "status": _("经营状态"),
        "detail": _("查看详情"),
        "none": _("无"),
        "tooMany": _("“{layer}”图层在当前视图内超过 {n} 个点，仅显示前 {n} 个，请放大地图。"),
    }


@login_required
def map_view(request):
    user = request.user
    focus, notice = _focus(request)
    scope = layers.scope_place(user)
    can_places, can_enterprises = can(user, "view", Place), can(user, "view", Enterprise)
    bounds = layers.place_bounds(scope) if can_places or can_enterprises else None
    scope_depth = LEVEL_DEPTH[scope.level] if scope is not None else 0
    config = {
        "placesUrl": reverse("map-places"),
        "enterprisesUrl": reverse("map-enterprises"),
        "enterpriseUrl": reverse("orgs:enterprise_detail", args=[0]).replace("/0/", "/{id}/"),
        "placeUrl": reverse("places:place_detail", args=[0]).replace("/0/", "/{id}/"),
        "bounds": _leaflet_bounds(bounds),
        "centre": list(DEFAULT_CENTRE),
        "zoom": DEFAULT_ZOOM,
        "focus": focus,
        "focusZoom": FOCUS_ZOOM,
        "villageMinZoom": VILLAGE_MIN_ZOOM,
        "levels": [
            {"code": level, "label": str(label)}
            for level, label in PlaceLevel.choices
            if can_places and level != PlaceLevel.CITY and LEVEL_DEPTH[level] >= scope_depth
        ],
        "enterprises": can_enterprises,
        "flags": [
            {
                "code": code,
                "label": label,
                "colour": FLAG_COLOURS.get(code, ALL_COLOUR),
                "major": code in figures.MAJOR_RISK_FLAGS,
            }
            for code, label in RISK_FLAGS
        ],
        "allColour": ALL_COLOUR,
        "majorColour": MAJOR_COLOUR,
        "industries": dict(INDUSTRY_CHOICES),
        "statuses": {code: str(label) for code, label in OperatingStatus.choices},
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "overlays": overlays_for(user),
        "text": _map_text(),
    }
    context = {"map_config": config, "notice": notice, "scope": scope, "focus": focus}
    return render(request, "dashboard/map.html", context)
