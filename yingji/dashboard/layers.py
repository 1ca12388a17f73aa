"""The GeoJSON layers of the map "一张图" (F8): administrative boundaries and enterprises.

Every layer is read through the access filter (``visible_to``), so a map shows exactly the rows
that the user's lists show. Output is RFC 7946 GeoJSON: a ``FeatureCollection`` in WGS84 with
coordinates in longitude, latitude order.

Boundaries are large and change rarely, so each process keeps, per level, every place's feature
already serialised (county and town outlines simplified with shapely); the cache is keyed by the
places geometry version that ``yingji.places.services.boundaries_changed`` bumps after each write.
A request then costs one indexed query for the ids the user may see, plus string joins.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass

import shapely
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from shapely.geometry import shape

from yingji.framework.access import assignments_of
from yingji.framework.roles import ROLES
from yingji.orgs.models import Department, Enterprise
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place
from yingji.places.services import geometry_version

logger = logging.getLogger(__name__)

#: Levels of the region tree, top down.
LEVELS: tuple[str, ...] = (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWN, PlaceLevel.VILLAGE)

#: Simplification tolerance in degrees (about 100 m per 0.001°); villages are sent as stored.
SIMPLIFY_TOLERANCE: dict[str, float] = {
    PlaceLevel.CITY: 0.004,
    PlaceLevel.COUNTY: 0.002,
    PlaceLevel.TOWN: 0.0008,
}
#: Decimals kept in simplified outlines (5 decimals ≈ 1 m).
COORD_PRECISION = 1e-5
#: Decimals of enterprise points (6 decimals ≈ 0.1 m, what the form accepts).
POINT_DECIMALS = 6

Bbox = tuple[float, float, float, float]


class BboxError(ValueError):
    """A ``bbox`` parameter that is not ``minlon,minlat,maxlon,maxlat`` in WGS84."""


def parse_bbox(value: str | None) -> Bbox | None:
    """``"minlon,minlat,maxlon,maxlat"`` → a tuple, None when empty; :class:`BboxError` when malformed."""
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    message = _("bbox 须为“最小经度,最小纬度,最大经度,最大纬度”（WGS84），例如 120.8,31.9,121.0,32.1。")
    if len(parts) != 4:
        raise BboxError(message)
    try:
        minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    except ValueError as exc:
        raise BboxError(message) from exc
    if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        raise BboxError(message)
    return minlon, minlat, maxlon, maxlat


def _intersects(a: Bbox, b: Bbox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


# --- Administrative boundaries ----------------------------------------------------------------


@dataclass(frozen=True)
class PlaceFeature:
    """One place of a cached layer: its tree path, the bounds of its boundary and its Feature JSON."""

    path: str
    bounds: Bbox | None
    json: str | None  # None when the place has no (usable) boundary


def _simplified(geoms: list, tolerance: float) -> list:
    """Simplify a level's outlines together so that neighbours keep their shared edges."""
    try:
        out = list(shapely.coverage_simplify(geoms, tolerance))
        if all(shapely.is_valid(g) and not g.is_empty for g in out):
            return out
    except Exception:  # not a clean coverage: fall back to one outline at a time
        logger.info("coverage simplification failed; simplifying outlines one by one", exc_info=True)
    return [g.simplify(tolerance, preserve_topology=True) for g in geoms]


