"""GeoJSON layers of the resources map "一张图": teams, experts' organisations, equipment, warehouses
(with a stock summary) and shelters (with capacity and status).

Every layer reads its rows through the access filter. Features are RFC 7946 points; their
properties always carry ``id``, ``name``, ``url``, ``color``, ``kind`` (the layer) and ``summary``
(one line for a popup), plus the layer's own fields (see docs/resources.md).
"""

from __future__ import annotations

import json

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from yingji.resources import rules
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
from yingji.resources.models import Equipment, Expert, Shelter, Team

LAYERS = ("teams", "experts", "equipment", "warehouses", "shelters")

TEAM_COLOURS = {
    TeamKind.COMPREHENSIVE: "#e03131",
    TeamKind.PROFESSIONAL: "#1971c2",
    TeamKind.SOCIAL: "#f08c00",
    TeamKind.GRASSROOTS: "#2b8a3e",
    TeamKind.MILITARY: "#495057",
}
SHELTER_COLOURS = {
    ShelterStatus.CLOSED: "#868e96",
    ShelterStatus.OPEN: "#5c940d",
    ShelterStatus.FULL: "#c92a2a",
}
EQUIPMENT_COLOURS = {
    EquipmentStatus.AVAILABLE: "#0c8599",
    EquipmentStatus.IN_USE: "#e67700",
    EquipmentStatus.MAINTENANCE: "#868e96",
    EquipmentStatus.SCRAPPED: "#343a40",
}
EXPERT_COLOUR = "#6741d9"
WAREHOUSE_COLOURS = {"city": "#1b5e20", "county": "#2f9e44", "town": "#51cf66", "village": "#8ce99a"}


class LayerError(ValueError):
    def __init__(self, message: str, code: str, field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def _warehouse_levels():
    from yingji.materials.choices import WarehouseLevel

    return WarehouseLevel.values


#: Each layer's filters: query parameter → the values it admits. A value outside them is refused
#: (``invalid_<parameter>``) rather than answering an empty layer that looks like "nothing there".
FILTER_VALUES = {
    "teams": {
        "team_kind": lambda: TeamKind.values,
        "readiness": lambda: Readiness.values,
        "capability": lambda: [c for c, _label in CAPABILITIES],
    },
    "experts": {"specialty": lambda: [c for c, _label in EXPERT_FIELDS]},
    "equipment": {"equipment_kind": lambda: EquipmentKind.values},
    "warehouses": {"level": _warehouse_levels},
    "shelters": {"status": lambda: ShelterStatus.values, "shelter_type": lambda: ShelterType.values},
}


def clean_filters(layer: str, params) -> dict[str, str]:
    """The layer's filters from the query ``params`` (other parameters are left to the view);
    :class:`LayerError` names the first parameter whose value the layer does not know."""
    filters = {}
    for name, values in FILTER_VALUES.get(layer, {}).items():
        value = (params.get(name) or "").strip()
        if not value:
            continue
        allowed = values()
        if value not in allowed:
            raise LayerError(
                _("%(name)s 的取值 %(value)s 无效；可选 %(ok)s。")
                % {"name": name, "value": value, "ok": ",".join(allowed)},
                f"invalid_{name}",
                name,
            )
        filters[name] = value
    return filters


def _url_pattern(name: str) -> str:
    try:
        return reverse(name, args=[0]).replace("/0/", "/{id}/")
    except NoReverseMatch:
        return ""


def _in_bbox(qs, bbox):
    qs = qs.filter(longitude__isnull=False, latitude__isnull=False)
    if bbox is not None:
        minlon, minlat, maxlon, maxlat = bbox
        qs = qs.filter(
            longitude__gte=minlon, longitude__lte=maxlon, latitude__gte=minlat, latitude__lte=maxlat
        )
    return qs


def _feature(pk, lon, lat, props) -> str:
    return (
        f'{{"type":"Feature","id":{pk},"geometry":{{"type":"Point","coordinates":[{round(lon, 6)},{round(lat, 6)}]}},'
        f'"properties":{json.dumps(props, ensure_ascii=False, separators=(",", ":"))}}}'
    )


def _collection(parts: list[str], limit: int, truncated: bool) -> str:
    head = f'{{"type":"FeatureCollection","limit":{limit},"truncated":{"true" if truncated else "false"},'
    return head + '"features":[' + ",".join(parts) + "]}"


def _teams(user, bbox, limit, filters):
    url = _url_pattern("resources:team_detail")
    kinds = {k: str(v) for k, v in TeamKind.choices}
    readiness = {k: str(v) for k, v in Readiness.choices}
    headcount_label = _("%(n)s人")
    qs = _in_bbox(Team.objects.visible_to(user), bbox)
    if filters.get("team_kind"):
        qs = qs.filter(kind=filters["team_kind"])
    if filters.get("readiness"):
        qs = qs.filter(readiness=filters["readiness"])
    if filters.get("capability"):
        qs = qs.filter(capabilities__contains=f",{filters['capability']},")
    rows = qs.order_by("pk").values_list(
        "pk", "longitude", "latitude", "name", "kind", "specialty", "readiness", "headcount", "place__name"
    )[: limit + 1]
    for pk, lon, lat, name, kind, specialty, ready, heads, place in rows:
        yield _feature(
            pk,
            lon,
            lat,
            {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)),
                "color": TEAM_COLOURS.get(kind, "#1971c2"),
                "kind": "team",
                "team_kind": kind,
                "specialty": specialty,
                "readiness": ready,
                "headcount": heads,
                "place_name": place,
                "summary": " · ".join(
                    (
                        str(kinds.get(kind, kind)),
                        headcount_label % {"n": heads},
                        str(readiness.get(ready, ready)),
                    )
                ),
            },
        )


