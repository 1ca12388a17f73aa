"""Hazard statistics (隐患统计, S2 "动态清零" statistics; D3 disaster-risk hazards): the figures of the
statistics dashboard and of ``/api/v1/hazard-stats/summary/``.

Everything starts from ``Hazard.objects.visible_to(user)``: a user's figures count exactly the hazards
their lists show. The definitions (also in ``docs/hazard-statistics.md``):

* **open** (未销号): status in :data:`~yingji.hazards.choices.OPEN_STATUSES` (reported … verified).
* **rectification base** (应整改数): hazards that were confirmed, i.e. status confirmed, assigned,
  rectifying, rectified, verified or closed — not ``reported`` (not yet confirmed) and not
  ``dismissed`` (不予认定).
* **rectification rate** (整改销号率) = closed / rectification base; None when the base is 0.
* **overdue** (逾期): open with ``due_at < now`` (逾期未整改) plus closed with ``closed_at > due_at``
  (逾期销号). **overdue rate** (逾期率) = overdue / hazards with a ``due_at`` that are not dismissed.
* **time to close** (销号用时) = ``closed_at − found_at`` of closed hazards, in hours: the mean, and
  the median from an hour histogram (exact to the hour).
* **清零** per place, two flags: ``major_cleared`` (重大隐患清零) — no open hazard of grade major;
  ``all_cleared`` (全部清零) — no open hazard at all.

Speed: for the city's and the counties' tables (scopes of places at town level or above, filtered
by kind and place only) the counts are sums over the tallies kept by every hazard write
(``yingji.hazards.tally``) plus an index-only count of the open hazards past their deadline — a few
small queries whatever the number of hazards. Everything else is counted from the hazards: one scan
grouped by (child area, industry division) with conditional counts (``Count(filter=Q(...))``) and one
hour histogram of the closed hazards for the median. Both give the same figures (tests compare them).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Func, IntegerField, Q, Sum
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from yingji.hazards.choices import OPEN_STATUSES, Grade, HazardKind, Source, Status
from yingji.hazards.models import Hazard
from yingji.orgs.catalogues import DIVISIONS, SECTIONS
from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place

#: Most features the map layer sends in one response (newest first); override with
#: ``settings.YINGJI_HAZARDS_STATS_MAP_LIMIT``.
MAP_LIMIT: int = getattr(settings, "YINGJI_HAZARDS_STATS_MAP_LIMIT", 5000)

#: Seconds the figures of one scope and filter set are reused (0: always computed). From the tallies
#: the figures of a million hazards take under 0.3 s, but filtered views counted from the hazards take
#: a second or more (docs/hazard-statistics.md, benchmarks); a dashboard may lag that much behind. Override with ``settings.YINGJI_HAZARDS_STATS_CACHE_SECONDS``.
CACHE_SECONDS: int = getattr(settings, "YINGJI_HAZARDS_STATS_CACHE_SECONDS", 60)

#: Statuses that count in the rectification base (confirmed and later, dismissed excluded).
CONFIRMED_STATUSES = (
    Status.CONFIRMED,
    Status.ASSIGNED,
    Status.RECTIFYING,
    Status.RECTIFIED,
    Status.VERIFIED,
    Status.CLOSED,
)

#: Map colour of each status (open ones warm, closed green, dismissed grey).
STATUS_COLOURS: dict[str, str] = {
    Status.REPORTED: "#dc3545",
    Status.CONFIRMED: "#fd7e14",
    Status.ASSIGNED: "#ffc107",
    Status.RECTIFYING: "#d63384",
    Status.RECTIFIED: "#0dcaf0",
    Status.VERIFIED: "#0d6efd",
    Status.CLOSED: "#198754",
    Status.DISMISSED: "#6c757d",
}

#: Row label of hazards placed at the chosen place itself, above the level the table is drawn at.
OWN_LEVEL_LABEL = gettext_lazy("本级（未细分到下级）")
#: Industry label of hazards without an enterprise (most disaster-risk hazards).
NO_ENTERPRISE_LABEL = gettext_lazy("非企业隐患")
UNKNOWN_SECTION = "?"

LEVEL_AT_DEPTH = {depth: level for level, depth in LEVEL_DEPTH.items()}
_PATH_SEGMENT = 13  # a 12-digit code and its "/" in Place.path


class StatsFilterError(ValueError):
    """A filter value that cannot be used; ``field`` and ``code`` are stable for the API."""

    def __init__(self, field_name: str, message: str, code: str):
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.code = code


@dataclass
class StatsFilters:
    """What the figures are restricted to (all optional). ``place`` None: the user's whole area."""

    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: Place | None = None
    industry: str = ""  # a GB/T 4754 section letter (门类) or a two-digit division (大类)
    source: str = ""
    grade: str = ""
    errors: list[StatsFilterError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "place": self.place.code if self.place else "",
            "industry": self.industry,
            "source": self.source,
            "grade": self.grade,
        }


