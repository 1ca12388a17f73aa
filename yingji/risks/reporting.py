"""Report periods and due dates of the safety-risk reports (安全风险报告).

Defaults ([U], configurable; domain-facts §3.3 names only the 变更报告 trigger): one **periodic
report per year**, due **30 days after the period starts** (the yearly report of 2026 by 2026-01-31,
the same day as the annual hazard statistics of §2); a **change report** within **30 days** after a
new 较大以上 risk appears or a risk level changes. Settings:

* ``YINGJI_RISKS_REPORT_PERIOD``: ``"year"`` (labels ``2026``), ``"half"`` (``2026H1``) or
  ``"quarter"`` (``2026Q1``);
* ``YINGJI_RISKS_REPORT_DUE_DAYS``: days from the period's first day to its due date (inclusive);
* ``YINGJI_RISKS_CHANGE_REPORT_DAYS``: days allowed for a change report.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.framework.errors import field_error

DEFAULT_PERIOD = "year"
DEFAULT_DUE_DAYS = 30
DEFAULT_CHANGE_REPORT_DAYS = 30

_MONTHS = {"year": 12, "half": 6, "quarter": 3}
_PATTERNS = {
    "year": re.compile(r"^(\d{4})$"),
    "half": re.compile(r"^(\d{4})H([12])$"),
    "quarter": re.compile(r"^(\d{4})Q([1-4])$"),
}


def period_kind() -> str:
    kind = getattr(settings, "YINGJI_RISKS_REPORT_PERIOD", DEFAULT_PERIOD)
    if kind not in _MONTHS:
        raise ValueError(f"YINGJI_RISKS_REPORT_PERIOD must be one of {sorted(_MONTHS)}")
    return kind


def due_days() -> int:
    return int(getattr(settings, "YINGJI_RISKS_REPORT_DUE_DAYS", DEFAULT_DUE_DAYS))


def change_report_days() -> int:
    return int(getattr(settings, "YINGJI_RISKS_CHANGE_REPORT_DAYS", DEFAULT_CHANGE_REPORT_DAYS))


def period_of(day: dt.date) -> str:
    """The label of the period containing ``day``."""
    kind = period_kind()
    if kind == "year":
        return f"{day.year}"
    index = (day.month - 1) // _MONTHS[kind] + 1
    return f"{day.year}{'H' if kind == 'half' else 'Q'}{index}"


def current_period() -> str:
    return period_of(timezone.localdate())


def period_start(label: str) -> dt.date:
    """First day of a period; ValidationError ``period_invalid`` for a malformed label."""
    kind = period_kind()
    match = _PATTERNS[kind].match((label or "").strip())
    if not match:
        example = {"year": "2026", "half": "2026H1", "quarter": "2026Q1"}[kind]
        raise field_error(
            "period", _("报告期格式不正确，应为如“%(example)s”。") % {"example": example}, "period_invalid"
        )
    year = int(match.group(1))
    index = int(match.group(2)) if kind != "year" else 1
    return dt.date(year, (index - 1) * _MONTHS[kind] + 1, 1)


def due_date(label: str) -> dt.date:
    """Last day (inclusive) to submit the periodic report of ``label``."""
    return period_start(label) + dt.timedelta(days=due_days())


def is_late(label: str, at: dt.datetime) -> bool:
    """Whether a submission at ``at`` is after the due date of ``label`` (local calendar day)."""
    return timezone.localdate(at) > due_date(label)


def change_due_date(since: dt.datetime) -> dt.date:
    return timezone.localdate(since) + dt.timedelta(days=change_report_days())


# --- who has reported (regulators' view) -----------------------------------------------------------
def report_status(user, period: str, *, group: str = "county") -> dict:
    """Per enterprise in the user's scope that must report for ``period`` (it has 较大以上 risks, or
    has reported for the period anyway): its state (按时/逾期补报/待报告/逾期未报), plus the report
    rate (已报告 ÷ 应报告) per place (``group``: county or town) and per industry section."""
    from yingji.orgs.catalogues import DIVISIONS, SECTIONS
    from yingji.places.models import Place
    from yingji.risks.choices import ReportKind, ReportState
    from yingji.risks.models import RiskProfile, RiskReport

    due = due_date(period)
    today = timezone.localdate()
    periodic = RiskReport.objects.visible_to(user).filter(kind=ReportKind.PERIODIC, period=period)
    # only the enterprises that must report (or did): most profiles are 一般/低 and are not loaded
    profiles = (
        RiskProfile.objects.visible_to(user)
        .filter(
            Q(major_count__gt=0)
            | Q(large_count__gt=0)
            | Exists(periodic.filter(enterprise=OuterRef("enterprise")))
        )
        .select_related("enterprise__place")
        .defer("enterprise__place__boundary")
    )
    reports = {r.enterprise_id: r for r in periodic.defer("snapshot")}
    depth = 2 if group == "town" else 1
    rows, by_place, by_industry = [], {}, {}
    for profile in profiles.order_by("enterprise__name"):
        report = reports.get(profile.enterprise_id)
        if report is not None:
            state = ReportState.REPORTED_LATE if report.late else ReportState.ON_TIME
        else:
            state = ReportState.LATE if today > due else ReportState.DUE
        enterprise = profile.enterprise
        rows.append({"profile": profile, "enterprise": enterprise, "state": state, "report": report})
        parts = enterprise.place.path.strip("/").split("/")
        place_code = parts[min(depth, len(parts) - 1)]
        section = DIVISIONS.get(enterprise.industry, ("", ""))[0]
        for bucket, key in ((by_place, place_code), (by_industry, section)):
            entry = bucket.setdefault(key, {"required": 0, "reported": 0, "late": 0})
            entry["required"] += 1
            entry["reported"] += report is not None
            entry["late"] += state == ReportState.LATE
    names = dict(Place.objects.filter(code__in=by_place).values_list("code", "name"))

    def table(bucket, label_of):
        out = []
        for key in sorted(bucket):
            entry = bucket[key]
            rate = round(100 * entry["reported"] / entry["required"], 1) if entry["required"] else None
            out.append({"code": key, "name": label_of(key), **entry, "rate": rate})
        return out

    required = len(rows)
    reported = sum(1 for r in rows if r["report"] is not None)
    return {
        "period": period,
        "due_date": due,
        "rows": rows,
        "required": required,
        "reported": reported,
        "late": sum(1 for r in rows if r["state"] == ReportState.LATE),
        "rate": round(100 * reported / required, 1) if required else None,
        "by_place": table(by_place, lambda code: names.get(code, code)),
        "by_industry": table(by_industry, lambda code: SECTIONS.get(code, _("未分类"))),
    }
