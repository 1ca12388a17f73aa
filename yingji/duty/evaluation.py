"""Monthly duty evaluation (一月一点评): one score per duty room, and the ranking.

The formula (100 points; docs/duty.md, "Monthly evaluation") is :func:`score`, a pure function:

* **roll-call answer rate, 40 points**: ``40 × answered / calls``;
* **answer speed, 20 points**: from the mean answer time *m* of the answered calls,
  ``20 × (W − m) / (W − F)`` clamped to 0…20, where *F* is the full-points time
  (``YINGJI_DUTY_SPEED_FULL_SECONDS``, default 60 s) and *W* the answer window (default 300 s):
  *m* ≤ *F* earns 20, *m* ≥ *W* earns 0; a room that answered none of its calls earns 0;
* **report timeliness, 30 points**: ``30 × on_time / due`` of the upward reports it had to make;
* **report completeness, 10 points**: ``10 × (due − missing − incomplete) / due`` (not below 0).

A part without data (no roll-call in the month: the first two; no report due or no report data: the
last two) is left out and the parts that have data are scaled to 100 (a room with only roll-calls
scores ``(A + S) × 100 / 60``). Without any data there is no score and the room is ranked last.
Scores are rounded half-up to one decimal. These weights are local practice, not a national rule.

Ranking (:func:`rank`): score (high first), then roll-call answer rate (high first), then mean
answer time (short first); rooms equal on all three share a rank (1, 2, 2, 4) and are listed by
region code. The 叫应 (warning call-and-respond) rate is shown beside the score, not scored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ROLLCALL_RATE_POINTS = 40
SPEED_POINTS = 20
TIMELINESS_POINTS = 30
COMPLETENESS_POINTS = 10


@dataclass(frozen=True)
class Figures:
    """What one room did in one month (the inputs of :func:`score`)."""

    calls: int = 0
    answered: int = 0
    mean_answer_seconds: float | None = None
    #: upward reports (``yingji.reporting.stats.report_stats``): due, on_time, late, missing, incomplete
    reports: dict | None = None


@dataclass(frozen=True)
class Score:
    total: Decimal | None
    rollcall_rate: float | None = None
    rollcall_points: float | None = None
    speed_points: float | None = None
    timeliness_points: float | None = None
    completeness_points: float | None = None
    parts: tuple = field(default_factory=tuple)


def _round(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score(figures: Figures, *, window_seconds: float = 300, full_seconds: float = 60) -> Score:
    """The month's score of one room (see the module docstring for the formula)."""
    if window_seconds <= full_seconds:
        raise ValueError("window_seconds must exceed full_seconds")
    earned, weight, parts = 0.0, 0, []
    rate = rc_points = speed = timely = complete = None
    if figures.calls > 0:
        answered = min(max(figures.answered, 0), figures.calls)
        rate = answered / figures.calls
        rc_points = ROLLCALL_RATE_POINTS * rate
        if answered == 0 or figures.mean_answer_seconds is None:
            speed = 0.0
        else:
            share = (window_seconds - figures.mean_answer_seconds) / (window_seconds - full_seconds)
            speed = SPEED_POINTS * min(1.0, max(0.0, share))
        earned += rc_points + speed
        weight += ROLLCALL_RATE_POINTS + SPEED_POINTS
        parts.append("rollcall")
    reports = figures.reports or {}
    due = int(reports.get("due") or 0)
    if due > 0:
        on_time = min(max(int(reports.get("on_time") or 0), 0), due)
        timely = TIMELINESS_POINTS * on_time / due
        faulty = int(reports.get("missing") or 0) + int(reports.get("incomplete") or 0)
        complete = COMPLETENESS_POINTS * max(0, due - faulty) / due
        earned += timely + complete
        weight += TIMELINESS_POINTS + COMPLETENESS_POINTS
        parts.append("reports")
    if weight == 0:
        return Score(total=None)
    return Score(
        total=_round(earned * 100 / weight),
        rollcall_rate=rate,
        rollcall_points=rc_points,
        speed_points=speed,
        timeliness_points=timely,
        completeness_points=complete,
        parts=tuple(parts),
    )


def _key(row) -> tuple:
    s, f = row["score"], row["figures"]
    return (
        s.total is None,
        -(s.total or 0),
        -(s.rollcall_rate if s.rollcall_rate is not None else -1),
        f.mean_answer_seconds if f.mean_answer_seconds is not None else float("inf"),
    )


