import pytest

from yingji.framework.access import SYSTEM
from yingji.risks.models import ControlMeasure, RiskPoint
from yingji.risks.services import save_risk_point

_n = iter(range(1, 10**6))


@pytest.fixture
def make_point(make_enterprise):
    """``make_point(enterprise=None, level=…, **fields)`` → a saved, graded risk point (LS by default)."""

    factors = {"major": (5, 5), "large": (4, 4), "general": (3, 3), "low": (2, 2)}

    def factory(enterprise=None, level="general", measures=(), **fields):
        enterprise = enterprise or make_enterprise()
        l, s = factors[level]  # noqa: E741
        values = {
            "name": f"风险点{next(_n)}",
            "accident_types": ["fire"],
            "method": "ls",
            "ls_l": l,
            "ls_s": s,
            "post": "操作工",
        }
        values.update(fields)
        point = save_risk_point(RiskPoint(enterprise=enterprise, **values), actor=SYSTEM)
        for kind, content in measures:
            ControlMeasure.objects.create(risk_point=point, kind=kind, content=content)
        return point

    return factory
