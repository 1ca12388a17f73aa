"""Scope-matrix specs of the risks object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.

The matrix's town officer is a bureau officer: it only reads the enterprises' risk objects (its
patches must be refused) and keeps the region risk lists (it creates and patches them).
"""

from itertools import count

_n = count(1)


def _enterprise(place):
    from yingji.conftest import new_uscc
    from yingji.orgs.models import Enterprise

    return Enterprise.objects.create(name=f"风险企业{next(_n)}", uscc=new_uscc(), industry="26", place=place)


def _point(place):
    from yingji.framework.access import SYSTEM
    from yingji.risks.models import RiskPoint
    from yingji.risks.services import save_risk_point

    point = RiskPoint(
        enterprise=_enterprise(place),
        name=f"反应釜{next(_n)}",
        accident_types=["fire", "poisoning"],
        method="lec",
        lec_l=3,
        lec_e=6,
        lec_c=15,
        post="反应岗",
    )
    return save_risk_point(point, actor=SYSTEM)


def _measure(place):
    from yingji.risks.models import ControlMeasure

    return ControlMeasure.objects.create(
        risk_point=_point(place), kind="engineering", content="设置可燃气体报警"
    )


def _profile(place):
    from yingji.risks.models import RiskProfile

    return RiskProfile.objects.get(enterprise=_point(place).enterprise)


def _report(place):
    from yingji.framework.access import SYSTEM
    from yingji.risks.models import RiskReport
    from yingji.risks.services import submit_report

    return submit_report(
        RiskReport(enterprise=_point(place).enterprise, kind="change", reason="新增较大风险"), actor=SYSTEM
    )


def _region_risk(place):
    from yingji.framework.access import SYSTEM
    from yingji.risks.models import RegionRisk
    from yingji.risks.services import save_region_risk

    risk = RegionRisk(
        place=place,
        name=f"燃气管道{next(_n)}",
        category="gas",
        accident_types=["other_explosion"],
        method="ls",
        ls_l=3,
        ls_s=5,
    )
    return save_region_risk(risk, actor=SYSTEM)


def _region_measure(place):
    from yingji.risks.models import RegionRiskMeasure

    return RegionRiskMeasure.objects.create(
        region_risk=_region_risk(place), kind="management", content="定期巡检"
    )


SPECS = {
    "risks.riskpoint": {"make": _point, "patch": {"responsible_name": "张工"}},
    "risks.controlmeasure": {"make": _measure, "patch": {"responsible_name": "李工"}},
    "risks.riskprofile": {"make": _profile, "patch": {"note": "备注"}},
    "risks.riskreport": {"make": _report, "patch": {"note": "补充说明"}},
    "risks.regionrisk": {
        "make": _region_risk,
        "create": lambda place: {
            "place": place.code,
            "name": f"人员密集场所{next(_n)}",
            "category": "crowd",
            "accident_types": ["fire"],
            "method": "lec",
            "lec_l": 1,
            "lec_e": 6,
            "lec_c": 40,
        },
        "patch": {"responsible_name": "王科长"},
    },
    "risks.regionriskmeasure": {
        "make": _region_measure,
        "create": lambda place: {
            "region_risk": _region_risk(place).pk,
            "kind": "training",
            "content": "开展演练",
        },
        "patch": {"responsible_unit": "镇安监办"},
    },
}
EXEMPT: dict[str, str] = {}
