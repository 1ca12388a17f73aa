"""Benchmark: the hazard statistics dashboard at scale (issue #3).

* ``hazard_stats_p50_ms`` / ``hazard_stats_p95_ms`` — :func:`yingji.hazards.stats.hazard_statistics`
  (every figure of the dashboard: counts by grade, state, source, industry section and county,
  rectification and overdue rates, mean and median time to close, 清零 per county) for a city-level
  bureau officer, through the access filter, on PostgreSQL.
  Computed on every call (not the 60 s cache), from the tallies kept by every hazard write
  (``yingji/hazards/tally.py``) and an index-only count of the open hazards past their deadline.
* ``hazard_stats_raw_sql_p50_ms`` — the same figures from one hand-written SQL statement over the same
  tables (GROUPING SETS over the tallies), the floor of what the database itself needs.
* ``hazard_stats_scan_p50_ms`` — the figures of the same user for the last 365 days (a date filter:
  counted from the hazards themselves, the path every filter the tallies cannot answer takes).

Before timing, the figures from the tallies are checked to equal the figures counted from the
hazards (the full scan), for the whole city.

Data: the demo region tree (7 counties, 100 towns, 1,917 villages), ``BENCH_HAZARD_ENTERPRISES``
enterprises (default 100,000) and ``BENCH_HAZARDS`` hazards (default 1,000,000) written by
``INSERT … SELECT generate_series`` in PostgreSQL (no ORM rows), the tallies recounted
(``tally.rebuild``), then ``ANALYZE``. The throwaway database is dropped afterwards
(``BENCH_HAZARD_KEEP=1`` keeps it; ``BENCH_HAZARD_REUSE=1`` reuses a kept one, migrating it;
``python bench/hazard_stats.py --drop`` drops it). Needs PostgreSQL (``BENCH_POSTGRES``). Run:
``python bench/hazard_stats.py`` or ``make bench BENCH_ARGS=hazard_stats``.
"""

import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, postgres_url, setup_django  # noqa: E402

ENTERPRISES = int(os.environ.get("BENCH_HAZARD_ENTERPRISES", "100000"))
HAZARDS = int(os.environ.get("BENCH_HAZARDS", "1000000"))
RUNS = int(os.environ.get("BENCH_HAZARD_STATS_RUNS", "20"))
DB_NAME = "yingji_bench_hazard_stats"
#: keep the generated database afterwards (to explore query plans) / reuse a kept one (implies keep);
#: drop it at the end with ``python bench/hazard_stats.py --drop``
KEEP = bool(os.environ.get("BENCH_HAZARD_KEEP"))
REUSE = bool(os.environ.get("BENCH_HAZARD_REUSE"))
STATUSES = ("reported", "confirmed", "assigned", "rectifying", "rectified", "verified", "closed", "dismissed")
SOURCES = (
    "self_check",
    "inspection",
    "grid",
    "supervision",
    "public_report",
    "sensor",
    "data_clue",
    "info_officer",
)


def _load_places(seed: int = 2026) -> None:
    from yingji.audit.context import change_context
    from yingji.demo.generator import _Builder

    with change_context("command"):
        _Builder(seed).places()


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def _row_sql(model, given: dict[str, str]) -> tuple[str, str]:
    """(column list, SELECT expressions) for every concrete column of ``model``: the ``given`` SQL
    expressions, else NULL, the field's default, or the empty value of its type — so that columns
    added to the model later do not break the benchmark."""
    from django.db import models

    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.name in given:
            expr = given[f.name]
        elif f.name in ("created", "updated"):
            expr = "now()"
        elif f.null:
            expr = "NULL"
        elif f.has_default() and not callable(f.default):
            expr = _literal(f.default)
        elif isinstance(f, models.BooleanField):
            expr = "false"
        elif isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
            expr = "0"
        elif isinstance(f, models.CharField | models.TextField):
            expr = "''"
        else:
            raise RuntimeError(f"bench: no value for {model.__name__}.{f.name}")
        columns.append(f.column)
        values.append(expr)
    return ", ".join(columns), ", ".join(values)


