"""Pages of the resources beyond the generic ones: the resources map "一张图", coverage, the shelters'
"一张表" sheet, and the team / shelter detail pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from yingji.framework.access import can
from yingji.framework.views import ObjectDetailView, ObjectListView
from yingji.resources import coverage as cov
from yingji.resources import nearest, rules
from yingji.resources.choices import (
    CAPABILITIES,
    EXPERT_FIELDS,
    EquipmentKind,
    EquipmentStatus,
    Readiness,
    ShelterStatus,
    ShelterType,
    TeamKind,
)
from yingji.resources.layers import (
    EQUIPMENT_COLOURS,
    EXPERT_COLOUR,
    LAYER_MODELS,
    SHELTER_COLOURS,
    TEAM_COLOURS,
    WAREHOUSE_COLOURS,
)
from yingji.resources.models import Shelter, Team


class TeamDetailView(ObjectDetailView):
    def extra_context(self, obj):
        members = list(obj.members.all().order_by("name"))
        return {
            "members": members,
            "expiring": [m for m in members if m.certificate_state in ("expired", "expiring")],
            "equipment": list(obj.equipment.all().order_by("kind", "name")),
            "warning_days": rules.certificate_warning_days(),
        }


class ShelterDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {
            "minimum": rules.min_per_capita(obj.shelter_type, obj.fixed_period),
        }


class ShelterListView(ObjectListView):
    template_name = "resources/shelter_list.html"


def _choices(choices) -> dict:
    return {code: str(label) for code, label in choices}


def _map_text() -> dict:
    return {
        "loading": _("正在加载…"),
        "loadFailed": _("加载失败（{status}），请稍后重试。"),
        "inView": _("视图内 {n} 项"),
        "showingFirst": _("（仅列出前 {n} 项，请放大地图）"),
        "noLayer": _("请在右上角打开图层。"),
        "truncated": _("“{layer}”在当前视图内超过 {n} 项，仅显示前 {n} 项，请放大地图。"),
        "clickHint": _("在地图上点击任意位置，查找最近的队伍、物资和避难场所。"),
        "nearestTitle": _("最近的资源"),
        "searching": _("正在查找最近的资源…"),
        "none": _("无"),
        "distance": _("距离"),
        "available": _("可用"),
        "issueHere": _("向此处调拨物资"),
        "detail": _("详情"),
        "free": _("剩余容量"),
        "origin": _("查询点"),
        "clear": _("清除"),
        "km": _("公里"),
        "m": _("米"),
        "kindNames": {
            "team": _("救援队伍"),
            "expert": _("专家"),
            "equipment": _("装备"),
            "shelter": _("避难场所"),
            "material": _("物资仓库"),
        },
    }


@login_required
def map_view(request):
    """The resources map "一张图": layers, a synchronised side list and nearest search on click."""
    from yingji.dashboard.layers import place_bounds, scope_place
    from yingji.dashboard.views import DEFAULT_CENTRE, DEFAULT_ZOOM, _leaflet_bounds

    user = request.user
    layer_labels = {
        "teams": _("救援队伍"),
        "experts": _("专家所在单位"),
        "equipment": _("装备"),
        "warehouses": _("物资仓库"),
        "shelters": _("避难场所"),
    }
    legend_colour = {
        "teams": "#1971c2",
        "experts": EXPERT_COLOUR,
        "equipment": "#0c8599",
        "warehouses": "#2f9e44",
        "shelters": "#5c940d",
    }
    from django.apps import apps

    layers_cfg = []
    for code, label in layer_labels.items():
        try:
            model = apps.get_model(LAYER_MODELS[code])
            url = reverse(f"resources-map-{code}")
        except (LookupError, NoReverseMatch):
            continue
        if can(user, "view", model):
            layers_cfg.append({"code": code, "label": str(label), "url": url, "colour": legend_colour[code]})
    if not layers_cfg:
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    items = []
    try:
        Item = apps.get_model("materials", "Item")
    except LookupError:
        Item = None
    if Item is not None and can(user, "view", Item):
        items = [
            {"id": pk, "name": f"{name}{f'（{spec}）' if spec else ''}", "unit": unit}
            for pk, name, spec, unit in Item.objects.visible_to(user)
            .order_by("name")
            .values_list("pk", "name", "specification", "unit")[:500]
        ]
    scope = scope_place(user)
    config = {
        "layers": layers_cfg,
        "nearestUrl": reverse("resources-nearest"),
        "bounds": _leaflet_bounds(place_bounds(scope)),
        "centre": list(DEFAULT_CENTRE),
        "zoom": DEFAULT_ZOOM,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "limit": rules.NEAREST_DEFAULT_LIMIT,
        "teamKinds": _choices(TeamKind.choices),
        "readiness": _choices(Readiness.choices),
        "equipmentKinds": _choices(EquipmentKind.choices),
        "equipmentStatus": _choices(EquipmentStatus.choices),
        "shelterTypes": _choices(ShelterType.choices),
        "shelterStatus": _choices(ShelterStatus.choices),
        "capabilities": _choices(CAPABILITIES),
        "expertFields": _choices(EXPERT_FIELDS),
        "colours": {
            "teams": {k: v for k, v in TEAM_COLOURS.items()},
            "shelters": {k: v for k, v in SHELTER_COLOURS.items()},
            "equipment": {k: v for k, v in EQUIPMENT_COLOURS.items()},
            "warehouses": WAREHOUSE_COLOURS,
        },
        "items": items,
        "text": _map_text(),
    }
    context = {
        "map_config": config,
        "scope": scope,
        "items": items,
        "team_kinds": TeamKind.choices,
        "capabilities": CAPABILITIES,
    }
    return render(request, "resources/map.html", context)


@login_required
def coverage_view(request):
    from yingji.resources.api.endpoints import resolve_place

    if not can(request.user, "view", Team):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    try:
        place = resolve_place(request.user, request.GET.get("place"))
    except nearest.NearestError as exc:
        raise Http404(exc.message) from exc
    data = cov.coverage(request.user, place)
    from yingji.places.services import ancestors

    map_data = {
        "placesUrl": reverse("map-places"),
        "level": data.rows[0].place.level if data.rows else place.level,
        "rows": {
            str(r.place.pk): {
                "name": r.place.name,
                "perCapita": None if r.per_capita_area is None else float(r.per_capita_area),
                "meets": r.meets_target,
                "url": reverse("resources:coverage") + f"?place={r.place.code}",
            }
            for r in data.rows
        },
        "text": {"perCapita": _("人均避难面积"), "target": _("目标"), "none": _("无人口数据")},
        "target": float(data.target),
    }
    context = {
        "coverage": data,
        "place": place,
        "trail": [p for p in ancestors(place)],
        "map_data": map_data,
        "can_drill": place.level != "village",
    }
    return render(request, "resources/coverage.html", context)


@login_required
def shelter_sheet(request):
    """The shelters' "一张表": one formatted sheet of every visible shelter (filters of the list apply)."""
    from yingji.framework import registry
    from yingji.resources.sheet import shelter_sheet_response

    if not can(request.user, "view", Shelter):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    otype = registry.get(Shelter)
    qs = otype.with_related(Shelter.objects.visible_to(request.user))
    filterset = otype.filterset(request.GET or None, queryset=qs, request=request)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return shelter_sheet_response(queryset, request.user)
