"""GeoJSON layer of incidents for the map "一张图" (F8): located incidents not closed (or, with
``all=1``, every incident), coloured by grade; read through the access filter."""

import json

from django.urls import reverse

from yingji.incidents.choices import GRADE_RANK, Status
from yingji.incidents.models import Incident

GRADE_COLOURS = {1: "#1971c2", 2: "#f59f00", 3: "#e8590c", 4: "#c92a2a"}


def incidents_geojson(user, bbox=None, include_closed: bool = False, limit: int = 5000) -> str:
    qs = Incident.objects.visible_to(user).filter(longitude__isnull=False, latitude__isnull=False)
    if not include_closed:
        qs = qs.exclude(status=Status.CLOSED)
    if bbox is not None:
        minlon, minlat, maxlon, maxlat = bbox
        qs = qs.filter(
            longitude__gte=minlon, longitude__lte=maxlon, latitude__gte=minlat, latitude__lte=maxlat
        )
    url = reverse("incidents:incident_detail", args=[0]).replace("/0/", "/{id}/")
    features = []
    for inc in qs.order_by("-occurred_at")[:limit]:
        props = {
            "id": inc.pk,
            "name": str(inc),
            "url": url.replace("{id}", str(inc.pk)),
            "color": GRADE_COLOURS.get(GRADE_RANK.get(inc.grade, 1)),
            "kind": "incident",
            "grade": inc.grade,
            "status": inc.status,
            "response_level": inc.response_level,
            "summary": f"{inc.get_grade_display()} · {inc.get_status_display()}"
            + (f" · {inc.get_response_level_display()}" if inc.response_level else ""),
        }
        features.append(
            {
                "type": "Feature",
                "id": inc.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(inc.longitude, 6), round(inc.latitude, 6)],
                },
                "properties": props,
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )
