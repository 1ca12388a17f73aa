"""Benchmark: the shelters GeoJSON layer of the resources map with 2,000 shelters (SQLite).

``shelters_geojson_ms`` — p50 of ``GET /api/v1/resources/map/shelters/`` (the whole layer, no
bounding box) as a city bureau officer, through the whole stack (token authentication, access
filter, serialisation), in process. Run: ``python bench/shelters_geojson.py``.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, setup_django  # noqa: E402

N = int(os.environ.get("BENCH_SHELTERS", "2000"))
REQUESTS = int(os.environ.get("BENCH_SHELTER_REQUESTS", "30"))


def run(n: int = N) -> dict:
    vendor = setup_django()
    from decimal import Decimal

    from django.test.utils import setup_test_environment
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from bench.nearest import BBOX, make_region
    from yingji.accounts.models import RoleAssignment, User
    from yingji.framework.roles import Role
    from yingji.resources.models import Shelter

    setup_test_environment()
    rng = random.Random(2026)
    city, towns = make_region()
    x0, y0, x1, y1 = BBOX
    Shelter.objects.bulk_create(
        [
            Shelter(
                name=f"避难场所{i}",
                shelter_type=rng.choice(["emergency", "fixed", "central"]),
                fixed_period="",
                grade="town",
                place=rng.choice(towns),
                longitude=round(rng.uniform(x0, x1), 6),
                latitude=round(rng.uniform(y0, y1), 6),
                effective_area_m2=Decimal(rng.randint(2000, 80000)),
                capacity=rng.randint(500, 20000),
                status=rng.choice(["closed", "open"]),
            )
            for i in range(n)
        ]
    )
    user = User.objects.create_user("bench-city")
    RoleAssignment.objects.create(user=user, role=Role.BUREAU_OFFICER, place=city)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    url = "/api/v1/resources/map/shelters/"
    first = client.get(url)
    assert first.status_code == 200 and first.content.count(b'"type":"Feature"') == n, first.content[:200]
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    _drop_data_dir()
    return {
        "shelters_geojson_ms": {
            "value": round(percentile(samples, 50), 1),
            "unit": "ms",
            "n": n,
            "db": vendor,
        }
    }


def _drop_data_dir() -> None:
    """Leave no benchmark database behind (the data directory is a throwaway from setup_django)."""
    import shutil

    from django.db import connections

    connections.close_all()
    shutil.rmtree(os.environ.get("YINGJI_DATA_DIR", ""), ignore_errors=True)


def main() -> None:
    figure = run()["shelters_geojson_ms"]
    print(f"shelters_geojson_ms {figure['value']} {figure['unit']} n={figure['n']} ({figure['db']})")


if __name__ == "__main__":
    main()