def parse_filters(user, params) -> StatsFilters:
    """Read filters from query parameters; unusable values are left out and reported in ``errors``
    (the page shows them, the API answers 400)."""
    f = StatsFilters()

    def choice(name, choices, message):
        value = (params.get(name) or "").strip()
        if value and value not in choices:
            f.errors.append(StatsFilterError(name, message, f"invalid_{name}"))
            return ""
        return value

    f.kind = choice("kind", HazardKind.values, _("隐患类别只能是 work_safety 或 disaster。"))
    f.source = choice("source", Source.values, _("来源不在可选范围内。"))
    f.grade = choice("grade", Grade.values, _("隐患等级只能是 general 或 major。"))
    industry = (params.get("industry") or "").strip().upper()
    if industry and industry not in SECTIONS and industry not in DIVISIONS:
        f.errors.append(
            StatsFilterError(
                "industry",
                _("行业须为国民经济行业分类（GB/T 4754-2017）的门类字母或两位大类代码，例如 C 或 26。"),
                "invalid_industry",
            )
        )
        industry = ""
    f.industry = industry
    for name in ("date_from", "date_to"):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        try:
            value = parse_date(raw)
        except ValueError:
            value = None
        if value is None:
            f.errors.append(
                StatsFilterError(name, _("日期格式应为 YYYY-MM-DD，例如 2025-01-31。"), "invalid_date")
            )
            continue
        if not dt.MINYEAR < value.year < dt.MAXYEAR:  # its day bounds would leave the calendar
            f.errors.append(StatsFilterError(name, _("日期超出范围。"), "date_out_of_range"))
            continue
        setattr(f, name, value)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        f.errors.append(StatsFilterError("date_to", _("结束日期不能早于开始日期。"), "date_range"))
        f.date_to = None
    code = (params.get("place") or "").strip()
    if code:
        place = Place.objects.visible_to(user).filter(code=code).defer("boundary").first()
        if place is None:
            f.errors.append(
                StatsFilterError(
                    "place",
                    _("区划代码不存在或不在您的管辖范围内：%(code)s。") % {"code": code},
                    "invalid_place",
                )
            )
        f.place = place
    return f


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_hazards(user, filters: StatsFilters):
    """The hazards ``user`` may see, narrowed by ``filters`` (the base of every figure)."""
    qs = Hazard.objects.visible_to(user).order_by()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    if filters.date_from:
        qs = qs.filter(found_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(found_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.place is not None:
        qs = qs.filter(place__path__startswith=filters.place.path)
    if filters.industry in SECTIONS:
        divisions = [code for code, (section, _name) in DIVISIONS.items() if section == filters.industry]
        qs = qs.filter(industry__in=divisions)
    elif filters.industry:
        qs = qs.filter(industry=filters.industry)
    return qs


class HoursBetween(Func):
    """``end − start`` in hours, as a float (PostgreSQL and SQLite)."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other backends
        raise NotImplementedError(f"HoursBetween is not implemented for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(date_part('epoch', %(expressions)s) / 3600.0)", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
        )


class WholeHoursBetween(HoursBetween):
    """``end − start`` in whole hours (rounded down), for the histogram of the median."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return Func.as_sql(
            self,
            compiler,
            connection,
            template="floor(date_part('epoch', %(expressions)s) / 3600.0)::integer",
            arg_joiner=" - ",
        )

    def as_sqlite(self, compiler, connection, **extra):
        return Func.as_sql(
            self,
            compiler,
            connection,
            template="CAST(floor((julianday(%(expressions)s)) * 24.0 + 1e-9) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def area_of(filters: StatsFilters, user) -> tuple[Place | None, int]:
    """The place the figures are drawn for and the depth of the rows of its table (its children;
    a village is its own row)."""
    place = filters.place
    if place is None:
        from yingji.dashboard.layers import scope_place

        place = scope_place(user)
    depth = 1 if place is None else min(LEVEL_DEPTH[place.level] + 1, LEVEL_DEPTH[PlaceLevel.VILLAGE])
    return place, depth


def _aggregates(now: dt.datetime) -> dict:
    open_q = Q(status__in=OPEN_STATUSES)
    closed_q = Q(status=Status.CLOSED)
    overdue_open = open_q & Q(due_at__lt=now)
    overdue_closed = closed_q & Q(closed_at__gt=F("due_at"))
    return {
        "total": Count("pk"),
        **{f"status_{code}": Count("pk", filter=Q(status=code)) for code in Status.values},
        **{f"grade_{code}": Count("pk", filter=Q(grade=code)) for code in Grade.values},
        **{f"source_{code}": Count("pk", filter=Q(source=code)) for code in Source.values},
        "open_major": Count("pk", filter=open_q & Q(grade=Grade.MAJOR)),
        "overdue_open": Count("pk", filter=overdue_open),
        "overdue_closed": Count("pk", filter=overdue_closed),
        "with_deadline": Count("pk", filter=Q(due_at__isnull=False) & ~Q(status=Status.DISMISSED)),
        "closed_timed": Count("pk", filter=closed_q & Q(closed_at__isnull=False)),
        "close_hours": Sum(
            HoursBetween("closed_at", "found_at"), filter=closed_q & Q(closed_at__isnull=False)
        ),
    }


@functools.cache
def _aggregate_keys() -> tuple[str, ...]:
    return tuple(_aggregates(timezone.now()))


def _empty_counts() -> dict:
    return dict.fromkeys(_aggregate_keys(), 0)


def _add(into: dict, row: dict) -> None:
    for key in into:
        into[key] += row[key] or 0


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _derived(c: dict) -> dict:
    """The figures of one group of counts (the whole area, one place, one industry)."""
    open_count = sum(c[f"status_{s}"] for s in OPEN_STATUSES)
    closed = c[f"status_{Status.CLOSED}"]
    base = sum(c[f"status_{s}"] for s in CONFIRMED_STATUSES)
    overdue = c["overdue_open"] + c["overdue_closed"]
    return {
        "total": c["total"],
        "open": open_count,
        "open_major": c["open_major"],
        "closed": closed,
        "dismissed": c[f"status_{Status.DISMISSED}"],
        "major": c[f"grade_{Grade.MAJOR}"],
        "rectification_base": base,
        "rectification_rate": _rate(closed, base),
        "overdue": overdue,
        "overdue_open": c["overdue_open"],
        "overdue_closed": c["overdue_closed"],
        "with_deadline": c["with_deadline"],
        "overdue_rate": _rate(overdue, c["with_deadline"]),
        "major_cleared": c["open_major"] == 0,
        "all_cleared": open_count == 0,
    }


def _median_hours(histogram: dict[int, int]) -> float | None:
    """The median of durations given as {whole hours: count} (mean of the two middle values)."""
    n = sum(histogram.values())
    if not n:
        return None
    middle = ((n - 1) // 2, n // 2)
    values, seen = [], 0
    for hours in sorted(histogram):
        count = histogram[hours]
        for m in middle:
            if seen <= m < seen + count:
                values.append(hours)
        seen += count
    return (values[0] + values[-1]) / 2


def _hazard_list_url(base: dict, **params) -> str | None:
    try:
        url = reverse("hazards:hazard_list")
    except NoReverseMatch:
        return None
    params = {k: v for k, v in {**base, **params}.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _cache_key(user, filters: StatsFilters) -> str:
    """Users with the same role assignments see the same hazards (the access filter reads only the
    assignments), so they share cached figures; the key holds every assignment and every filter."""
    from yingji.framework.access import assignments_of

    scope = sorted(
        (a.role, a.place_id, a.place.path if a.place_id else "", a.enterprise_id or 0, a.department_id or 0)
        for a in assignments_of(user)
    )
    raw = json.dumps([scope, filters.as_dict(), get_language()], sort_keys=True, default=str)
    return "yingji:hazard-stats:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_hazard_statistics(user, filters: StatsFilters | None = None) -> dict:
    """:func:`hazard_statistics`, reused for :data:`CACHE_SECONDS` by every user of the same scope
    (what the page and the API serve)."""
    filters = filters or StatsFilters()
    if CACHE_SECONDS <= 0:
        return hazard_statistics(user, filters)
    key = _cache_key(user, filters)
    figures = cache.get(key)
    if figures is None:
        figures = hazard_statistics(user, filters)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def hazard_statistics(user, filters: StatsFilters | None = None, *, now: dt.datetime | None = None) -> dict:
    """Every figure of the dashboard for the hazards ``user`` may see, narrowed by ``filters``.

    From the tallies when they can answer (:func:`_from_tallies`), else from the hazards
    (:func:`_from_hazards`); plus one small query for the names of the table's places.
    JSON-serialisable.
    """
    filters = filters or StatsFilters()
    now = now or timezone.now()
    place, depth = area_of(filters, user)
    counted = _from_tallies(user, filters, depth, now)
    if counted is None:
        counted = _from_hazards(user, filters, depth, now)
    totals, by_area, by_section, histogram = counted
    summary = _derived(totals)
    summary["mean_close_hours"] = (
        round(totals["close_hours"] / totals["closed_timed"], 1) if totals["closed_timed"] else None
    )
    summary["median_close_hours"] = _median_hours(histogram)
    summary["closed_timed"] = totals["closed_timed"]

    base_params = {k: v for k, v in filters.as_dict().items() if k in ("kind", "source", "grade", "place")}
    return {
        "filters": filters.as_dict(),
        "generated_at": now.isoformat(),
        "area": {"code": place.code, "name": place.name} if place is not None else None,
        "area_level": LEVEL_AT_DEPTH[depth],
        "summary": summary,
        "by_grade": [
            {
                "code": code,
                "label": str(label),
                "count": totals[f"grade_{code}"],
                "open": None,
                "url": _hazard_list_url(base_params, grade=code),
            }
            for code, label in Grade.choices
        ]
        + [
            {
                "code": "",
                "label": _("未定级"),
                "count": totals["total"] - sum(totals[f"grade_{c}"] for c in Grade.values),
                "open": None,
                "url": None,
            }
        ],
        "by_status": [
            {
                "code": code,
                "label": str(label),
                "count": totals[f"status_{code}"],
                "open": code in OPEN_STATUSES,
                "url": _hazard_list_url(base_params, status=code),
            }
            for code, label in Status.choices
        ],
        "by_source": [
            {
                "code": code,
                "label": str(label),
                "count": totals[f"source_{code}"],
                "url": _hazard_list_url(base_params, source=code),
            }
            for code, label in Source.choices
        ],
        "by_industry": _industry_rows(by_section),
        "by_place": _place_rows(user, place, depth, by_area),
    }


def _section(division: str | None) -> str:
    return "" if not division else DIVISIONS.get(division, (UNKNOWN_SECTION, ""))[0]


def _from_hazards(user, filters: StatsFilters, depth: int, now: dt.datetime):
    """The counts from the hazards themselves: one grouped scan of the visible, filtered hazards and
    the hour histogram of the closed ones (any scope and filter)."""
    qs = filtered_hazards(user, filters)
    start = 1 + _PATH_SEGMENT * depth
    rows = (
        qs.annotate(area=Substr("place__path", start, 12))
        .values("area", "industry")
        .annotate(**_aggregates(now))
    )
    totals = _empty_counts()
    by_area: dict[str, dict] = {}
    by_section: dict[str, dict] = {}
    for row in rows:
        _add(totals, row)
        _add(by_area.setdefault(row["area"] or "", _empty_counts()), row)
        _add(by_section.setdefault(_section(row["industry"]), _empty_counts()), row)
    histogram = dict(
        qs.filter(status=Status.CLOSED, closed_at__isnull=False)
        .annotate(hours=WholeHoursBetween("closed_at", "found_at"))
        .values_list("hours")
        .annotate(n=Count("pk"))
        .values_list("hours", "n")
    )
    return totals, by_area, by_section, histogram


def _tally_prefixes(user) -> list[str] | None:
    """The place paths whose hazards ``user`` may see, when the tallies can answer for them: [""] for
    everything; None when an assignment is limited to an enterprise, a department or a village (the
    tallies count per town), or grants nothing."""
    from yingji.framework.access import assignments_of
    from yingji.framework.roles import ROLES, role_allows

    label = Hazard._meta.label_lower
    prefixes = []
    for a in assignments_of(user):
        if a.role not in ROLES or not role_allows(a.role, "view", label):
            continue
        if ROLES[a.role].global_scope:
            return [""]
        if a.enterprise_id is not None or a.department_id is not None:
            return None
        if a.place_id is None:
            return [""]
        if LEVEL_DEPTH[a.place.level] > LEVEL_DEPTH[PlaceLevel.TOWN]:
            return None
        prefixes.append(a.place.path)
    return prefixes or None


def _tally_row(status: str, grade: str, n: int) -> dict:
    row = _empty_counts()
    row["total"] = n
    row[f"status_{status}"] = n
    if f"grade_{grade}" in row:
        row[f"grade_{grade}"] = n
    if status in OPEN_STATUSES and grade == Grade.MAJOR:
        row["open_major"] = n
    return row


def _from_tallies(user, filters: StatsFilters, depth: int, now: dt.datetime):
    """The same counts from the tallies (``yingji.hazards.tally``), when they can give them: the
    table is drawn per county or town (not per village), the scope is a set of places at town level
    or above, and the only filters are kind and place. None otherwise.

    The tallies hold every count that does not depend on the clock; the open hazards past their
    deadline are counted from the hazards by an index-only scan (``hazards_open_due_idx``)."""
    from yingji.hazards.models import HazardCloseHours, HazardTally

    if depth > LEVEL_DEPTH[PlaceLevel.TOWN]:
        return None
    if filters.date_from or filters.date_to or filters.industry or filters.source or filters.grade:
        return None
    prefixes = _tally_prefixes(user)
    if prefixes is None:
        return None

    def admitted(path: str) -> bool:
        return path.startswith(tuple(prefixes)) and (
            filters.place is None or path.startswith(filters.place.path)
        )

    def narrowed(qs):
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.place is not None:
            qs = qs.filter(town_path__startswith=filters.place.path)
        if prefixes != [""]:
            q = Q()
            for prefix in prefixes:
                q |= Q(town_path__startswith=prefix)
            qs = qs.filter(q)
        return qs

    start = _PATH_SEGMENT * depth
    totals = _empty_counts()
    by_area: dict[str, dict] = {}
    by_section: dict[str, dict] = {}
    tallies = narrowed(HazardTally.objects.filter(n__gt=0)).order_by()
    per_area = (
        tallies.annotate(area=Substr("town_path", start + 1, 12))
        .values_list("area", "status", "grade", "source")
        .annotate(Sum("n"), Sum("with_deadline"), Sum("overdue_closed"), Sum("timed"), Sum("close_hours"))
    )
    for area, status, grade, source, n, with_deadline, overdue_closed, timed, hours in per_area:
        row = _tally_row(status, grade, n)
        if f"source_{source}" in row:
            row[f"source_{source}"] = n
        if status != Status.DISMISSED:
            row["with_deadline"] = with_deadline
        if status == Status.CLOSED:
            row["overdue_closed"] = overdue_closed
            row["closed_timed"] = timed
            row["close_hours"] = hours
        _add(totals, row)
        _add(by_area.setdefault(area or "", _empty_counts()), row)
    for section, status, grade, n in tallies.values_list("section", "status", "grade").annotate(Sum("n")):
        _add(by_section.setdefault(section, _empty_counts()), _tally_row(status, grade, n))

    # open and past the deadline: grouped by place, each place's path decides scope and table row
    overdue = Hazard.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now).order_by()
    if filters.kind:
        overdue = overdue.filter(kind=filters.kind)
    overdue = dict(overdue.values_list("place_id").annotate(n=Count("*")).values_list("place_id", "n"))
    if overdue:
        paths = dict(Place.objects.filter(pk__in=list(overdue)).values_list("pk", "path"))
        for place_id, n in overdue.items():
            path = paths.get(place_id, "")
            if admitted(path):
                totals["overdue_open"] += n
                by_area.setdefault(path[start : start + 12], _empty_counts())["overdue_open"] += n

    histogram: dict[int, int] = {}
    for hours, n in narrowed(HazardCloseHours.objects.filter(n__gt=0)).values_list("hours", "n"):
        histogram[hours] = histogram.get(hours, 0) + n
    return totals, by_area, by_section, histogram


def _industry_rows(by_section: dict[str, dict]) -> list[dict]:
    out = []
    for section, counts in by_section.items():
        if section == "":
            label = str(NO_ENTERPRISE_LABEL)
        else:
            label = f"{section} {SECTIONS.get(section, _('未知门类'))}"
        d = _derived(counts)
        out.append(
            {
                "code": section,
                "label": label,
                "count": d["total"],
                "open": d["open"],
                "open_major": d["open_major"],
                "rectification_rate": d["rectification_rate"],
            }
        )
    out.sort(key=lambda r: (-r["count"], r["code"]))
    return out


def _place_rows(user, place: Place | None, depth: int, by_area: dict[str, dict]) -> list[dict]:
    """One row per child of the area (every visible one, 清零 when it has no hazard), then a row for
    hazards placed at the area itself, if any."""
    places = Place.objects.visible_to(user).order_by("code").defer("boundary")
    if place is not None and LEVEL_DEPTH[place.level] == depth:
        places = places.filter(pk=place.pk)  # a village: its own row
    elif place is not None:
        places = places.filter(parent=place)
    else:
        places = places.filter(level=LEVEL_AT_DEPTH[depth])
    rows = []
    seen = set()
    for p in places.values("pk", "code", "name"):
        seen.add(p["code"])
        counts = by_area.get(p["code"]) or _empty_counts()
        rows.append({"code": p["code"], "name": p["name"], "id": p["pk"], **_derived(counts)})
    rest = _empty_counts()
    for code, counts in by_area.items():
        if code not in seen:  # placed above the table's level, or in a place not listed
            _add(rest, counts)
    if rest["total"]:
        rows.append({"code": "", "name": str(OWN_LEVEL_LABEL), "id": None, **_derived(rest)})
    return rows


# --- Map layer --------------------------------------------------------------------------------

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def hazards_geojson(queryset, bbox=None, limit: int | None = None) -> tuple[str, int, bool]:
    """Point features of the hazards in ``queryset`` (scoped and filtered) that have a location,
    newest first, at most ``limit``. Returns (FeatureCollection JSON, features sent, truncated)."""
    limit = MAP_LIMIT if limit is None else limit
    qs = queryset.filter(longitude__isnull=False, latitude__isnull=False)
    if bbox is not None:
        minlon, minlat, maxlon, maxlat = bbox
        qs = qs.filter(
            longitude__gte=minlon, latitude__gte=minlat, longitude__lte=maxlon, latitude__lte=maxlat
        )
    rows = list(
        qs.order_by("-found_at", "-id").values_list(
            "pk", "number", "title", "status", "grade", "kind", "longitude", "latitude", "found_at"
        )[: limit + 1]
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    try:
        url_pattern = reverse("hazards:hazard_detail", args=[0]).replace("/0/", "/{id}/")
    except NoReverseMatch:
        url_pattern = None
    status_labels = dict(Status.choices)
    grade_labels = dict(Grade.choices)
    parts = []
    for pk, number, title, status, grade, kind, lon, lat, found_at in rows:
        props = {
            "id": pk,
            "name": f"{number} {title}".strip(),
            "url": url_pattern.replace("{id}", str(pk)) if url_pattern else None,
            "color": STATUS_COLOURS.get(status, "#6c757d"),
            "status": status,
            "status_label": str(status_labels.get(status, status)),
            "grade": grade,
            "grade_label": str(grade_labels.get(grade, "")) if grade else "",
            "kind": kind,
            "found_at": found_at.isoformat() if found_at else None,
        }
        props["summary"] = " · ".join(
            x
            for x in (
                props["status_label"],
                props["grade_label"],
                timezone.localtime(found_at).strftime("%Y-%m-%d"),
            )
            if x
        )
        parts.append(
            f'{{"type":"Feature","id":{pk},"properties":{_encode(props)},'
            f'"geometry":{{"type":"Point","coordinates":[{round(lon, 6)!r},{round(lat, 6)!r}]}}}}'
        )
    body = (
        '{"type":"FeatureCollection","features":['
        + ",".join(parts)
        + f'],"limit":{limit},"truncated":{"true" if truncated else "false"}}}'
    )
    return body, len(parts), truncated