def _build_layer(level: str) -> dict[int, PlaceFeature]:
    rows = list(
        Place.objects.filter(level=level)
        .order_by()
        .values_list("pk", "code", "name", "level", "population", "path", "boundary")
    )
    shapes: dict[int, object] = {}
    for pk, code, _name, _level, _pop, _path, boundary in rows:
        if not boundary:
            continue
        try:
            geom = shape(boundary)
        except Exception:  # a malformed stored boundary must not break the map
            logger.warning("place %s has a malformed boundary; left off the map", code)
            continue
        if not geom.is_empty:
            shapes[pk] = geom
    bounds = {pk: tuple(g.bounds) for pk, g in shapes.items()}
    geometry_json: dict[int, str] = {}
    tolerance = SIMPLIFY_TOLERANCE.get(level)
    if tolerance and shapes:
        keys = list(shapes)
        simple = _simplified([shapes[k] for k in keys], tolerance)
        # RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise.
        simple = shapely.orient_polygons(shapely.set_precision(simple, COORD_PRECISION))
        for pk, geom in zip(keys, simple, strict=True):
            if geom is not None and not geom.is_empty:
                geometry_json[pk] = shapely.to_geojson(geom)
    else:
        for pk, _code, _name, _level, _pop, _path, boundary in rows:
            if pk in shapes:
                geometry_json[pk] = json.dumps(boundary, separators=(",", ":"))
    layer = {}
    for pk, code, name, lvl, population, path, _boundary in rows:
        geometry = geometry_json.get(pk)
        feature = None
        if geometry is not None:
            props = json.dumps(
                {"id": pk, "code": code, "name": name, "level": lvl, "population": population},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            feature = f'{{"type":"Feature","id":{pk},"properties":{props},"geometry":{geometry}}}'
        layer[pk] = PlaceFeature(path=path, bounds=bounds.get(pk), json=feature)
    return layer


class _LayerCache:
    """Per-process serialised boundary layers, rebuilt when the geometry version changes or when a
    place appears that the cached layer does not know (a write that did not bump the version)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._layers: dict[str, tuple[int, dict[int, PlaceFeature]]] = {}

    def _fresh(self, level: str, version: int, need_ids) -> dict[int, PlaceFeature] | None:
        entry = self._layers.get(level)
        if entry is None or entry[0] != version or any(pk not in entry[1] for pk in need_ids):
            return None
        return entry[1]

    def get(self, level: str, need_ids=()) -> dict[int, PlaceFeature]:
        version = geometry_version()
        layer = self._fresh(level, version, need_ids)
        if layer is None:
            with self._lock:
                layer = self._fresh(level, version, need_ids)
                if layer is None:
                    layer = _build_layer(level)
                    self._layers[level] = (version, layer)
        return layer

    def clear(self):
        with self._lock:
            self._layers.clear()


layer_cache = _LayerCache()


def _collection(parts) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def places_geojson(user, level: str, bbox: Bbox | None = None) -> str:
    """The boundaries of ``level`` that ``user`` may see (optionally those meeting ``bbox``), as a
    serialised FeatureCollection. Places without a boundary are left out."""
    ids = list(Place.objects.visible_to(user).filter(level=level).values_list("pk", flat=True))
    layer = layer_cache.get(level, ids)
    parts = []
    for pk in ids:
        feature = layer.get(pk)
        if feature is None or feature.json is None:
            continue
        if bbox is not None and not _intersects(feature.bounds, bbox):
            continue
        parts.append(feature.json)
    return _collection(parts)


def place_bounds(place: Place | None) -> Bbox | None:
    """The bounds of ``place`` (None: the whole region): its own boundary, or else the union of its
    highest descendants that have one. None when no boundary is known at all."""
    prefix = place.path if place is not None else ""
    start = LEVELS.index(place.level) if place is not None else 0
    for level in LEVELS[start:]:
        boxes = [f.bounds for f in layer_cache.get(level).values() if f.bounds and f.path.startswith(prefix)]
        if boxes:
            return (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
    return None


# --- The user's area ------------------------------------------------------------------------


def scope_place(user) -> Place | None:
    """The smallest place that contains everything the user may see (None: the whole region).

    Taken from the user's role assignments: the common ancestor of their places; an assignment
    limited to an enterprise or a department only counts with that organisation's place.
    """
    paths = []
    for a in assignments_of(user):
        spec = ROLES.get(a.role)
        if spec is None:
            continue
        if spec.global_scope:
            return None
        if a.place_id is not None:
            paths.append(a.place.path)
        elif a.enterprise_id is not None:
            paths.append(
                Enterprise.objects.filter(pk=a.enterprise_id).values_list("place__path", flat=True).first()
            )
        elif a.department_id is not None:
            paths.append(
                Department.objects.filter(pk=a.department_id).values_list("place__path", flat=True).first()
            )
        else:
            return None
    paths = [p for p in paths if p]
    if not paths:
        return None
    chains = [p.strip("/").split("/") for p in paths]
    common = []
    for codes in zip(*chains, strict=False):
        if any(c != codes[0] for c in codes):
            break
        common.append(codes[0])
    if not common:
        return None
    return Place.objects.filter(code=common[-1]).first()


def child_level(place: Place | None) -> str:
    """The level one below ``place`` (county for the whole region), never below village."""
    if place is None:
        return PlaceLevel.COUNTY
    return LEVELS[min(LEVEL_DEPTH[place.level] + 1, len(LEVELS) - 1)]


# --- Enterprises ------------------------------------------------------------------------------


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def enterprises_geojson(queryset, bbox: Bbox | None = None) -> str:
    """Point features of the enterprises in ``queryset`` (already scoped and filtered) that have a
    valid location; read as tuples, not model instances (5,000 points in a few tens of ms)."""
    minlon, minlat, maxlon, maxlat = bbox if bbox is not None else (-180.0, -90.0, 180.0, 90.0)
    qs = queryset.filter(
        longitude__gte=minlon, latitude__gte=minlat, longitude__lte=maxlon, latitude__lte=maxlat
    )
    # The flags are read as the stored ",a,b," text: FlagsField's per-row converter would cost more
    # than the whole query.
    rows = qs.order_by("pk").values_list(
        "pk",
        "name",
        "longitude",
        "latitude",
        Cast("risk_flags", CharField()),
        "industry",
        "operating_status",
        "place__code",
        "place__name",
    )
    parts = [
        f'{{"type":"Feature","id":{pk},"properties":'
        + _encode(
            {
                "id": pk,
                "name": name,
                "risk_flags": flags.strip(",").split(",") if flags else [],
                "industry": industry,
                "operating_status": status,
                "place": place_code,
                "place_name": place_name,
            }
        )
        + f',"geometry":{{"type":"Point","coordinates":[{round(lon, POINT_DECIMALS)!r},'
        f"{round(lat, POINT_DECIMALS)!r}]}}}}"
        for pk, name, lon, lat, flags, industry, status, place_code, place_name in rows
    ]
    return _collection(parts)
