"""Benchmark: import N enterprises from Excel with full validation (validate + commit).

Run as ``python bench/enterprise_import.py`` from the repository root (it migrates a fresh SQLite
database in a temporary YINGJI_DATA_DIR); prints one line
``enterprise_import_rows_per_s <value> rows/s n=<N> (n/4: <value> rows/s)``. ``run()`` returns the
figure as a dict for the project's bench runner, which calls it with Django settings and a
throwaway SQLite database. N comes from BENCH_IMPORT_ROWS (default 100,000). The rate is also
measured at N/4 to show that time grows linearly with the number of rows.

The file is what a user would upload: the import template's columns, industry/scale/status as the
dropdown labels, risk flags as "、"-separated labels, 80 % of rows with a village code and 20 % with
only a location (the village is found by point-in-polygon).
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":  # make ``yingji`` importable and use a throwaway data directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if "YINGJI_DATA_DIR" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="yingji-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["YINGJI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")

DEFAULT_ROWS = 100_000


def _setup() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _load_places() -> list:
    """The synthetic region tree (an empty database gets it); returns the villages."""
    from yingji.places.demo_geometry import generate_region_tree
    from yingji.places.models import Place
    from yingji.places.services import boundaries_changed

    if not Place.objects.filter(level="village").exists():
        specs = generate_region_tree(2026)
        by_code: dict[str, Place] = {}
        for level in ("city", "county", "town", "village"):
            objs = []
            for s in specs:
                if s.level != level:
                    continue
                parent = by_code.get(s.parent_code)
                objs.append(
                    Place(
                        code=s.code,
                        name=s.name,
                        level=s.level,
                        parent=parent,
                        path=(parent.path if parent else "") + s.code + "/",
                        population=s.population,
                        area_km2=s.area_km2,
                        boundary=s.boundary,
                        centroid_lon=s.centroid[0],
                        centroid_lat=s.centroid[1],
                    )
                )
            Place.objects.bulk_create(objs, batch_size=500)
            by_code.update((p.code, p) for p in objs)
        boundaries_changed()
    return list(Place.objects.filter(level="village").values_list("code", "centroid_lon", "centroid_lat"))


def _officer():
    from yingji.accounts.models import RoleAssignment, User
    from yingji.places.models import Place

    user, created = User.objects.get_or_create(username="bench-importer")
    if created:
        RoleAssignment.objects.create(user=user, role="bureau_officer", place=Place.objects.get(level="city"))
    return user


def write_file(path: Path, n: int, villages: list, offset: int, seed: int = 2026) -> None:
    """N valid enterprises in the import template's layout (openpyxl write-only, as our exports)."""
    from openpyxl import Workbook

    from yingji.exchange.importers import EnterpriseImporter
    from yingji.orgs.catalogues import INDUSTRY_CHOICES, RISK_FLAGS
    from yingji.orgs.choices import OperatingStatus, Scale
    from yingji.utilities.identifiers import make_uscc

    rng = random.Random(seed + offset)
    columns = EnterpriseImporter.columns
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(EnterpriseImporter.sheet_title)
    ws.append([str(c.header) for c in columns])
    keys = [c.key for c in columns]
    for i in range(n):
        code, lon, lat = villages[rng.randrange(len(villages))]
        with_code = rng.random() < 0.8
        flags = rng.sample(RISK_FLAGS, rng.randint(0, 2))
        row = {
            "name": f"南通市测试{offset + i}号化工有限公司",
            "uscc": make_uscc("9", "1", "320600", f"{offset + i:08d}"),
            "industry": rng.choice(INDUSTRY_CHOICES)[1],
            "scale": str(rng.choice(Scale.labels)),
            "operating_status": str(rng.choice(OperatingStatus.labels)),
            "address": f"南通市某某路{i % 999 + 1}号",
            "longitude": round(lon, 6),
            "latitude": round(lat, 6),
            "place": code if with_code else None,
            "risk_flags": "、".join(label for _c, label in flags) or None,
            "employees": rng.randint(1, 2000),
            "principal_name": "张三",
            "principal_mobile": f"138{rng.randrange(10**8):08d}",
            "safety_manager_name": "李四",
            "safety_manager_mobile": f"139{rng.randrange(10**8):08d}",
        }
        ws.append([row.get(k) for k in keys])
    wb.save(path)


def time_import(path: Path, user) -> tuple[float, object]:
    """Seconds for upload + validate + commit of one file, and the finished job."""
    from django.core.files import File

    from yingji.exchange import services

    start = time.perf_counter()
    with path.open("rb") as f:
        upload = File(f, name=path.name)
        upload.size = path.stat().st_size
        job = services.create_import_job(actor=user, kind="enterprises", upload=upload, schedule=False)
    job = services.validate_import(job.pk)
    if job.status != "validated":
        raise RuntimeError(f"bench file did not validate: {job.report[:5]}")
    services.confirm_import(job, actor=user, schedule=False)
    job = services.commit_import(job.pk)
    elapsed = time.perf_counter() - start
    if job.status != "done":
        raise RuntimeError(f"bench import failed: {job.message}")
    job.file.delete(save=False)
    return elapsed, job


def run(n: int | None = None) -> dict:
    n = n or int(os.environ.get("BENCH_IMPORT_ROWS", DEFAULT_ROWS))
    _setup()
    villages = _load_places()
    user = _officer()
    from yingji.audit.context import change_context

    rates = {}
    with tempfile.TemporaryDirectory() as tmp, change_context("command"):
        for size, offset in ((max(1, n // 4), 10_000_000), (n, 20_000_000)):
            path = Path(tmp) / f"enterprises-{size}.xlsx"
            write_file(path, size, villages, offset)
            elapsed, _job = time_import(path, user)
            rates[size] = size / elapsed
    quarter = max(1, n // 4)
    return {
        "enterprise_import_rows_per_s": {
            "value": round(rates[n]),
            "unit": "rows/s",
            "n": n,
            "value_at_quarter": round(rates[quarter]),
            "n_quarter": quarter,
        }
    }


def main() -> None:
    result = run()["enterprise_import_rows_per_s"]
    print(
        f"enterprise_import_rows_per_s {result['value']} {result['unit']} n={result['n']} "
        f"(n/4={result['n_quarter']}: {result['value_at_quarter']} rows/s)"
    )


if __name__ == "__main__":
    main()
