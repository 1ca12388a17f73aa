"""Shared set-up for benchmarks: a throwaway data directory and database, Django configured."""

import atexit
import os
import shutil
import tempfile


def postgres_url(name: str) -> str | None:
    """A fresh, empty PostgreSQL database for a benchmark, or None when PostgreSQL is not reachable."""
    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    try:
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001 - no PostgreSQL: the caller falls back to SQLite
        return None
    return f"{base}/{name}"


def setup_django(database_url: str | None = None) -> str:
    """Configure Django on a temporary data directory (and ``database_url`` if given), migrated.

    Returns the database vendor ("sqlite" or "postgresql").
    """
    data_dir = tempfile.mkdtemp(prefix="yingji-bench-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)  # the bench process owns it
    os.environ["YINGJI_DATA_DIR"] = data_dir
    os.environ.setdefault("YINGJI_MODE", "demo")
    os.environ["YINGJI_TESTING"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
