"""The tallies behind the hazard statistics: counts of hazards per town, kind, industry section,
status, grade and source (:class:`~yingji.hazards.models.HazardTally`) and the hour histogram of
closing times per town and kind (:class:`~yingji.hazards.models.HazardCloseHours`).

They change in the same transaction as the hazards: ``Hazard.save()`` compares the hazard's state
when it was loaded with the state it is saved in and moves one count from the old row to the new
one; a deleted hazard is taken out (``post_delete``). Writes that bypass ``save()`` (bulk creates,
raw deletes, SQL) must call :func:`rebuild` afterwards — the demo loader does.

Every count is a plain sum, so the statistics of a town or anything above it (county, city) are
sums of rows. What depends on the clock (open hazards past their deadline) is not tallied: the
statistics count it from the hazards (an index-only scan, see ``stats.py``).

Concurrency: the counts are updated with ``INSERT … ON CONFLICT … DO UPDATE SET n = n + …``, a row
lock held until commit. Inside :func:`deferred` (the report service uses it) the updates are kept
back and applied together at the end of the block, just before the commit, so two reports of the
same town, kind, section and source wait for each other only for the commit, not for the whole
report. Rows are updated in key order, so two transactions never wait for each other crosswise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict

from django.db import connection

from yingji.orgs.catalogues import DIVISIONS

#: the fields a hazard's tally rows depend on
STATE_FIELDS = (
    "place_id",
    "industry",
    "kind",
    "status",
    "grade",
    "source",
    "due_at",
    "closed_at",
    "found_at",
)
#: a 12-digit code and its "/" in Place.path; a town's path is the first three segments
_SEGMENT = 13
_TOWN_PATH_LEN = 3 * _SEGMENT
UNKNOWN_SECTION = "?"
_HOUR = dt.timedelta(hours=1)

_local = threading.local()


def town_path(place_path: str) -> str:
    """The path of the town (镇/街道) a place lies in; a place at town level or above is its own."""
    return place_path[:_TOWN_PATH_LEN] if len(place_path) > _TOWN_PATH_LEN else place_path


def section_of(division: str) -> str:
    """The GB/T 4754 section (门类) of a division (大类); "" without one, "?" for an unknown code."""
    if not division:
        return ""
    return DIVISIONS.get(division, (UNKNOWN_SECTION, ""))[0]


def close_hours(closed_at, found_at) -> float:
    return (closed_at - found_at).total_seconds() / 3600.0


def whole_close_hours(closed_at, found_at) -> int:
    return (closed_at - found_at) // _HOUR


def state_of(hazard) -> tuple | None:
    """What the tallies need of ``hazard`` (None when some of it was not loaded)."""
    d = hazard.__dict__
    if any(f not in d for f in STATE_FIELDS):
        return None
    return tuple(d[f] for f in STATE_FIELDS)


def db_state(model, pk) -> tuple | None:
    return model._default_manager.filter(pk=pk).values_list(*STATE_FIELDS).first()


def _rows(state, path: str):
    """(tally key, measures), (histogram key or None) of one hazard in ``state`` at place ``path``."""
    _place, industry, kind, status, grade, source, due_at, closed_at, found_at = state
    town = town_path(path)
    timed = closed_at is not None and found_at is not None
    measures = (
        1,
        int(due_at is not None),
        int(closed_at is not None and due_at is not None and closed_at > due_at),
        int(timed),
        close_hours(closed_at, found_at) if timed else 0.0,
    )
    key = (town, kind, section_of(industry), status, grade or "", source)
    hist = (town, kind, whole_close_hours(closed_at, found_at)) if status == "closed" and timed else None
    return key, measures, hist


def _paths(hazard, place_ids) -> dict[int, str]:
    from yingji.places.models import Place

    out = {}
    cached = hazard.__class__.place.is_cached(hazard) and hazard.place
    if cached and cached.path:
        out[cached.pk] = cached.path
    missing = {pk for pk in place_ids if pk not in out}
    if missing:
        out.update(Place.objects.filter(pk__in=missing).values_list("pk", "path"))
    return out


def saved(hazard, before: tuple | None) -> tuple | None:
    """Move ``hazard``'s counts from its ``before`` state to its saved state; returns the new state."""
    after = state_of(hazard)
    if after is None:
        after = db_state(type(hazard), hazard.pk)
    if after == before:
        return after
    changes = [(s, sign) for s, sign in ((before, -1), (after, 1)) if s is not None]
    paths = _paths(hazard, {s[0] for s, _sign in changes})
    _record([(*_rows(s, paths[s[0]]), sign) for s, sign in changes])
    return after


def deleted(hazard) -> None:
    state = getattr(hazard, "_tally_state", None) or state_of(hazard)
    if state is None:  # pragma: no cover - deletes go through loaded hazards
        return
    paths = _paths(hazard, {state[0]})
    if state[0] in paths:
        _record([(*_rows(state, paths[state[0]]), -1)])


