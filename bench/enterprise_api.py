"""Benchmark: the enterprises API at scale.

* ``enterprise_list_p50_ms`` / ``enterprise_list_p95_ms`` — list requests with filters (risk flag,
  industry, section, place subtree, search, ordering) as a city officer, through the whole stack
  (middleware, token auth, access filter, pagination with count), in process.
* ``detail_read_rps`` — enterprise detail reads per second from 2 concurrent keep-alive clients
  against the production-style server: gunicorn with several worker processes, production mode
  (PostgreSQL, Redis), token authentication.

Data: the demo city with ``BENCH_ENTERPRISES`` enterprises (default 100,000) on PostgreSQL when it is
reachable (else SQLite, and the detail figure is skipped). Run: ``python bench/enterprise_api.py``.
"""

import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, postgres_url, setup_django  # noqa: E402

N = int(os.environ.get("BENCH_ENTERPRISES", "100000"))
LIST_REQUESTS = int(os.environ.get("BENCH_LIST_REQUESTS", "300"))
DETAIL_REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_DETAIL_REQUESTS", "3000"))


def _officer_token():
    from rest_framework.authtoken.models import Token

    from yingji.accounts.models import RoleAssignment, User
    from yingji.framework.roles import Role
    from yingji.places.models import Place

    user, _ = User.objects.get_or_create(username="bench-officer")
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.BUREAU_OFFICER, place=Place.objects.get(level="city")
    )
    return Token.objects.get_or_create(user=user)[0].key


def _list_queries():
    from yingji.orgs.models import Enterprise
    from yingji.places.models import Place

    county = Place.objects.filter(level="county").order_by("code")[1].code
    town = Place.objects.filter(level="town").order_by("code")[20].code
    fragment = Enterprise.objects.order_by("id").values_list("name", flat=True)[N // 2][2:5]
    return [
        {},
        {"risk_flag": "hazardous_chemicals"},
        {"industry": "26", "operating_status": "operating"},
        {"place": county, "scale": "small"},
        {"section": "C", "risk_flag": "dust_explosion"},
        {"q": fragment},
        {"place": town, "ordering": "-employees"},
        {"page": 5, "ordering": "name"},
    ]


def measure_list(token) -> list[float]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    queries = _list_queries()
    for q in queries * 3:  # warm caches and connections
        assert client.get("/api/v1/enterprises/", q).status_code == 200
    samples = []
    for i in range(LIST_REQUESTS):
        q = queries[i % len(queries)]
        start = time.perf_counter()
        response = client.get("/api/v1/enterprises/", q)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_detail_rps(token, database_url, workers=2) -> float:
    import http.client

    from yingji.orgs.models import Enterprise

    ids = list(Enterprise.objects.values_list("id", flat=True))
    port = _free_port()
    env = {
        **os.environ,
        "YINGJI_MODE": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15"),
        "SECRET_KEY": "bench-only-key",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "yingji.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-control-socket",
            "--preload",  # load the app once, so that every worker is ready when measuring starts
        ],
        env=env,
    )
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        errors = []

        def client(seed):
            rng = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Authorization": f"Token {token}"}
            for _ in range(DETAIL_REQUESTS_PER_CLIENT):
                conn.request("GET", f"/api/v1/enterprises/{rng.choice(ids)}/", headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)

        for warm in range(50):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request(
                "GET", f"/api/v1/enterprises/{ids[warm]}/", headers={"Authorization": f"Token {token}"}
            )
            conn.getresponse().read()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        if errors:
            raise RuntimeError(f"{len(errors)} failed detail reads: {sorted(set(errors))}")
        return 2 * DETAIL_REQUESTS_PER_CLIENT / elapsed
    finally:
        server.terminate()
        server.wait(timeout=30)


def run() -> dict:
    database_url = postgres_url("yingji_bench_api")
    vendor = setup_django(database_url)
    from yingji.demo.generator import load_demo

    load_demo(seed=2026, enterprises=N, users=False)
    token = _officer_token()
    samples = measure_list(token)
    results = {
        "enterprise_list_p50_ms": {
            "value": round(percentile(samples, 50), 2),
            "unit": "ms",
            "n": N,
            "db": vendor,
        },
        "enterprise_list_p95_ms": {
            "value": round(percentile(samples, 95), 2),
            "unit": "ms",
            "n": N,
            "db": vendor,
        },
    }
    if database_url:
        from django.db import connections

        connections.close_all()
        rps = measure_detail_rps(token, database_url)
        results["detail_read_rps"] = {
            "value": round(rps, 1),
            "unit": "requests/s",
            "n": N,
            "db": vendor,
            "clients": 2,
            "web_workers": 2,
        }
    return results


if __name__ == "__main__":
    for key, fig in run().items():
        print(key, fig["value"], fig["unit"], f"n={fig['n']}")