def _generate(cursor) -> None:
    """Enterprises and hazards in bulk, in SQL: deterministic (row number driven) spreads of
    industry, place, status, grade, source and times."""
    from yingji.hazards.choices import Source, Status
    from yingji.orgs.catalogues import DIVISIONS

    divisions = "ARRAY[" + ",".join(f"'{d}'" for d in DIVISIONS) + "]"
    sources = "ARRAY[" + ",".join(f"'{s}'" for s in Source.values) + "]"
    # weights of the statuses: most hazards closed, some open at every step, a few dismissed
    status_cycle = (
        [Status.CLOSED] * 12
        + [Status.REPORTED, Status.CONFIRMED, Status.ASSIGNED, Status.RECTIFYING]
        + [Status.RECTIFYING, Status.RECTIFIED, Status.VERIFIED, Status.DISMISSED]
    )
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in status_cycle) + "]"
    cursor.execute(
        "CREATE TEMP TABLE bench_villages AS SELECT row_number() OVER (ORDER BY code) AS n, id "
        "FROM places_place WHERE level = 'village'"
    )
    cursor.execute("SELECT count(*) FROM bench_villages")
    villages = cursor.fetchone()[0]
    from yingji.hazards.models import Hazard
    from yingji.orgs.models import Enterprise

    columns, values = _row_sql(
        Enterprise,
        {
            "name": "'压测企业' || g",
            "uscc": "'B' || lpad(g::text, 17, '0')",
            "industry": f"({divisions})[1 + (g * 7919) %% {len(DIVISIONS)}]",
            "place": "v.id",
            "risk_flags": "','",
            "employees": "10",
            "operating_status": "'operating'",
            "longitude": "120.5 + (g %% 1000) * 0.001",
            "latitude": "31.7 + (g / 1000 %% 100) * 0.006",
        },
    )
    cursor.execute(
        f"INSERT INTO orgs_enterprise ({columns}) SELECT {values} FROM generate_series(1, {ENTERPRISES}) AS g "  # noqa: S608 - bench constants
        f"JOIN bench_villages v ON v.n = 1 + (g * 31) %% {villages}",
        [],
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_enterprises AS SELECT row_number() OVER (ORDER BY id) AS n, id, place_id, industry "
        "FROM orgs_enterprise"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_enterprises (n)")
    # 80 % work-safety hazards of an enterprise (at its village), 20 % disaster-risk hazards of a
    # village without an enterprise. Found in the last two years; due 30 days after; closed ones
    # closed 1..60 days after being found.
    disaster = "g %% 5 = 0"
    columns, values = _row_sql(
        Hazard,
        {
            "number": "'BH' || lpad(g::text, 10, '0')",
            "kind": f"CASE WHEN {disaster} THEN 'disaster' ELSE 'work_safety' END",
            "disaster_type": f"CASE WHEN {disaster} THEN 'waterlogging' ELSE '' END",
            "source": f"({sources})[1 + (g * 13) %% {len(Source.values)}]",
            "enterprise": f"CASE WHEN {disaster} THEN NULL ELSE e.id END",
            "industry": f"CASE WHEN {disaster} THEN '' ELSE e.industry END",
            "place": f"CASE WHEN {disaster} THEN v.id ELSE e.place_id END",
            "title": "'压测隐患' || g",
            "grade": "CASE WHEN g %% 23 = 0 THEN 'major' ELSE 'general' END",
            "status": "s.status",
            "found_at": "s.found",
            "due_at": "s.found + interval '30 days'",
            "confirmed_at": "CASE WHEN s.status IN ('reported', 'dismissed') THEN NULL "
            "ELSE s.found + interval '1 day' END",
            "rectified_at": "CASE WHEN s.status IN ('rectified', 'verified', 'closed') "
            "THEN s.found + (1 + g %% 50) * interval '1 day' END",
            "closed_at": "CASE WHEN s.status = 'closed' THEN s.found + (1 + g %% 60) * interval '1 day' "
            "+ (g %% 24) * interval '1 hour' END",
            "longitude": "120.5 + (g %% 997) * 0.001",
            "latitude": "31.7 + (g %% 991) * 0.0006",
        },
    )
    cursor.execute(
        f"""
        INSERT INTO hazards_hazard ({columns})
        SELECT {values}
        FROM generate_series(1, {HAZARDS}) AS g
        JOIN bench_enterprises e ON e.n = 1 + (g * 7) %% {ENTERPRISES}
        JOIN bench_villages v ON v.n = 1 + (g * 17) %% {villages}
        CROSS JOIN LATERAL (SELECT ({statuses})[1 + (g * 11) %% {len(status_cycle)}] AS status,
            now() - (g %% 730) * interval '1 day' - (g %% 17) * interval '1 hour' AS found) AS s
        """,  # noqa: S608 - the benchmark's own constants, no input
        [],
    )
    cursor.execute("ANALYZE")


OPEN = "('reported','confirmed','assigned','rectifying','rectified','verified')"
#: The same figures as hazard_statistics for a city-level user (area: the counties), as one statement
#: over what they are drawn from: the tallies summed per county and per industry section (conditional
#: sums), the open hazards past their deadline per county (index-only scan of hazards_open_due_idx),
#: and the histogram of closing hours (the median is read from it like hazard_statistics does).
RAW_SQL = f"""
WITH t AS NOT MATERIALIZED (
    SELECT substring(town_path, 14, 12) AS area, section, status, grade, source,
           n, with_deadline, overdue_closed, timed, close_hours
    FROM hazards_hazardtally WHERE town_path LIKE %(prefix)s AND n > 0
)
SELECT 'counts' AS what, area, section, sum(n) AS n,
    {", ".join(f"sum(n) FILTER (WHERE status = '{s}')" for s in STATUSES)},
    {", ".join(f"sum(n) FILTER (WHERE source = '{s}')" for s in SOURCES)},
    sum(n) FILTER (WHERE grade = 'major'), sum(n) FILTER (WHERE grade = 'general'),
    sum(n) FILTER (WHERE status IN {OPEN} AND grade = 'major') AS open_major,
    sum(overdue_closed) FILTER (WHERE status = 'closed') AS overdue_closed,
    sum(with_deadline) FILTER (WHERE status <> 'dismissed') AS with_deadline,
    sum(timed) FILTER (WHERE status = 'closed') AS closed_timed,
    sum(close_hours) FILTER (WHERE status = 'closed') AS close_h
FROM t GROUP BY GROUPING SETS ((area), (section))
UNION ALL
SELECT 'overdue_open', substring(p.path, 14, 12), NULL, count(*),
    {", ".join(["NULL"] * (len(STATUSES) + len(SOURCES) + 7))}
FROM hazards_hazard h JOIN places_place p ON p.id = h.place_id
WHERE h.status IN {OPEN} AND h.due_at < now() AND p.path LIKE %(prefix)s
GROUP BY 2
UNION ALL
SELECT 'close_hours', hours::text, NULL, sum(n),
    {", ".join(["NULL"] * (len(STATUSES) + len(SOURCES) + 7))}
FROM hazards_hazardclosehours WHERE town_path LIKE %(prefix)s AND n > 0 GROUP BY hours
"""  # noqa: S608 - constants only


def _officer():
    from yingji.accounts.models import RoleAssignment, User
    from yingji.framework.roles import Role, grant, role_allows
    from yingji.places.models import Place

    if not role_allows(Role.BUREAU_OFFICER, "view", "hazards.hazard"):  # before hazards grants it
        grant(Role.BUREAU_OFFICER, "hazards.hazard", {"view"})
    user, _ = User.objects.get_or_create(username="bench-hazard-officer")
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.BUREAU_OFFICER, place=Place.objects.get(level="city")
    )
    return User.objects.get(pk=user.pk)