def _record(changes) -> None:
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.extend(changes)
    else:
        _apply(changes)


@contextlib.contextmanager
def deferred():
    """Keep the tally updates of the block back and apply them at its end (in the transaction of
    the block's caller): the rows are locked only from then to the commit."""
    if getattr(_local, "pending", None) is not None:  # nested: the outer block applies them
        yield
        return
    _local.pending = []
    try:
        yield
        changes = _local.pending
    finally:
        _local.pending = None
    _apply(changes)


def _apply(changes) -> None:
    from yingji.hazards.models import HazardCloseHours, HazardTally

    tallies: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    hists: dict[tuple, int] = defaultdict(int)
    for key, measures, hist, sign in changes:
        acc = tallies[key]
        for i, m in enumerate(measures):
            acc[i] += sign * m
        if hist is not None:
            hists[hist] += sign
    t, h = HazardTally._meta.db_table, HazardCloseHours._meta.db_table
    with connection.cursor() as cursor:
        for key in sorted(tallies):
            n, with_deadline, overdue_closed, timed, hours = tallies[key]
            if not (n or with_deadline or overdue_closed or timed):
                continue
            cursor.execute(
                f"INSERT INTO {t} (town_path, kind, section, status, grade, source, "  # noqa: S608 - model tables
                "n, with_deadline, overdue_closed, timed, close_hours) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (town_path, kind, section, status, grade, source) DO UPDATE SET "
                f"n = {t}.n + excluded.n, with_deadline = {t}.with_deadline + excluded.with_deadline, "
                f"overdue_closed = {t}.overdue_closed + excluded.overdue_closed, "
                f"timed = {t}.timed + excluded.timed, close_hours = {t}.close_hours + excluded.close_hours",
                [*key, n, with_deadline, overdue_closed, timed, hours],
            )
        for key in sorted(hists):
            if hists[key]:
                cursor.execute(
                    f"INSERT INTO {h} (town_path, kind, hours, n) VALUES (%s, %s, %s, %s) "  # noqa: S608
                    f"ON CONFLICT (town_path, kind, hours) DO UPDATE SET n = {h}.n + excluded.n",
                    [*key, hists[key]],
                )


def rebuild(models=None) -> tuple[int, int]:
    """Recount both tallies from the hazards (after bulk writes; in migrations pass the historical
    ``models`` = (Hazard, HazardTally, HazardCloseHours)). Returns the numbers of rows written."""
    from django.db.models import Count, F, Q, Sum

    from yingji.hazards.stats import HoursBetween, WholeHoursBetween

    if models is None:
        from yingji.hazards.models import Hazard, HazardCloseHours, HazardTally
    else:
        Hazard, HazardTally, HazardCloseHours = models  # noqa: N806
    timed = Q(closed_at__isnull=False)
    grouped = (
        Hazard.objects.order_by()
        .values_list("place__path", "industry", "kind", "status", "grade", "source")
        .annotate(
            n=Count("pk"),
            with_deadline=Count("pk", filter=Q(due_at__isnull=False)),
            overdue_closed=Count("pk", filter=Q(closed_at__gt=F("due_at"))),
            timed=Count("pk", filter=timed),
            close_hours=Sum(HoursBetween("closed_at", "found_at"), filter=timed),
        )
    )
    tallies: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    for path, industry, kind, status, grade, source, *measures in grouped.iterator(chunk_size=10000):
        acc = tallies[(town_path(path), kind, section_of(industry), status, grade or "", source)]
        for i, m in enumerate(measures):
            acc[i] += m or 0
    hists: dict[tuple, int] = defaultdict(int)
    closed = (
        Hazard.objects.order_by()
        .filter(status="closed", closed_at__isnull=False)
        .annotate(hours=WholeHoursBetween("closed_at", "found_at"))
        .values_list("place__path", "kind", "hours")
        .annotate(n=Count("pk"))
    )
    for path, kind, hours, n in closed.iterator(chunk_size=10000):
        hists[(town_path(path), kind, hours)] += n
    HazardTally.objects.all().delete()
    HazardCloseHours.objects.all().delete()
    fields = ("town_path", "kind", "section", "status", "grade", "source")
    measures = ("n", "with_deadline", "overdue_closed", "timed", "close_hours")
    HazardTally.objects.bulk_create(
        (
            HazardTally(**dict(zip(fields, k, strict=True)), **dict(zip(measures, v, strict=True)))
            for k, v in tallies.items()
        ),
        batch_size=2000,
    )
    HazardCloseHours.objects.bulk_create(
        (HazardCloseHours(town_path=k[0], kind=k[1], hours=k[2], n=n) for k, n in hists.items()),
        batch_size=2000,
    )
    return len(tallies), len(hists)
