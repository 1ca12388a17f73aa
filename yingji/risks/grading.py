"""Risk grading: the one module that turns assessment factors into a score and a level (S1).

Sources (``../shared/domain-facts.md`` §3):

* **LEC** (作业条件危险性评价法, Graham–Kinney): ``D = L × E × C`` with the standard value tables
  below (§3.1 [V]); only table values are accepted. D bands (§3.1, 4-colour mapping [P]):
  >320 重大/红, 160–320 较大/橙, 70–160 一般/黄, <70 低/蓝. Sources disagree on whether a boundary
  value belongs to the band above or below; the default here is the classic Graham–Kinney reading
  "D > 320, 160 < D ≤ 320, 70 < D ≤ 160, D ≤ 70" (a boundary value belongs to the *lower* band),
  set by ``YINGJI_RISKS_LEC_BOUNDARY = "gt"`` (``"ge"`` puts it in the higher band).
* **LS** risk matrix: ``R = L × S``, each an integer 1–5 (§3.2 [V]). Cuts (§3.2 [U], the most
  common 4-colour cut): 20–25 重大, 15–16 较大, 9–12 一般, 1–8 低 — i.e. R ≥ 20 / ≥ 15 / ≥ 9
  (``YINGJI_RISKS_LS_BOUNDARY = "ge"``).
* **Enterprise overall grade** (分色分级监管): the highest level of its risk points, raised one level
  (capped at 重大) when the enterprise carries one of ``YINGJI_RISKS_ESCALATING_FLAGS`` (default:
  重大危险源, 重点监管危险化工工艺 — "两重点一重大"). An enterprise without risk points is 低.

Every threshold is a default that ``settings.YINGJI_RISKS_*`` overrides (read at call time).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yingji.framework.errors import field_error
from yingji.risks.choices import LEVEL_RANK, LEVELS_BY_RANK, Method, RiskLevel

# --- value tables (domain-facts §3.1, §3.2) --------------------------------------------------------
#: L 事故发生的可能性
LEC_L: dict[float, str] = {
    10: gettext_lazy("完全可以预料"),
    6: gettext_lazy("相当可能"),
    3: gettext_lazy("可能，但不经常"),
    1: gettext_lazy("可能性小，完全意外"),
    0.5: gettext_lazy("很不可能，可以设想"),
    0.2: gettext_lazy("极不可能"),
    0.1: gettext_lazy("实际不可能"),
}
#: E 暴露于危险环境的频繁程度
LEC_E: dict[float, str] = {
    10: gettext_lazy("连续暴露"),
    6: gettext_lazy("每天工作时间内暴露"),
    3: gettext_lazy("每周一次或偶然暴露"),
    2: gettext_lazy("每月一次暴露"),
    1: gettext_lazy("每年几次暴露"),
    0.5: gettext_lazy("非常罕见地暴露"),
}
#: C 发生事故产生的后果
LEC_C: dict[float, str] = {
    100: gettext_lazy("大灾难，许多人死亡"),
    40: gettext_lazy("灾难，数人死亡"),
    15: gettext_lazy("非常严重，一人死亡"),
    7: gettext_lazy("严重，重伤"),
    3: gettext_lazy("重大，致残"),
    1: gettext_lazy("引人注目，需要救护"),
}
#: LS: L 可能性 1–5, S 严重性 1–5 (domain-facts §3.2)
LS_L: dict[int, str] = {
    5: gettext_lazy("无控制措施，经常发生"),
    4: gettext_lazy("控制措施不完善，可能发生"),
    3: gettext_lazy("控制措施有缺陷，偶尔发生"),
    2: gettext_lazy("控制措施较完善，很少发生"),
    1: gettext_lazy("控制措施完善有效，极不可能"),
}
LS_S: dict[int, str] = {
    5: gettext_lazy("死亡、≥100万元损失或重大影响"),
    4: gettext_lazy("重伤、较大损失或较大影响"),
    3: gettext_lazy("轻伤、一般损失"),
    2: gettext_lazy("轻微伤害、轻微损失"),
    1: gettext_lazy("无伤害、无损失"),
}

# --- configurable defaults -------------------------------------------------------------------------
#: (cut, level) from the highest: a score beyond ``cut`` gets ``level``; below every cut: 低.
DEFAULT_LEC_CUTS: tuple[tuple[float, str], ...] = (
    (320, RiskLevel.MAJOR),
    (160, RiskLevel.LARGE),
    (70, RiskLevel.GENERAL),
)
#: "gt": score > cut (a boundary value belongs to the lower band); "ge": score ≥ cut.
DEFAULT_LEC_BOUNDARY = "gt"
DEFAULT_LS_CUTS: tuple[tuple[float, str], ...] = (
    (20, RiskLevel.MAJOR),
    (15, RiskLevel.LARGE),
    (9, RiskLevel.GENERAL),
)
DEFAULT_LS_BOUNDARY = "ge"
#: Enterprise flags (``yingji.orgs.catalogues.RISK_FLAGS``) that raise the enterprise grade one level.
DEFAULT_ESCALATING_FLAGS: tuple[str, ...] = ("major_hazard_source", "hazardous_process")


def lec_cuts():
    return tuple(getattr(settings, "YINGJI_RISKS_LEC_CUTS", DEFAULT_LEC_CUTS))


def lec_boundary() -> str:
    return getattr(settings, "YINGJI_RISKS_LEC_BOUNDARY", DEFAULT_LEC_BOUNDARY)


def ls_cuts():
    return tuple(getattr(settings, "YINGJI_RISKS_LS_CUTS", DEFAULT_LS_CUTS))


def ls_boundary() -> str:
    return getattr(settings, "YINGJI_RISKS_LS_BOUNDARY", DEFAULT_LS_BOUNDARY)


def escalating_flags() -> tuple[str, ...]:
    return tuple(getattr(settings, "YINGJI_RISKS_ESCALATING_FLAGS", DEFAULT_ESCALATING_FLAGS))


# --- scores and levels -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    method: str
    score: float
    level: str


def _beyond(score: float, cut: float, boundary: str) -> bool:
    return score >= cut if boundary == "ge" else score > cut


def level_for_score(method: str, score: float) -> str:
    """The level of a LEC ``D`` or LS ``R`` under the configured cuts."""
    if method == Method.LEC:
        cuts, boundary = lec_cuts(), lec_boundary()
    elif method == Method.LS:
        cuts, boundary = ls_cuts(), ls_boundary()
    else:
        raise ValueError(f"unknown method {method!r}")
    for cut, level in sorted(cuts, key=lambda c: -c[0]):
        if _beyond(score, cut, boundary):
            return RiskLevel(level)
    return RiskLevel.LOW


def _table_value(value, table: dict, field: str, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is not None:
        for allowed in table:
            if abs(number - allowed) < 1e-9:
                return float(allowed)
    allowed = "、".join(f"{v:g}" for v in sorted(table, reverse=True))
    raise field_error(
        field,
        _("%(label)s的取值“%(value)s”不在标准取值表中，可选：%(allowed)s。")
        % {"label": label, "value": "" if value is None else value, "allowed": allowed},
        "not_in_table",
    )


def lec_score(l, e, c) -> float:  # noqa: E741 - the method's own letters
    """``D = L × E × C``; each factor must be a value of its table (else ValidationError ``not_in_table``)."""
    lv = _table_value(l, LEC_L, "lec_l", _("L（事故发生的可能性）"))
    ev = _table_value(e, LEC_E, "lec_e", _("E（暴露于危险环境的频繁程度）"))
    cv = _table_value(c, LEC_C, "lec_c", _("C（发生事故产生的后果）"))
    return round(lv * ev * cv, 4)


def ls_score(l, s) -> int:  # noqa: E741
    """``R = L × S``; each factor an integer 1–5 (else ValidationError ``not_in_table``)."""
    lv = _table_value(l, LS_L, "ls_l", _("L（可能性）"))
    sv = _table_value(s, LS_S, "ls_s", _("S（严重性）"))
    return int(lv * sv)


def assess(method: str, *, l=None, e=None, c=None, s=None) -> Assessment:  # noqa: E741
    """Score and level of one assessment; ValidationError with a field and a stable code when invalid."""
    if method == Method.LEC:
        score = lec_score(l, e, c)
    elif method == Method.LS:
        score = ls_score(l, s)
    else:
        raise field_error("method", _("请选择评价方法：LEC 或风险矩阵（LS）。"), "method_required")
    return Assessment(method, score, level_for_score(method, score))


def assess_object(obj) -> Assessment:
    """Assess a model instance with the assessment fields (``method``, ``lec_*``, ``ls_*``) and store
    ``score`` and ``level`` on it. Factors of the other method are cleared."""
    if not obj.accident_types:
        raise field_error(
            "accident_types",
            _("请至少选择一种可能导致的事故类型（GB 6441-1986）。"),
            "accident_type_required",
        )
    if obj.method == Method.LEC:
        result = assess(obj.method, l=obj.lec_l, e=obj.lec_e, c=obj.lec_c)
        obj.ls_l = obj.ls_s = None
    else:
        result = assess(obj.method, l=obj.ls_l, s=obj.ls_s)
        obj.lec_l = obj.lec_e = obj.lec_c = None
    obj.score, obj.level = result.score, result.level
    return result


# --- enterprise grade ------------------------------------------------------------------------------
def raise_level(level: str, steps: int = 1) -> str:
    """``level`` raised by ``steps``, capped at 重大."""
    return LEVELS_BY_RANK[min(LEVEL_RANK[level] + steps, LEVEL_RANK[RiskLevel.MAJOR])]


def highest_level(levels) -> str | None:
    ranked = [LEVEL_RANK[lv] for lv in levels if lv]
    return LEVELS_BY_RANK[max(ranked)] if ranked else None


@dataclass(frozen=True)
class EnterpriseGrade:
    level: str
    base_level: str
    raised_by: tuple[str, ...]
    reason: str


def enterprise_grade(point_levels, flags) -> EnterpriseGrade:
    """The enterprise overall colour grade from its risk points' levels and its risk flags."""
    from yingji.orgs.catalogues import RISK_FLAGS

    base = highest_level(point_levels)
    labels = dict(RISK_FLAGS)
    raising = tuple(f for f in escalating_flags() if f in set(flags or ()))
    if base is None:
        base_level = RiskLevel.LOW
        reason = _("尚未辨识风险点，按低风险计")
    else:
        base_level = base
        reason = _("风险点最高等级为%(level)s") % {"level": RiskLevel(base).label}
    level = base_level
    if raising:
        level = raise_level(base_level)
        names = "、".join(str(labels.get(f, f)) for f in raising)
        if level != base_level:
            reason += _("；企业具有“%(flags)s”标记，上调一级为%(level)s") % {
                "flags": names,
                "level": RiskLevel(level).label,
            }
        else:
            reason += _("；企业具有“%(flags)s”标记（已为最高等级）") % {"flags": names}
    return EnterpriseGrade(RiskLevel(level), RiskLevel(base_level), raising, reason)
