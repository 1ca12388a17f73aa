"""The situation picture (态势图) of an incident: distance rings around it, the villages and the
population inside each ring, the nearest resources the user may see and the teams dispatched to it,
as one GeoJSON FeatureCollection (RFC 7946; ``summary`` is a foreign member with the figures).

Population estimate (stated on the page): a village or community (村/社区, the leaves of the region
tree) counts **entirely** in a ring when its centre point lies within the ring's radius of the
incident, and not at all otherwise; its population is the registered 常住人口 of the place. Villages
without a registered population are counted separately (``unknown``), so the sum is a lower bound.
The centre is the place's stored centroid, else the area-weighted centroid of its boundary. Only
villages the user may see are counted (the access filter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.places.choices import PlaceLevel
from yingji.resources.nearest import EARTH_RADIUS_M, KINDS, Query, haversine_m

#: default rings in kilometres (settings.DISPATCH_SITUATION_RADII_KM overrides)
DEFAULT_RADII_KM = (1, 3, 5, 10)
MAX_RADIUS_KM = 50
MAX_RINGS = 6
RESOURCES_PER_KIND = 50
RING_SEGMENTS = 72

METHOD = gettext_lazy(
    "人口为估算值：村（社区）中心点位于半径之内的，按其登记常住人口全部计入；中心点在半径之外的不计入；"
    "未登记人口的村（社区）单独列出，不计入合计。只统计您管辖范围内的村（社区）。"
)


class SituationError(ValueError):
    def __init__(self, message: str, code: str, field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def default_radii() -> tuple[float, ...]:
    return tuple(getattr(settings, "DISPATCH_SITUATION_RADII_KM", DEFAULT_RADII_KM))


def parse_radii(raw: str | None) -> tuple[float, ...]:
    """``"1,3,5"`` → (1.0, 3.0, 5.0), sorted and unique; empty → the default rings."""
    raw = (raw or "").strip()
    if not raw:
        return default_radii()
    try:
        values = sorted({float(v) for v in raw.replace("，", ",").split(",") if v.strip()})
    except ValueError:
        values = []
    if (
        not values
        or len(values) > MAX_RINGS
        or any(not math.isfinite(v) or v <= 0 or v > MAX_RADIUS_KM for v in values)
    ):
        raise SituationError(
            _("半径须为 1 到 %(n)s 个大于 0、不超过 %(max)s 公里的数，用逗号分隔，例如 1,3,5,10。")
            % {"n": MAX_RINGS, "max": MAX_RADIUS_KM},
            "invalid_radii",
            "radii",
        )
    return tuple(values)


def destination(lon: float, lat: float, bearing_deg: float, distance_m: float) -> tuple[float, float]:
    """The point ``distance_m`` from (lon, lat) along ``bearing_deg`` on the sphere."""
    d = distance_m / EARTH_RADIUS_M
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return (round((math.degrees(l2) + 540) % 360 - 180, 6), round(math.degrees(p2), 6))


def circle(lon: float, lat: float, radius_m: float, segments: int = RING_SEGMENTS) -> dict:
    """A GeoJSON Polygon approximating the circle (counter-clockwise, closed)."""
    ring = [destination(lon, lat, -360 * i / segments, radius_m) for i in range(segments)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def _ring_centroid(ring) -> tuple[float, float, float]:
    """(signed area, cx, cy) of one linear ring (planar shoelace in degrees; fine at village scale)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def geometry_centroid(geometry) -> tuple[float, float] | None:
    """The area-weighted centroid of the outer rings of a GeoJSON Polygon or MultiPolygon."""
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    total = sx = sy = 0.0
    fallback = None
    for polygon in polygons:
        if not polygon or len(polygon[0]) < 3:
            continue
        area, cx, cy = _ring_centroid(polygon[0])
        fallback = fallback or (cx, cy)
        total += abs(area)
        sx += cx * abs(area)
        sy += cy * abs(area)
    if total > 0:
        return sx / total, sy / total
    return fallback


def place_point(place) -> tuple[float, float] | None:
    if place.centroid_lon is not None and place.centroid_lat is not None:
        return place.centroid_lon, place.centroid_lat
    return geometry_centroid(place.boundary)


def incident_point(incident) -> tuple[float, float]:
    if incident.has_location:
        return incident.longitude, incident.latitude
    point = place_point(incident.place)
    if point is None:
        raise SituationError(
            _("事件没有坐标，其所在地区也没有中心点：请先在事件上填写经纬度。"), "no_location", "longitude"
        )
    return point


@dataclass
class Village:
    place: object
    lon: float
    lat: float
    distance_m: float