def _experts(user, bbox, limit, filters):
    url = _url_pattern("resources:expert_detail")
    qs = _in_bbox(Expert.objects.visible_to(user), bbox)
    if filters.get("specialty"):
        qs = qs.filter(specialties__contains=f",{filters['specialty']},")
    field = Expert._meta.get_field("specialties")
    rows = qs.order_by("pk").values_list(
        "pk", "longitude", "latitude", "name", "organisation", "specialties", "availability", "place__name"
    )[: limit + 1]
    for pk, lon, lat, name, org, specialties, availability, place in rows:
        yield _feature(
            pk,
            lon,
            lat,
            {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)),
                "color": EXPERT_COLOUR,
                "kind": "expert",
                "organisation": org,
                "specialties": specialties,
                "availability": availability,
                "place_name": place,
                "summary": f"{org} · {field.display(specialties)}",
            },
        )


def _equipment(user, bbox, limit, filters):
    url = _url_pattern("resources:equipment_detail")
    kinds = {k: str(v) for k, v in EquipmentKind.choices}
    qs = _in_bbox(Equipment.objects.visible_to(user), bbox)
    if filters.get("equipment_kind"):
        qs = qs.filter(kind=filters["equipment_kind"])
    rows = qs.order_by("pk").values_list(
        "pk",
        "longitude",
        "latitude",
        "name",
        "kind",
        "quantity",
        "unit",
        "status",
        "owner_name",
        "place__name",
    )[: limit + 1]
    for pk, lon, lat, name, kind, qty, unit, status, owner, place in rows:
        yield _feature(
            pk,
            lon,
            lat,
            {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)),
                "color": EQUIPMENT_COLOURS.get(status, "#0c8599"),
                "kind": "equipment",
                "equipment_kind": kind,
                "quantity": qty,
                "unit": unit,
                "status": status,
                "owner_name": owner,
                "place_name": place,
                "summary": f"{kinds.get(kind, kind)} × {qty}{unit}",
            },
        )


