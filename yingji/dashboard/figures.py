"""The figures of the home page: counts and distributions of what the user may see.

Each figure is one aggregate query (``COUNT … GROUP BY``) over ``Model.objects.visible_to(user)``;
a figure of a kind of object that the user's roles do not let them view is left out (None), not
shown as zero.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.accounts.models import Person, User
from yingji.audit.models import ObjectChange
from yingji.framework.access import can
from yingji.orgs.catalogues import DIVISIONS, SECTIONS
from yingji.orgs.choices import RISK_FLAGS, OperatingStatus
from yingji.orgs.models import Department, Enterprise
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place

#: The "major" risk flags counted on the home card: the high-risk industries (危险化学品 with
#: 重大危险源 and 重点监管危险化工工艺, 非煤矿山, 尾矿库, 烟花爆竹) and the key 工贸 domains
#: (粉尘涉爆, 涉氨制冷, 有限空间, 金属熔融, 冶金) that seed 000/001 name as 重点行业领域 and that
#: 应急管理部令第10号 (工贸企业重大事故隐患判定标准) singles out.
MAJOR_RISK_FLAGS: tuple[str, ...] = (
    "hazardous_chemicals",
    "major_hazard_source",
    "hazardous_process",
    "mine",
    "tailings_pond",
    "fireworks",
    "dust_explosion",
    "ammonia_refrigeration",
    "confined_space",
    "molten_metal",
    "metallurgy",
)

#: Label of enterprises whose 属地 lies above the level a distribution is drawn at.
UNSPLIT_LABEL = gettext_lazy("未细分到下级")

_PATH_SEGMENT = 13  # a 12-digit code and its "/" in Place.path


def list_url(url_name: str, **params) -> str:
    url = reverse(url_name)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _flag_q(code: str) -> Q:
    return Q(risk_flags__contains=f",{code},")


def place_counts(user, scope: Place | None = None) -> list[dict] | None:
    """Visible places per level, top down (one query). Levels above the user's area (``scope``) and
    the city level are shown only when the user sees some of them."""
    if not can(user, "view", Place):
        return None
    rows = dict(Place.objects.visible_to(user).order_by().values_list("level").annotate(n=Count("pk")))
    lowest_hidden = LEVEL_DEPTH[scope.level] if scope is not None else 1
    return [
        {
            "level": level,
            "label": label,
            "count": rows.get(level, 0),
            "url": list_url("places:place_list", level=level),
        }
        for level, label in PlaceLevel.choices
        if rows.get(level) or LEVEL_DEPTH[level] >= lowest_hidden
    ]


def enterprise_summary(user) -> dict | None:
    """Total, per operating status, with any major flag, and per risk flag (one query)."""
    if not can(user, "view", Enterprise):
        return None
    major_q = Q()
    for code in MAJOR_RISK_FLAGS:
        major_q |= _flag_q(code)
    aggregates = {
        "total": Count("pk"),
        "major": Count("pk", filter=major_q),
        **{f"status_{code}": Count("pk", filter=Q(operating_status=code)) for code in OperatingStatus.values},
        **{f"flag_{code}": Count("pk", filter=_flag_q(code)) for code, _label in RISK_FLAGS},
    }
    row = Enterprise.objects.visible_to(user).order_by().aggregate(**aggregates)
    return {
        "total": row["total"],
        "url": list_url("orgs:enterprise_list"),
        "major": row["major"],
        "by_status": [
            {
                "code": code,
                "label": label,
                "count": row[f"status_{code}"],
                "url": list_url("orgs:enterprise_list", operating_status=code),
            }
            for code, label in OperatingStatus.choices
        ],
        "by_flag": [
            {
                "code": code,
                "label": label,
                "count": row[f"flag_{code}"],
                "major": code in MAJOR_RISK_FLAGS,
                "url": list_url("orgs:enterprise_list", risk_flag=code),
            }
            for code, label in RISK_FLAGS
        ],
    }


def enterprises_by_section(user) -> list[dict] | None:
    """Enterprises per GB/T 4754-2017 section (门类), largest first (one query)."""
    if not can(user, "view", Enterprise):
        return None
    counts: dict[str, int] = {}
    rows = Enterprise.objects.visible_to(user).order_by().values_list("industry").annotate(n=Count("pk"))
    for division, n in rows:
        section = DIVISIONS.get(division, ("?", ""))[0]
        counts[section] = counts.get(section, 0) + n
    return [
        {
            "code": section,
            "label": f"{section} {SECTIONS.get(section, _('未知门类'))}",
            "count": n,
            "url": list_url("orgs:enterprise_list", section=section) if section in SECTIONS else None,
        }
        for section, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def enterprises_by_area(user, level: str) -> list[dict] | None:
    """Enterprises per place of ``level`` (county, town or village), from the 属地's materialised
    path: one grouped query plus one query for the names."""
    if not can(user, "view", Enterprise):
        return None
    depth = LEVEL_DEPTH[level]
    rows = (
        Enterprise.objects.visible_to(user)
        .order_by()
        .annotate(area=Substr("place__path", 1 + _PATH_SEGMENT * depth, 12))
        .values_list("area")
        .annotate(n=Count("pk"))
    )
    counts = dict(rows)
    names = dict(
        Place.objects.visible_to(user).filter(code__in=[c for c in counts if c]).values_list("code", "name")
    )
    out = [
        {
            "code": code,
            "label": names.get(code, code) if code else str(UNSPLIT_LABEL),
            "count": n,
            "url": list_url("orgs:enterprise_list", place=code) if code else None,
        }
        for code, n in counts.items()
    ]
    out.sort(key=lambda item: (not item["code"], item["code"]))
    return out


def simple_count(user, model) -> int | None:
    """How many rows of ``model`` the user may see (None when they may see none of its kind)."""
    if not can(user, "view", model):
        return None
    return model.objects.visible_to(user).count()


def recent_changes(user, limit: int = 10) -> list[ObjectChange] | None:
    """The last change-log entries the user may read (None without the audit view right)."""
    if not can(user, "view", ObjectChange):
        return None
    return list(ObjectChange.objects.visible_to(user).select_related("content_type")[:limit])


def organisation_counts(user) -> list[dict]:
    """The cards for departments, persons and users (those the user may view)."""
    cards = []
    for model, url_name, icon in (
        (Department, "orgs:department_list", "bi-bank"),
        (Person, "accounts:person_list", "bi-person-vcard"),
        (User, "accounts:user_list", "bi-person-badge"),
    ):
        count = simple_count(user, model)
        if count is not None:
            cards.append(
                {
                    "label": model._meta.verbose_name_plural,
                    "count": count,
                    "url": reverse(url_name),
                    "icon": icon,
                    "key": model._meta.model_name,
                }
            )
    return cards


def open_incidents_card(user) -> dict | None:
    """The card of the incidents not yet ended (已接报, 处置中, 善后恢复) the user may view, or None."""
    from yingji.incidents.models import Incident

    if not can(user, "view", Incident):
        return None
    count = Incident.objects.visible_to(user).open().count()
    return {
        "label": _("未结束的突发事件"),
        "count": count,
        "url": reverse("incidents:incident_list") + "?open=true",
        "key": "open-incidents",
    }