def villages_near(user, lon: float, lat: float, radius_m: float, incident_place=None) -> list[Village]:
    """Villages/communities the user may see whose centre lies within ``radius_m``, nearest first."""
    from yingji.places.models import Place

    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    box = Q(
        centroid_lon__gte=lon - dlon,
        centroid_lon__lte=lon + dlon,
        centroid_lat__gte=lat - dlat,
        centroid_lat__lte=lat + dlat,
    )
    without = Q(centroid_lon__isnull=True) | Q(centroid_lat__isnull=True)
    if incident_place is not None:
        # places without a stored centroid: look at the incident's county only (boundary centroid)
        county_path = "/".join(incident_place.path.split("/")[:2]) + "/"
        without &= Q(path__startswith=county_path)
    rows = Place.objects.visible_to(user).filter(level=PlaceLevel.VILLAGE).filter(box | without)
    out = []
    for place in rows:
        point = place_point(place)
        if point is None:
            continue
        distance = haversine_m(lon, lat, point[0], point[1])
        if distance <= radius_m:
            out.append(Village(place, point[0], point[1], distance))
    out.sort(key=lambda v: (v.distance_m, v.place.code))
    return out


def _feature(geometry, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def build(incident, user, radii=None) -> dict:
    """The FeatureCollection of the incident's situation for ``user`` (all rows through the access
    filter; resources through ``yingji.resources.nearest.search``)."""
    from yingji.dispatch.models import Task
    from yingji.resources import nearest

    radii = tuple(radii or default_radii())
    lon, lat = incident_point(incident)
    outer_m = max(radii) * 1000
    features = [
        _feature(
            _point(lon, lat),
            role="incident",
            name=str(incident),
            grade=incident.get_grade_display(),
            status=incident.get_status_display(),
            address=incident.address,
            url=incident.get_absolute_url() if _has_url(incident) else "",
        )
    ]
    if incident.command_post_longitude is not None and incident.command_post_latitude is not None:
        features.append(
            _feature(
                _point(incident.command_post_longitude, incident.command_post_latitude),
                role="command_post",
                name=incident.command_post or _("现场指挥部"),
            )
        )
    villages = villages_near(user, lon, lat, outer_m, incident.place)
    rings = []
    for radius in sorted(radii):
        inside = [v for v in villages if v.distance_m <= radius * 1000]
        known = [v for v in inside if v.place.population is not None]
        rings.append(
            {
                "radius_km": radius,
                "villages": len(inside),
                "population": sum(v.place.population for v in known),
                "unknown": len(inside) - len(known),
            }
        )
    for ring in reversed(rings):
        features.append(
            _feature(
                circle(lon, lat, ring["radius_km"] * 1000),
                role="ring",
                name=_("%(r)s公里") % {"r": _km(ring["radius_km"])},
                **ring,
            )
        )
    for v in villages:
        ring_km = next(r for r in sorted(radii) if v.distance_m <= r * 1000)
        features.append(
            _feature(
                v.place.boundary or _point(v.lon, v.lat),
                role="village",
                id=v.place.pk,
                name=v.place.name,
                code=v.place.code,
                population=v.place.population,
                distance_m=round(v.distance_m, 1),
                ring_km=ring_km,
                centre=[round(v.lon, 6), round(v.lat, 6)],
            )
        )
    found = nearest.search(user, Query(longitude=lon, latitude=lat, kinds=KINDS, limit=RESOURCES_PER_KIND))
    for rows in found.values():
        for row in rows:
            if row["distance_m"] > outer_m:
                continue
            props = {k: v for k, v in row.items() if k not in ("longitude", "latitude")}
            features.append(_feature(_point(row["longitude"], row["latitude"]), role="resource", **props))
    tasks = (
        Task.objects.visible_to(user)
        .filter(incident=incident, team__isnull=False)
        .select_related("team")
        .order_by("dispatched_at", "pk")
    )
    for task in tasks:
        team = task.team
        if not team.has_location:
            continue
        features.append(
            _feature(
                _point(team.longitude, team.latitude),
                role="dispatched_team",
                id=team.pk,
                task=task.pk,
                name=team.name,
                status=task.status,
                status_label=task.get_status_display(),
                headcount_sent=task.headcount_sent,
                vehicles_sent=task.vehicles_sent,
                arrived=task.arrived_at is not None,
                distance_m=round(haversine_m(lon, lat, team.longitude, team.latitude), 1),
                url=task.get_absolute_url(),
            )
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "summary": {
            "incident": incident.pk,
            "centre": [round(lon, 6), round(lat, 6)],
            "located": incident.has_location,
            "radii_km": list(sorted(radii)),
            "rings": rings,
            "method": str(METHOD),
        },
    }


def _km(value: float) -> str:
    return f"{value:g}"


def _has_url(obj) -> bool:
    from django.urls import NoReverseMatch

    try:
        obj.get_absolute_url()
    except NoReverseMatch:
        return False
    return True
