"""Configurable defaults of the hazard closed loop, each overridable from ``settings.YINGJI_HAZARDS_<NAME>``.

The periods are local working rules, not national law: 《安全生产事故隐患排查治理暂行规定》 (原国家安监总局令
第16号) asks for rectification "within the time limit" set in the 治理方案 but fixes no number of days
(domain-facts §2). The defaults below are documented in ``docs/hazards.md`` as [U] defaults.
"""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, f"YINGJI_HAZARDS_{name}", default)


#: working days within which a reported hazard must be confirmed (认定) or dismissed
CONFIRM_WORKING_DAYS = _get("CONFIRM_WORKING_DAYS", 3)
#: default rectification period proposed for a general hazard (the 五落实 deadline overrides it)
RECTIFY_GENERAL_WORKING_DAYS = _get("RECTIFY_GENERAL_WORKING_DAYS", 10)
#: default rectification period proposed for a major hazard (calendar days)
RECTIFY_MAJOR_CALENDAR_DAYS = _get("RECTIFY_MAJOR_CALENDAR_DAYS", 90)
#: remind the responsible person this many days before a rectification deadline
REMIND_GENERAL_DAYS = _get("REMIND_GENERAL_DAYS", 2)
REMIND_MAJOR_DAYS = _get("REMIND_MAJOR_DAYS", 7)
#: verification (复核) levels per grade, 1–3. Level 1 = the enterprise (or, without an enterprise, the
#: local officers), level 2 = the regulator in scope, level 3 = a county/city officer. A major hazard
#: always needs the regulator (at least 2 levels).
REVIEW_LEVELS = {"general": 1, "major": 2, **_get("REVIEW_LEVELS", {})}
#: maximum number of verification levels ("三级复核")
MAX_REVIEW_LEVELS = 3
#: disaster-risk hazards are reported at least monthly in normal times (常态下灾害风险隐患排查不低于每月1次)
DISASTER_REPORT_MONTHLY = True


def review_levels(grade: str) -> int:
    """How many verification levels a hazard of ``grade`` needs (clamped to 1–3; majors at least 2)."""
    levels = int(REVIEW_LEVELS.get(grade, 1))
    levels = max(1, min(MAX_REVIEW_LEVELS, levels))
    if grade == "major":
        levels = max(2, levels)
    return levels
