"""Scope-matrix specs of the hazards object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.
"""

from django.utils import timezone

_n = iter(range(1, 10**6))


def _hazard(place):
    from yingji.hazards.models import Hazard

    n = next(_n)
    return Hazard.objects.create(
        number=f"YHMATRIX{n:06d}",
        source="grid",
        place=place,
        title=f"隐患{n}",
        found_at=timezone.now(),
    )


SPECS: dict = {
    "hazards.hazard": {
        "make": _hazard,
        "create": lambda place: {
            "title": f"新隐患{next(_n)}",
            "source": "inspection",
            "place": place.code,
            "description": "配电箱电线裸露",
        },
        "patch": {"description": "已核实：配电箱电线裸露，位于仓库东侧"},
    },
}
EXEMPT: dict[str, str] = {}