def _time(fn, runs: int) -> list[float]:
    for _ in range(3):  # warm caches
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _reusable_url() -> str | None:
    """With ``BENCH_HAZARD_REUSE=1``: the kept database of an earlier run (``BENCH_HAZARD_KEEP=1``) if
    it exists and holds the expected number of hazards (it is migrated again, not regenerated)."""
    if not REUSE:
        return None
    import psycopg

    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    try:
        with psycopg.connect(f"{base}/{DB_NAME}", connect_timeout=3) as conn:
            (count,) = conn.execute("SELECT count(*) FROM hazards_hazard").fetchone()
    except Exception:  # noqa: BLE001 - no such database (or table): generate afresh
        return None
    return f"{base}/{DB_NAME}" if count == HAZARDS else None


def run() -> dict:
    database_url = _reusable_url()
    reused = database_url is not None
    if not reused:
        database_url = postgres_url(DB_NAME)
    if database_url is None:
        raise SystemExit("hazard_stats needs PostgreSQL (BENCH_POSTGRES)")
    setup_django(database_url)
    try:
        from django.db import connection, transaction

        from yingji.hazards.stats import hazard_statistics
        from yingji.places.models import Place

        start = time.perf_counter()
        if not reused:
            from yingji.hazards import tally

            _load_places()
            with transaction.atomic(), connection.cursor() as cursor:
                _generate(cursor)
                tally.rebuild()  # the rows were written by SQL, not through Hazard.save()
        with connection.cursor() as cursor:
            # as autovacuum leaves a settled table: visibility map set (index-only scans), statistics
            cursor.execute("VACUUM ANALYZE")
        generate_s = time.perf_counter() - start
        officer = _officer()

        def dashboard():
            officer.__dict__.pop("_yingji_assignments", None)  # a fresh request: assignments reloaded
            return hazard_statistics(officer)

        figures = dashboard()
        assert figures["summary"]["total"] == HAZARDS, figures["summary"]["total"]
        from yingji.hazards import stats

        real = stats._from_tallies
        stats._from_tallies = lambda *a, **k: None  # the same figures counted from the hazards
        try:
            scanned = dashboard()
        finally:
            stats._from_tallies = real
        figures.pop("generated_at"), scanned.pop("generated_at")
        assert figures == scanned, "the tallies disagree with the hazards"
        samples = _time(dashboard, RUNS)
        import datetime as dt

        last_year = stats.StatsFilters(date_from=dt.date.today() - dt.timedelta(days=365))

        def scan():
            officer.__dict__.pop("_yingji_assignments", None)
            return hazard_statistics(officer, last_year)

        scan_samples = _time(scan, 3)
        prefix = Place.objects.get(level="city").path + "%"

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, {"prefix": prefix})
                return cursor.fetchall()

        raw_samples = _time(raw, max(3, RUNS // 5))
        from yingji.hazards.stats import cached_hazard_statistics

        cached_samples = _time(lambda: cached_hazard_statistics(officer), RUNS)
        common = {"n": HAZARDS, "db": connection.vendor, "enterprises": ENTERPRISES}
        return {
            "hazard_stats_p50_ms": {"value": round(percentile(samples, 50), 1), "unit": "ms", **common},
            "hazard_stats_p95_ms": {"value": round(percentile(samples, 95), 1), "unit": "ms", **common},
            "hazard_stats_cached_p50_ms": {
                "value": round(percentile(cached_samples, 50), 2),
                "unit": "ms",
                **common,
            },
            "hazard_stats_scan_p50_ms": {
                "value": round(percentile(scan_samples, 50), 1),
                "unit": "ms",
                **common,
            },
            "hazard_stats_raw_sql_p50_ms": {
                "value": round(percentile(raw_samples, 50), 1),
                "unit": "ms",
                **common,
                "generate_s": round(generate_s, 1),
            },
        }
    finally:
        from django.db import connections

        connections.close_all()
        if not (KEEP or REUSE):  # keep only when exploring query plans
            _drop()


def _drop() -> None:
    import psycopg

    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    if sys.argv[1:] == ["--drop"]:
        _drop()
        raise SystemExit(0)
    for key, fig in run().items():
        print(key, fig["value"], fig["unit"], f"n={fig['n']}")
