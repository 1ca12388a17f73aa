"""Benchmark: hazard reports posted through the API by many grid workers at once (issue #3).

* ``hazard_report_per_s`` — reports accepted per second (``POST /api/v1/hazards/``, 201) from
  ``BENCH_REPORT_CLIENTS`` concurrent clients (threads, default 12, keep-alive connections, token
  authentication obtained from ``POST /api/v1/auth/token/``), each a grid worker of its own village;
* ``hazard_report_p99_ms`` — the 99th percentile of one report's round trip.

Server: the production set-up — gunicorn with ``BENCH_REPORT_WORKERS`` worker processes (default 4,
2 threads each, ``--preload``) in production mode on PostgreSQL and Redis, like ``yingji serve``.
Data: the demo region tree (1,917 villages) in a throwaway PostgreSQL database, dropped afterwards.
Every accepted report is checked to be in the database once. Run: ``python bench/hazard_report.py`` or
``make bench BENCH_ARGS=hazard_report``.
"""

import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, postgres_url, setup_django  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_REPORT_CLIENTS", "12"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REPORT_REQUESTS", "60"))
WORKERS = int(os.environ.get("BENCH_REPORT_WORKERS", "4"))
DB_NAME = "yingji_bench_hazard_report"
PASSWORD = "bench-Grid-2026!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _grid_workers() -> list[tuple[str, dict]]:
    """One grid worker per client, each in its own village: (username, the village's code and centre)."""
    from yingji.accounts.models import RoleAssignment, User
    from yingji.framework.roles import Role
    from yingji.places.models import Place

    villages = list(
        Place.objects.filter(level="village", centroid_lon__isnull=False)
        .order_by("code")
        .values("id", "code", "centroid_lon", "centroid_lat")[:: max(1, 1917 // CLIENTS)][:CLIENTS]
    )
    out = []
    for i, village in enumerate(villages):
        user = User.objects.create_user(f"bench-grid-{i}", password=PASSWORD)
        RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, place_id=village["id"])
        out.append((user.username, village))
    return out


def _start_server(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "YINGJI_MODE": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15"),
        "SECRET_KEY": "bench-only-key",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "LOGIN_THROTTLE": "1000/min",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "yingji.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--no-control-socket",
            "--preload",
        ],
        env=env,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _post(conn, path, body, headers=None):
    conn.request(
        "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})}
    )
    response = conn.getresponse()
    return response.status, response.read()


def _token(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = _post(conn, "/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    if status != 200:
        raise RuntimeError(f"token for {username}: {status} {body[:200]!r}")
    return json.loads(body)["token"]


def _report(i: int, n: int, village: dict) -> dict:
    found = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=n)
    return {
        "title": f"压测上报隐患 {i}-{n}",
        "description": "网格巡查发现消防通道堵塞",
        "source": "grid",
        "place": village["code"],
        "found_at": found.isoformat(),
        "category": "消防通道",
        "longitude": round(village["centroid_lon"] + 0.0001 * (n % 10), 6),
        "latitude": round(village["centroid_lat"], 6),
        "address": f"巡查点 {n}",
    }


def measure(port: int, workers: list[tuple[str, dict]]) -> tuple[list[float], float, list]:
    tokens = [_token(port, username) for username, _village in workers]
    # warm every server process and connection path
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for k in range(WORKERS * 3):
        status, body = _post(
            warm, "/api/v1/hazards/", _report(999, k, workers[0][1]), {"Authorization": f"Token {tokens[0]}"}
        )
        if status != 201:
            raise RuntimeError(f"warm-up report: {status} {body[:300]!r}")
    latencies: list[list[float]] = [[] for _ in workers]
    errors: list = []
    barrier = threading.Barrier(len(workers) + 1)

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Token {tokens[i]}"}
        village = workers[i][1]
        barrier.wait()
        for n in range(REQUESTS_PER_CLIENT):
            start = time.perf_counter()
            try:
                status, body = _post(conn, "/api/v1/hazards/", _report(i, n, village), headers)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            latencies[i].append((time.perf_counter() - start) * 1000)
            if status != 201:
                errors.append((status, body[:200]))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return [x for per in latencies for x in per], elapsed, errors


def run() -> dict:
    database_url = postgres_url(DB_NAME)
    if database_url is None:
        raise SystemExit("hazard_report needs PostgreSQL (BENCH_POSTGRES)")
    server = None
    try:
        setup_django(database_url)
        from django.db import connections

        from yingji.audit.context import change_context
        from yingji.demo.generator import _Builder

        with change_context("command"):
            _Builder(2026).places()
        workers = _grid_workers()
        connections.close_all()
        port = _free_port()
        server = _start_server(database_url, port)
        samples, elapsed, errors = measure(port, workers)
        from yingji.hazards.models import Hazard

        stored = Hazard.objects.filter(title__startswith="压测上报隐患").exclude(
            title__startswith="压测上报隐患 999-"
        )
        accepted = len(samples) - sum(1 for e in errors if isinstance(e, tuple))
        if errors:
            raise RuntimeError(f"{len(errors)} failed reports, e.g. {errors[:3]}")
        if stored.count() != accepted:
            raise RuntimeError(f"{accepted} reports accepted but {stored.count()} stored")
        common = {"n": accepted, "db": "postgresql", "clients": len(workers), "web_workers": WORKERS}
        return {
            "hazard_report_per_s": {"value": round(accepted / elapsed, 1), "unit": "reports/s", **common},
            "hazard_report_p99_ms": {"value": round(percentile(samples, 99), 1), "unit": "ms", **common},
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        _drop()


def _drop() -> None:
    import psycopg

    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    for key, fig in run().items():
        print(key, fig["value"], fig["unit"], f"n={fig['n']}")
