"""Benchmark: single-point PlaceIndex.locate over the villages of the synthetic demo city.

Run as ``python bench/place_lookup.py`` from the repository root; prints one line
``place_lookup_per_s <value> lookups/s n=<villages>``.  ``run()`` returns the same figure as a dict for
the project's bench runner.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # make ``yingji`` importable when run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shapely.geometry import shape  # noqa: E402

from yingji.places.demo_geometry import generate_region_tree  # noqa: E402
from yingji.places.lookup import PlaceIndex  # noqa: E402

N_LOOKUPS = 200_000


def run(n_lookups: int = N_LOOKUPS, seed: int = 2026) -> dict:
    """Build the demo tree, index its villages and time ``n_lookups`` random lookups in the city bbox."""
    specs = generate_region_tree(seed)
    villages = [(s.code, s.boundary) for s in specs if s.level == "village"]
    city = next(s for s in specs if s.level == "city")
    index = PlaceIndex(villages)

    x0, y0, x1, y1 = shape(city.boundary).bounds
    rng = random.Random(seed)
    points = [(rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(n_lookups)]
    locate = index.locate
    start = time.perf_counter()
    for lon, lat in points:
        locate(lon, lat)
    elapsed = time.perf_counter() - start
    value = round(n_lookups / elapsed)
    return {"place_lookup_per_s": {"value": value, "unit": "lookups/s", "n": len(villages)}}


def main() -> None:
    result = run()["place_lookup_per_s"]
    print(f"place_lookup_per_s {result['value']} {result['unit']} n={result['n']}")


if __name__ == "__main__":
    main()
