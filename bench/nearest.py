"""Benchmark: nearest-resource search over 100,000 resources (SQLite, in process).

* ``nearest_p50_ms`` — ``yingji.resources.nearest.search`` for all four indexed kinds at once (teams,
  experts, equipment, shelters; 5 each), as a city bureau officer (scope applied), from random
  points in the city's bounding box, index warm;
* ``nearest_api_p50_ms`` — the same search through ``GET /api/v1/resources/nearest/`` (Django test
  client: middleware, token authentication, parsing, village lookup of the point, JSON);
* ``nearest_bruteforce_p50_ms`` — the reference answer: every visible row of each kind read through
  the access filter and sorted by haversine distance (and each answer is checked to be equal).

Data: a city with 7 counties and 100 towns (rectangular boundaries), 40,000 teams, 20,000 experts,
20,000 equipment and 20,000 shelters at random points (``BENCH_RESOURCES`` scales the total).
Run: ``python bench/nearest.py``.
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

N = int(os.environ.get("BENCH_RESOURCES", "100000"))
SEARCHES = int(os.environ.get("BENCH_NEAREST_SEARCHES", "300"))
BRUTE_SEARCHES = int(os.environ.get("BENCH_NEAREST_BRUTE", "5"))
BBOX = (120.3, 31.6, 121.9, 32.7)  # roughly 南通市
KINDS = ("team", "expert", "equipment", "shelter")


def make_region():
    """City → 7 counties → 100 towns with rectangle boundaries tiling BBOX; returns the towns."""
    from yingji.places.models import Place
    from yingji.places.services import boundaries_changed

    x0, y0, x1, y1 = BBOX

    def rect(a, b, c, d):
        return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}

    city = Place.objects.create(code="320600000000", name="南通市", level="city", boundary=rect(*BBOX))
    towns = []
    width = (x1 - x0) / 7
    for c in range(7):
        cx0 = x0 + c * width
        county = Place.objects.create(
            code=f"3206{c + 1:02d}000000",
            name=f"县{c}",
            level="county",
            parent=city,
            boundary=rect(cx0, y0, cx0 + width, y1),
        )
        n_towns = 15 if c < 2 else 14
        height = (y1 - y0) / n_towns
        for t in range(n_towns):
            towns.append(
                Place.objects.create(
                    code=f"3206{c + 1:02d}{t + 1:03d}000",
                    name=f"县{c}镇{t}",
                    level="town",
                    parent=county,
                    boundary=rect(cx0, y0 + t * height, cx0 + width, y0 + (t + 1) * height),
                    population=50_000,
                )
            )
    boundaries_changed()
    return city, towns


def load(n: int, towns, rng: random.Random) -> None:
    from decimal import Decimal

    from yingji.resources.models import Equipment, Expert, Shelter, Team
    from yingji.resources.nearest import resources_changed

    x0, y0, x1, y1 = BBOX

    def point():
        return round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)

    shares = {"team": 0.4, "expert": 0.2, "equipment": 0.2, "shelter": 0.2}
    caps = ["firefighting", "search_rescue", "water_rescue", "hazchem", "medical", "drone"]
    batches = {
        Team: [
            Team(
                name=f"队伍{i}",
                kind=rng.choice(["comprehensive", "social", "grassroots", "military"]),
                place=rng.choice(towns),
                longitude=lon,
                latitude=lat,
                headcount=rng.randint(5, 80),
                capabilities=rng.sample(caps, 2),
            )
            for i in range(int(n * shares["team"]))
            for lon, lat in [point()]
        ],
        Expert: [
            Expert(
                name=f"专家{i}", place=rng.choice(towns), longitude=lon, latitude=lat, specialties=["hazchem"]
            )
            for i in range(int(n * shares["expert"]))
            for lon, lat in [point()]
        ],
        Equipment: [
            Equipment(
                name=f"装备{i}",
                kind=rng.choice(["drone", "boat", "pump"]),
                place=rng.choice(towns),
                longitude=lon,
                latitude=lat,
            )
            for i in range(int(n * shares["equipment"]))
            for lon, lat in [point()]
        ],
        Shelter: [
            Shelter(
                name=f"避难场所{i}",
                shelter_type="emergency",
                grade="town",
                place=rng.choice(towns),
                longitude=lon,
                latitude=lat,
                effective_area_m2=Decimal(5000),
                capacity=rng.randint(100, 5000),
            )
            for i in range(int(n * shares["shelter"]))
            for lon, lat in [point()]
        ],
    }
    for model, objs in batches.items():
        model.objects.bulk_create(objs, batch_size=5000)
    resources_changed()


def run(n: int = N) -> dict:
    vendor = setup_django()
    from django.test.utils import setup_test_environment
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from yingji.accounts.models import RoleAssignment, User
    from yingji.framework.roles import Role
    from yingji.resources import nearest

    setup_test_environment()
    rng = random.Random(2026)
    city, towns = make_region()
    load(n, towns, rng)
    user = User.objects.create_user("bench-city")
    RoleAssignment.objects.create(user=user, role=Role.BUREAU_OFFICER, place=city)
    x0, y0, x1, y1 = BBOX
    points = [(rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(SEARCHES)]

    def query(lon, lat):
        return nearest.Query(longitude=lon, latitude=lat, kinds=KINDS, limit=5)

    nearest.search(user, query(*points[0]))  # build the indexes
    samples = []
    for lon, lat in points:
        start = time.perf_counter()
        nearest.search(user, query(lon, lat))
        samples.append((time.perf_counter() - start) * 1000)
    in_process = percentile(samples, 50)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    kinds = ",".join(KINDS)
    client.get(
        "/api/v1/resources/nearest/", {"longitude": points[0][0], "latitude": points[0][1], "kinds": kinds}
    )
    api_samples = []
    for lon, lat in points:
        start = time.perf_counter()
        response = client.get(
            "/api/v1/resources/nearest/",
            {"longitude": f"{lon:.6f}", "latitude": f"{lat:.6f}", "kinds": kinds},
        )
        api_samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
    api = percentile(api_samples, 50)

    brute = []
    for lon, lat in points[:BRUTE_SEARCHES]:
        q = query(lon, lat)
        start = time.perf_counter()
        want = nearest.brute_force(user, q)
        brute.append((time.perf_counter() - start) * 1000)
        got = nearest.search(user, q)
        assert {k: [r["id"] for r in v] for k, v in got.items()} == {
            k: [pk for pk, _d in v] for k, v in want.items()
        }
    total = sum(len(nearest.indexes.get(k)) for k in KINDS)
    note = f"{vendor}"
    _drop_data_dir()
    return {
        "nearest_p50_ms": {"value": round(in_process, 2), "unit": "ms", "n": total, "db": note},
        "nearest_api_p50_ms": {"value": round(api, 2), "unit": "ms", "n": total, "db": note},
        "nearest_bruteforce_p50_ms": {
            "value": round(percentile(brute, 50), 1),
            "unit": "ms",
            "n": total,
            "db": note,
        },
    }


def _drop_data_dir() -> None:
    """Leave no benchmark database behind (the data directory is a throwaway from setup_django)."""
    import shutil

    from django.db import connections

    connections.close_all()
    shutil.rmtree(os.environ.get("YINGJI_DATA_DIR", ""), ignore_errors=True)


def main() -> None:
    for name, figure in run().items():
        print(f"{name} {figure['value']} {figure['unit']} n={figure['n']} ({figure['db']})")


if __name__ == "__main__":
    main()