def _shelters(user, bbox, limit, filters):
    url = _url_pattern("resources:shelter_detail")
    types, statuses = dict(ShelterType.choices), dict(ShelterStatus.choices)
    types, statuses = {k: str(v) for k, v in types.items()}, {k: str(v) for k, v in statuses.items()}
    holds = _("容纳")
    qs = _in_bbox(Shelter.objects.visible_to(user), bbox)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("shelter_type"):
        qs = qs.filter(shelter_type=filters["shelter_type"])
    rows = qs.order_by("pk").values_list(
        "pk",
        "longitude",
        "latitude",
        "name",
        "shelter_type",
        "capacity",
        "occupancy",
        "status",
        "effective_area_m2",
        "place__name",
    )[: limit + 1]
    for pk, lon, lat, name, stype, capacity, occupancy, status, area, place in rows:
        yield _feature(
            pk,
            lon,
            lat,
            {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)),
                "color": SHELTER_COLOURS.get(status, "#5c940d"),
                "kind": "shelter",
                "shelter_type": stype,
                "capacity": capacity,
                "occupancy": occupancy,
                "free_capacity": max(capacity - occupancy, 0),
                "status": status,
                "effective_area_m2": float(area),
                "place_name": place,
                "summary": f"{types.get(stype, stype)} · {holds} {capacity} · {statuses.get(status, status)}",
            },
        )


def _warehouses(user, bbox, limit, filters):
    from yingji.resources.nearest import warehouse_model

    Warehouse = warehouse_model()
    if Warehouse is None:
        return
    from yingji.materials.models import Stock

    url = _url_pattern("materials:warehouse_detail")
    levels = dict(Warehouse._meta.get_field("level").choices)
    qs = _in_bbox(Warehouse.objects.visible_to(user).filter(is_active=True), bbox)
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    rows = list(
        qs.order_by("pk").values_list(
            "pk", "longitude", "latitude", "name", "level", "place__name", "place__code"
        )[: limit + 1]
    )
    ids = [r[0] for r in rows]
    items = dict(
        Stock.objects.filter(warehouse_id__in=ids, quantity__gt=0)
        .values("warehouse_id")
        .annotate(n=Count("item", distinct=True))
        .order_by()
        .values_list("warehouse_id", "n")
    )
    for pk, lon, lat, name, level, place, code in rows:
        n = items.get(pk, 0)
        yield _feature(
            pk,
            lon,
            lat,
            {
                "id": pk,
                "name": name,
                "url": url.replace("{id}", str(pk)) if url else "",
                "color": WAREHOUSE_COLOURS.get(level, "#2f9e44"),
                "kind": "warehouse",
                "level": level,
                "place_name": place,
                "place_code": code,
                "stock_items": n,
                "summary": f"{levels.get(level, level)} · {_('库存物资')} {n} {_('种')}",
            },
        )


_BUILDERS = {
    "teams": _teams,
    "experts": _experts,
    "equipment": _equipment,
    "warehouses": _warehouses,
    "shelters": _shelters,
}

LAYER_MODELS = {
    "teams": "resources.team",
    "experts": "resources.expert",
    "equipment": "resources.equipment",
    "warehouses": "materials.warehouse",
    "shelters": "resources.shelter",
}


def layer_geojson(user, layer: str, bbox=None, limit: int | None = None, filters: dict | None = None) -> str:
    """The layer's features that ``user`` may see, in ``bbox`` if given, at most ``limit``
    (``truncated`` says when more exist); ``filters`` as in :data:`FILTER_VALUES` (LayerError
    for a value the layer does not know)."""
    if layer not in _BUILDERS:
        raise LayerError(_("未知的图层：%(l)s。") % {"l": layer}, "invalid_layer")
    limit = limit or rules.map_layer_limit()
    parts = list(_BUILDERS[layer](user, bbox, limit, clean_filters(layer, filters or {})))
    truncated = len(parts) > limit
    return _collection(parts[:limit], limit, truncated)