def rank(rows: list[dict]) -> list[dict]:
    """Sort ``rows`` (dicts with ``score``, ``figures`` and ``order``, a tie-break such as the
    room's region code) and set ``rank``: equal keys share a rank; unscored rows get ``None``."""
    rows = sorted(rows, key=lambda r: (_key(r), r.get("order", "")))
    previous, current = None, 0
    for i, row in enumerate(rows, start=1):
        key = _key(row)
        if key != previous:
            current, previous = i, key
        row["rank"] = current if row["score"].total is not None else None
    return rows


# --- data --------------------------------------------------------------------------------------------


def warning_figures_by_place(places, year: int, month: int) -> dict[int, dict]:
    """The 叫应 (warning call-and-respond) figures of each place's subtree for one month, in one
    query: ``{place_id: {"total", "answered", "answer_rate"}}``. Same counts as
    :func:`yingji.warnings.response.answer_stats` (acknowledgements of the subtree called in the
    month), which costs two queries per place."""
    from django.db.models import Count, Q

    from yingji.reporting.stats import month_bounds
    from yingji.warnings.models_response import Acknowledgement

    places = list(places)
    if not places:
        return {}
    roots: list[str] = []
    for path in sorted({p.path for p in places}):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    in_subtrees = Q()
    for root in roots:
        in_subtrees |= Q(place__path__startswith=root)
    start, end = month_bounds(dt.date(year, month, 1))
    counts = list(
        Acknowledgement.objects.filter(in_subtrees, called_at__gte=start, called_at__lt=end)
        .values_list("place__path")
        .annotate(total=Count("id"), answered=Count("id", filter=Q(acknowledged_at__isnull=False)))
        .order_by()
    )
    out = {}
    for place in places:
        total = sum(t for path, t, _a in counts if path.startswith(place.path))
        answered = sum(a for path, _t, a in counts if path.startswith(place.path))
        out[place.pk] = {
            "total": total,
            "answered": answered,
            "answer_rate": answered / total if total else None,
        }
    return out


def monthly_rows(rooms, year: int, month: int, *, with_warnings: bool = True) -> list[dict]:
    """The ranked evaluation of ``rooms`` (already scoped) for one month. A call still inside its
    answer window (pending, ``due_at`` not passed) is not counted yet: it is neither answered nor
    missed."""
    from django.utils import timezone

    from yingji.duty import conf
    from yingji.duty.choices import RollCallStatus
    from yingji.duty.models import RollCall
    from yingji.reporting.stats import month_bounds, report_stats_by_place

    start, end = month_bounds(dt.date(year, month, 1))
    rooms = list(rooms)
    calls: dict[int, list] = {r.pk: [0, 0, []] for r in rooms}
    for room_id, status, called, answered in (
        RollCall.objects.filter(room__in=[r.pk for r in rooms], called_at__gte=start, called_at__lt=end)
        .exclude(status=RollCallStatus.PENDING, due_at__gte=timezone.now())
        .values_list("room_id", "status", "called_at", "answered_at")
    ):
        entry = calls[room_id]
        entry[0] += 1
        if status == RollCallStatus.ANSWERED and answered is not None:
            entry[1] += 1
            entry[2].append((answered - called).total_seconds())
    own = [r.place for r in rooms if r.department_id is None]
    report_counts = report_stats_by_place(own, dt.date(year, month, 1))
    warning_counts = warning_figures_by_place(own, year, month) if with_warnings else {}
    window = conf.rollcall_window().total_seconds()
    full = float(conf.get("SPEED_FULL_SECONDS"))
    rows = []
    for room in rooms:
        n, answered, durations = calls[room.pk]
        reports = report_counts.get(room.place_id) if room.department_id is None else None
        figures = Figures(
            calls=n,
            answered=answered,
            mean_answer_seconds=sum(durations) / len(durations) if durations else None,
            reports=reports,
        )
        warnings = warning_counts.get(room.place_id) if room.department_id is None else None
        rows.append(
            {
                "room": room,
                "figures": figures,
                "score": score(figures, window_seconds=window, full_seconds=min(full, window - 1)),
                "warnings": warnings,
                "order": f"{room.place.code}-{room.department_id or 0:09d}",
            }
        )
    return rank(rows)
