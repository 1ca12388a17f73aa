"""Scope-matrix specs of the resources object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.
"""

from decimal import Decimal
from itertools import count

_n = count(1)


def _team(place):
    from yingji.resources.models import Team

    return Team.objects.create(
        name=f"队伍{next(_n)}", kind="grassroots", place=place, longitude=120.05, latitude=32.02, headcount=12
    )


def _member(place):
    from yingji.resources.models import TeamMember

    return TeamMember.objects.create(team=_team(place), name=f"队员{next(_n)}", position="队员")


def _expert(place):
    from yingji.resources.models import Expert

    return Expert.objects.create(
        name=f"专家{next(_n)}", place=place, specialties=["hazchem"], organisation="化工院"
    )


def _equipment(place):
    from yingji.resources.models import Equipment

    return Equipment.objects.create(name=f"装备{next(_n)}", kind="drone", place=place, quantity=2)


def _shelter(place):
    from yingji.resources.models import Shelter

    return Shelter.objects.create(
        name=f"避难场所{next(_n)}",
        shelter_type="emergency",
        grade="village",
        place=place,
        effective_area_m2=Decimal("3000"),
        capacity=1500,
    )


SPECS: dict = {
    "resources.team": {
        "make": _team,
        "create": lambda place: {"name": f"新队伍{next(_n)}", "kind": "social", "place": place.code},
        "patch": {"headcount": 30},
    },
    "resources.teammember": {"make": _member, "patch": {"position": "队长"}},
    "resources.expert": {
        "make": _expert,
        "create": lambda place: {"name": f"新专家{next(_n)}", "place": place.code, "specialties": ["fire"]},
        "patch": {"organisation": "消防救援支队"},
    },
    "resources.equipment": {
        "make": _equipment,
        "create": lambda place: {"name": f"新装备{next(_n)}", "kind": "generator", "place": place.code},
        "patch": {"quantity": 3},
    },
    "resources.shelter": {
        "make": _shelter,
        "create": lambda place: {
            "name": f"新避难场所{next(_n)}",
            "shelter_type": "fixed",
            "fixed_period": "short",
            "grade": "village",
            "place": place.code,
            "effective_area_m2": "5000",
            "capacity": 2000,
        },
        "patch": {"keeper_name": "张三"},
    },
}
EXEMPT: dict[str, str] = {}
