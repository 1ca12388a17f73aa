"""Domain layers of the map "一张图" (F8) beyond boundaries and enterprises.

Each domain app serves its own scoped GeoJSON endpoint (points with the feature properties ``name``,
``url``, ``color`` and optionally ``summary``, a short line for the popup); this list tells the map
which of them exist, under which label and legend colour, and which view right a user needs to see
the layer. An entry whose endpoint is not installed, or whose object type the user may not view, is
left out, so the map never offers a layer that would answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import can


@dataclass(frozen=True)
class Overlay:
    code: str
    label: str
    #: name of the GeoJSON endpoint; it must accept ``bbox=minlon,minlat,maxlon,maxlat``
    url_name: str
    #: the object type whose ``view`` right the layer needs
    model_label: str
    #: legend colour (features carry their own ``color``)
    colour: str


OVERLAYS: tuple[Overlay, ...] = (
    Overlay("risks", _("企业风险等级"), "risks-map", "risks.riskprofile", "#e8590c"),
    Overlay("hazards", _("隐患"), "hazard-stats-map", "hazards.hazard", "#d6336c"),
    Overlay("teams", _("救援队伍"), "resources-map-teams", "resources.team", "#1971c2"),
    Overlay("experts", _("专家所在单位"), "resources-map-experts", "resources.expert", "#6741d9"),
    Overlay("equipment", _("装备"), "resources-map-equipment", "resources.equipment", "#0c8599"),
    Overlay("warehouses", _("物资仓库"), "resources-map-warehouses", "materials.warehouse", "#2f9e44"),
    Overlay("shelters", _("避难场所"), "resources-map-shelters", "resources.shelter", "#5c940d"),
    Overlay("incidents", _("突发事件"), "incidents-map", "incidents.incident", "#c92a2a"),
)


def overlays_for(user) -> list[dict]:
    """The overlays this user may open, as the map's configuration."""
    out = []
    for overlay in OVERLAYS:
        try:
            model = apps.get_model(overlay.model_label)
            url = reverse(overlay.url_name)
        except (LookupError, NoReverseMatch):
            continue
        if can(user, "view", model):
            out.append(
                {"code": overlay.code, "label": str(overlay.label), "url": url, "colour": overlay.colour}
            )
    return out
