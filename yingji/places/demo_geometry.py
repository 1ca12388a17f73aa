"""Deterministic synthetic region tree of a Nantong-like city (南通市) for demos, tests and benchmarks.

``generate_region_tree(seed)`` returns one city, the seven real counties/districts with their real
统计用区划代码 prefixes, about 100 towns/streets and about 1,900 villages/communities.  Names below the
county level, all boundaries and all populations are synthetic.

Geometry
    A rough outline of Nantong (Yangtze to the south, Yellow Sea to the east) is covered by a grid of
    "blocks"; every block is 2 x 2 "fine cells".  The fine-grid vertices are jittered once (at most 30 % of
    a fine cell per axis, so every cell stays a simple polygon) and rounded to 6 decimals, so neighbouring
    polygons share exactly the same vertices: the tiling has neither gaps nor overlaps.

    * Counties: blocks are assigned to the (fixed) county seats by a power diagram whose weights are tuned
      so that every county gets a share proportional to its number of towns.
    * Towns: inside a county, a capacity-constrained Lloyd iteration (power diagram + moving seeds) splits
      the county's units into towns of 12-26 units.
    * Villages: one unit each.  A unit is a block (8-vertex polygon), except in the urban 崇川区 where a
      unit is a single fine cell, so urban communities are smaller and denser.
    * Towns, counties and the city are the coverage union of their children, so every child lies within
      its parent by construction.

Everything is derived from ``random.Random(seed)``; the global random state is never touched.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon

__all__ = ["CITY_CODE", "COUNTIES", "RegionSpec", "generate_region_tree", "area_km2"]

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0

CITY_CODE = "320600000000"
CITY_NAME = "南通市"

#: (6-digit code, name, seat (lon, lat), number of towns, number of which are 街道, urban)
COUNTIES: tuple[tuple[str, str, tuple[float, float], int, int, bool], ...] = (
    ("320602", "崇川区", (120.86, 32.01), 15, 15, True),
    ("320612", "通州区", (121.07, 32.07), 15, 3, False),
    ("320614", "海门区", (121.18, 31.87), 14, 3, False),
    ("320685", "海安市", (120.47, 32.53), 12, 2, False),
    ("320682", "如皋市", (120.57, 32.37), 16, 3, False),
    ("320623", "如东县", (121.18, 32.31), 15, 2, False),
    ("320681", "启东市", (121.65, 31.81), 13, 2, False),
)

# Grid over lon 120.3-121.95, lat 31.65-32.75; a block is about 2.4 km x 2.4 km.
_LON0, _LAT0, _LON1, _LAT1 = 120.30, 31.65, 121.95, 32.75
_BLOCK_COLS, _BLOCK_ROWS = 63, 50
_JITTER = 0.30  # fraction of a fine cell; must stay below 0.5 (0.4 with margin) to keep cells valid
_MEAN_VILLAGES = 19
_MIN_VILLAGES, _MAX_VILLAGES = 12, 26

# Rough outline of the municipality (lon, lat), clockwise from the north-west corner of 海安.
_CITY_OUTLINE = (
    (120.33, 32.72), (120.62, 32.68), (120.85, 32.62), (121.05, 32.55), (121.35, 32.50),
    (121.50, 32.38), (121.60, 32.20), (121.80, 32.05), (121.93, 31.90), (121.88, 31.72),
    (121.65, 31.67), (121.35, 31.72), (121.10, 31.80), (120.95, 31.90), (120.78, 31.96),
    (120.60, 32.02), (120.45, 32.10), (120.35, 32.25), (120.31, 32.45),
)  # fmt: skip

_NAME_HEADS = (
    "东西南北新长大小金石双三九马白青平安永兴丰和德福胜利宝龙凤孙李王刘张陈吕丁袁汤余曹唐海江通如启"
    "崇富裕仁义合同联红光明华建友桂杨柳桑竹梅兰周吴徐朱沈顾季陆蒋范姜缪"
)
_NAME_TAILS = "港河桥湾庄园甸圩墩场集坝泾洋沙闸堡埠塘灶口坊营林洲滩垛店湖池浦渡堤岸荡窑舍"
_STREET_HEADS = "城东西南北中新虹文和永兴崇幸福晨光紫天秀钟港濠唐"
_STREET_TAILS = "东西南北中桥山港河园峰阳华兴安平湖苑光明"


@dataclass(frozen=True)
class RegionSpec:
    """One administrative region of the synthetic tree.

    ``boundary`` is a GeoJSON geometry dict (Polygon or MultiPolygon, lon/lat WGS84, 6 decimals,
    counter-clockwise exterior rings); ``centroid`` is a (lon, lat) point inside the polygon.
    """

    code: str
    name: str
    level: str  # "city" | "county" | "town" | "village"
    parent_code: str | None
    population: int
    area_km2: float
    boundary: dict[str, Any] = field(hash=False)
    centroid: tuple[float, float]


def area_km2(geom: shapely.Geometry) -> float:
    """Area of a lon/lat geometry in km², with an equirectangular projection at its centroid latitude."""
    lat = geom.centroid.y
    return geom.area * _KM_PER_DEG * _KM_PER_DEG * math.cos(math.radians(lat))


def generate_region_tree(seed: int = 2026) -> list[RegionSpec]:
    """Generate the city, its 7 counties, ~100 towns and ~1,900 villages, parents before children.

    The result depends only on ``seed``.  Levels are emitted in the order city, counties, towns,
    villages; within a level, ordered by code.
    """
    rng = random.Random(seed)
    grid = _Grid(rng)
    county_of_block = _assign_counties(grid, rng)

    specs: list[RegionSpec] = []
    county_specs: list[RegionSpec] = []
    town_specs: list[RegionSpec] = []
    village_specs: list[RegionSpec] = []
    county_geoms = []
    city_population = 0
    used_town_stems: set[str] = set()  # town names are unique in the whole city

    for ci, (code6, cname, seat, n_towns, n_streets, urban) in enumerate(COUNTIES):
        county_code = code6 + "000000"
        units = grid.units_of(county_of_block, ci, urban)
        towns = _partition_towns(units, n_towns, rng)
        seat_km = grid.to_km(np.array([seat]))[0]

        # Towns nearest to the county seat are 街道 (numbered 001…), the rest are 镇 (numbered 100…).
        town_centres = [units.centres[idx].mean(axis=0) for idx in towns]
        order = sorted(range(n_towns), key=lambda t: float(np.hypot(*(town_centres[t] - seat_km))))
        county_population = 0
        town_geoms = []
        for rank, t in enumerate(order):
            is_street = rank < n_streets
            tcode9 = code6 + (f"{rank + 1:03d}" if is_street else f"{100 + rank - n_streets:03d}")
            tname = _unique_name(rng, used_town_stems, "街道" if is_street else "镇", street=is_street)

            members = sorted(towns[t], key=lambda u: float(np.hypot(*(units.centres[u] - town_centres[t]))))
            n = len(members)
            if urban:
                n_comm = max(1, round(n * rng.uniform(0.75, 1.0)))
            elif is_street:
                n_comm = max(1, round(n * rng.uniform(0.4, 0.8)))
            else:
                n_comm = min(n, rng.randint(1, 3))
            village_stems: set[str] = set()
            town_population = 0
            vgeoms = []
            for k, u in enumerate(members):
                community = k < n_comm
                vcode = tcode9 + (f"{k + 1:03d}" if community else f"{200 + k - n_comm:03d}")
                vname = _unique_name(rng, village_stems, "社区" if community else "村", street=False)
                pop = rng.randint(5000, 15000) if (urban and community) else rng.randint(1000, 6000)
                geom = units.polygons[u]
                vgeoms.append(geom)
                town_population += pop
                village_specs.append(_spec(vcode, vname, "village", tcode9 + "000", pop, geom))
            town_geom = shapely.coverage_union_all(vgeoms)
            town_geoms.append(town_geom)
            county_population += town_population
            town_specs.append(_spec(tcode9 + "000", tname, "town", county_code, town_population, town_geom))
        county_geom = shapely.coverage_union_all(town_geoms)
        county_geoms.append(county_geom)
        city_population += county_population
        county_specs.append(_spec(county_code, cname, "county", CITY_CODE, county_population, county_geom))

    city_geom = shapely.coverage_union_all(county_geoms)
    specs.append(_spec(CITY_CODE, CITY_NAME, "city", None, city_population, city_geom))
    for group in (county_specs, town_specs, village_specs):
        specs.extend(sorted(group, key=lambda s: s.code))
    return specs


# --------------------------------------------------------------------------------------------------
# Grid


class _Units:
    """The indivisible pieces (future villages) of one county."""

    def __init__(self, polygons: list[Polygon], centres: np.ndarray, neighbours: list[list[int]]):
        self.polygons = polygons
        self.centres = centres  # (n, 2) km coordinates
        self.neighbours = neighbours


class _Grid:
    """Jittered fine vertex grid plus the set of blocks that make up the city."""

    def __init__(self, rng: random.Random):
        self.rows, self.cols = _BLOCK_ROWS, _BLOCK_COLS
        fr, fc = 2 * self.rows, 2 * self.cols
        self.dlon = (_LON1 - _LON0) / fc
        self.dlat = (_LAT1 - _LAT0) / fr
        lon = np.empty((fr + 1, fc + 1))
        lat = np.empty((fr + 1, fc + 1))
        for i in range(fr + 1):
            for j in range(fc + 1):
                lon[i, j] = _LON0 + (j + rng.uniform(-_JITTER, _JITTER)) * self.dlon
                lat[i, j] = _LAT0 + (i + rng.uniform(-_JITTER, _JITTER)) * self.dlat
        self.lon = np.round(lon, 6)
        self.lat = np.round(lat, 6)
        self.lat_mid = (_LAT0 + _LAT1) / 2

        # Blocks whose (unjittered) centre lies in the outline, keeping the largest 4-connected piece.
        r, c = np.mgrid[0 : self.rows, 0 : self.cols]
        cx = _LON0 + (c + 0.5) * 2 * self.dlon
        cy = _LAT0 + (r + 0.5) * 2 * self.dlat
        inside = shapely.contains_xy(Polygon(_CITY_OUTLINE), cx, cy)
        self.blocks = _largest_component({(int(a), int(b)) for a, b in zip(*np.nonzero(inside), strict=True)})
        self.block_list = sorted(self.blocks)

    def to_km(self, lonlat: np.ndarray) -> np.ndarray:
        """Equirectangular km coordinates relative to the grid origin."""
        out = np.empty_like(lonlat, dtype=float)
        out[:, 0] = (lonlat[:, 0] - _LON0) * _KM_PER_DEG * math.cos(math.radians(self.lat_mid))
        out[:, 1] = (lonlat[:, 1] - _LAT0) * _KM_PER_DEG
        return out

    def _ring(self, vertices: list[tuple[int, int]]) -> np.ndarray:
        idx_i = [v[0] for v in vertices]
        idx_j = [v[1] for v in vertices]
        return np.column_stack((self.lon[idx_i, idx_j], self.lat[idx_i, idx_j]))

    def block_ring(self, r: int, c: int) -> np.ndarray:
        i, j = 2 * r, 2 * c
        return self._ring(
            [
                (i, j),
                (i, j + 1),
                (i, j + 2),
                (i + 1, j + 2),
                (i + 2, j + 2),
                (i + 2, j + 1),
                (i + 2, j),
                (i + 1, j),
            ]
        )

    def cell_ring(self, i: int, j: int) -> np.ndarray:
        return self._ring([(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)])

    def block_centres_km(self) -> np.ndarray:
        pts = np.array([self.block_ring(r, c).mean(axis=0) for r, c in self.block_list])
        return self.to_km(pts)

    def units_of(self, county_of_block: dict[tuple[int, int], int], county: int, urban: bool) -> _Units:
        """Units of one county: its blocks, or its fine cells when the county is urban."""
        keys: list[tuple[int, int]]
        if urban:
            keys = [
                (2 * r + di, 2 * c + dj)
                for (r, c) in self.block_list
                if county_of_block[(r, c)] == county
                for di in (0, 1)
                for dj in (0, 1)
            ]
            rings = [self.cell_ring(i, j) for i, j in keys]
        else:
            keys = [b for b in self.block_list if county_of_block[b] == county]
            rings = [self.block_ring(r, c) for r, c in keys]
        index = {k: n for n, k in enumerate(keys)}
        neighbours = [
            [index[nb] for nb in _adjacent(k) if nb in index]  # same county only
            for k in keys
        ]
        polygons = list(shapely.polygons(rings))
        centres = self.to_km(np.array([ring.mean(axis=0) for ring in rings]))
        return _Units(polygons, centres, neighbours)


def _adjacent(k: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    r, c = k
    return ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1))


def _largest_component(cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    best: set[tuple[int, int]] = set()
    for start in sorted(cells):
        if start in seen:
            continue
        comp = {start}
        queue = deque([start])
        while queue:
            for nb in _adjacent(queue.popleft()):
                if nb in cells and nb not in comp:
                    comp.add(nb)
                    queue.append(nb)
        seen |= comp
        if len(comp) > len(best):
            best = comp
    return best


# --------------------------------------------------------------------------------------------------
# Partitioning


def _assign_counties(grid: _Grid, rng: random.Random) -> dict[tuple[int, int], int]:
    """Assign every block to a county: urban counties get the blocks nearest to their seat, the others
    share the rest through a power diagram around their seats, balanced by their numbers of towns."""
    centres = grid.block_centres_km()
    n = len(centres)
    seats = np.array(
        [
            [lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.01, 0.01)]
            for _, _, (lon, lat), *_ in COUNTIES
        ]
    )
    seats_km = grid.to_km(seats)

    # Targets in blocks: urban counties have 4 units per block.
    wanted = np.array([nt * _MEAN_VILLAGES / (4 if urban else 1) for *_, nt, _s, urban in COUNTIES])
    urban_mask = np.array([c[5] for c in COUNTIES])
    targets = np.zeros(len(COUNTIES), dtype=int)
    targets[urban_mask] = np.round(wanted[urban_mask]).astype(int)
    targets[~urban_mask] = _apportion(wanted[~urban_mask], n - int(targets[urban_mask].sum()))

    # Urban counties take the blocks nearest to their seat (a compact core around the seat); the rest
    # of the city is shared by a power diagram, which alone could push a small county off its own seat.
    labels = np.full(n, -1)
    for ci in np.nonzero(urban_mask)[0]:
        free = np.nonzero(labels < 0)[0]
        dist = np.hypot(*(centres[free] - seats_km[ci]).T)
        labels[free[np.argsort(dist, kind="stable")[: targets[ci]]]] = ci
    free = np.nonzero(labels < 0)[0]
    rural = np.nonzero(~urban_mask)[0]
    labels[free] = rural[_power_partition(centres[free], seats_km[rural], targets[rural], move_seeds=False)]
    neighbours = _block_neighbours(grid.block_list)
    _fix_connectivity(labels, neighbours, len(COUNTIES))
    return {b: int(labels[k]) for k, b in enumerate(grid.block_list)}


def _block_neighbours(blocks: list[tuple[int, int]]) -> list[list[int]]:
    index = {b: k for k, b in enumerate(blocks)}
    return [[index[nb] for nb in _adjacent(b) if nb in index] for b in blocks]


def _partition_towns(units: _Units, n_towns: int, rng: random.Random) -> list[list[int]]:
    """Split a county's units into ``n_towns`` contiguous towns of roughly 12-26 units each."""
    n = len(units.centres)
    draws = np.array([rng.randint(_MIN_VILLAGES, _MAX_VILLAGES) for _ in range(n_towns)], dtype=float)
    targets = _apportion(draws, n)
    seeds = _kmeans_pp(units.centres, n_towns, rng)
    labels = _power_partition(units.centres, seeds, targets, move_seeds=True)
    for t in range(n_towns):  # never leave a town empty
        if not (labels == t).any():
            counts = np.bincount(labels, minlength=n_towns)
            d = np.hypot(*(units.centres - seeds[t]).T)
            d[counts[labels] <= 1] = np.inf
            labels[int(np.argmin(d))] = t
    _fix_connectivity(labels, units.neighbours, n_towns)
    _clamp_sizes(labels, units.neighbours, n_towns, _MIN_VILLAGES, _MAX_VILLAGES)
    return [[int(u) for u in np.nonzero(labels == t)[0]] for t in range(n_towns)]


def _apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    exact = weights / weights.sum() * total
    out = np.floor(exact).astype(int)
    for k in np.argsort(-(exact - out), kind="stable")[: total - int(out.sum())]:
        out[k] += 1
    return out


def _kmeans_pp(points: np.ndarray, k: int, rng: random.Random) -> np.ndarray:
    """k-means++ initial seeds (deterministic for a given ``rng``)."""
    chosen = [points[rng.randrange(len(points))]]
    d2 = ((points - chosen[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        r = rng.random() * d2.sum()
        idx = min(int(np.searchsorted(np.cumsum(d2), r)), len(points) - 1)
        chosen.append(points[idx])
        d2 = np.minimum(d2, ((points - points[idx]) ** 2).sum(axis=1))
    return np.array(chosen, dtype=float)


def _power_partition(
    points: np.ndarray, seeds: np.ndarray, targets: np.ndarray, move_seeds: bool
) -> np.ndarray:
    """Assign points to seeds by a power diagram whose weights approach the target counts.

    With ``move_seeds`` the seeds are also moved to the centroids of their regions (capacity-constrained
    Lloyd), which yields compact regions.
    """
    seeds = seeds.astype(float).copy()
    k = len(seeds)
    weights = np.zeros(k)
    span = np.ptp(points, axis=0)
    unit_area = max(float(span[0] * span[1]) / max(len(points), 1), 1e-9)
    outer = 15 if move_seeds else 1
    labels = np.zeros(len(points), dtype=int)
    for _ in range(outer):
        step = unit_area * 0.5
        for _ in range(60):
            d2 = ((points[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2) - weights[None, :]
            labels = d2.argmin(axis=1)
            diff = targets - np.bincount(labels, minlength=k)
            if not diff.any():
                break
            weights += step * diff
            step *= 0.97
        if move_seeds:
            for t in range(k):
                mask = labels == t
                if mask.any():
                    seeds[t] = points[mask].mean(axis=0)
    d2 = ((points[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2) - weights[None, :]
    return d2.argmin(axis=1)


def _fix_connectivity(labels: np.ndarray, neighbours: list[list[int]], n_labels: int) -> None:
    """Give every detached fragment of a region to the neighbouring region it shares most edges with."""
    for _ in range(50):
        changed = False
        seen = np.zeros(len(labels), dtype=bool)
        comps: dict[int, list[list[int]]] = {t: [] for t in range(n_labels)}
        for start in range(len(labels)):
            if seen[start]:
                continue
            lab = labels[start]
            comp = [start]
            seen[start] = True
            queue = deque([start])
            while queue:
                for nb in neighbours[queue.popleft()]:
                    if not seen[nb] and labels[nb] == lab:
                        seen[nb] = True
                        comp.append(nb)
                        queue.append(nb)
            comps[int(lab)].append(comp)
        for lab, parts in comps.items():
            parts.sort(key=len, reverse=True)
            for comp in parts[1:]:
                votes: dict[int, int] = {}
                for u in comp:
                    for nb in neighbours[u]:
                        other = int(labels[nb])
                        if other != lab:
                            votes[other] = votes.get(other, 0) + 1
                if votes:
                    winner = max(sorted(votes), key=lambda o: votes[o])
                    labels[comp] = winner
                    changed = True
        if not changed:
            return


def _clamp_sizes(labels: np.ndarray, neighbours: list[list[int]], n_labels: int, lo: int, hi: int) -> None:
    """Move border units between neighbouring regions until sizes lie in [lo, hi] (best effort).

    A unit only moves if its region stays connected, so regions remain contiguous.
    """
    counts = np.bincount(labels, minlength=n_labels)
    for _ in range(10 * len(labels)):
        excess = np.maximum(counts - hi, 0) + np.maximum(lo - counts, 0)
        worst = int(np.argmax(excess))
        if excess[worst] == 0:
            return
        best: tuple[int, int, int] | None = None  # (score, unit, new label)
        for u in range(len(labels)):
            a = int(labels[u])
            for nb in neighbours[u]:
                b = int(labels[nb])
                if b == a:
                    continue
                if counts[worst] > hi and a == worst and counts[b] < hi:
                    score = int(counts[b])  # give to the smallest neighbour
                elif counts[worst] < lo and b == worst and counts[a] > lo:
                    score = -int(counts[a])  # take from the largest neighbour
                else:
                    continue
                if (best is None or score < best[0]) and _stays_connected(labels, neighbours, u):
                    best = (score, u, b)
        if best is None:
            return
        _, u, b = best
        counts[labels[u]] -= 1
        counts[b] += 1
        labels[u] = b


def _stays_connected(labels: np.ndarray, neighbours: list[list[int]], unit: int) -> bool:
    """Whether the region of ``unit`` stays connected without it."""
    lab = labels[unit]
    same = [nb for nb in neighbours[unit] if labels[nb] == lab]
    if len(same) <= 1:
        return True
    seen = {unit, same[0]}
    queue = deque([same[0]])
    while queue:
        for nb in neighbours[queue.popleft()]:
            if nb not in seen and labels[nb] == lab:
                seen.add(nb)
                queue.append(nb)
    return all(nb in seen for nb in same)


# --------------------------------------------------------------------------------------------------
# Names and output


def _unique_name(rng: random.Random, used_stems: set[str], suffix: str, street: bool) -> str:
    """A two-character stem not in ``used_stems`` (which it joins) plus ``suffix``."""
    heads = _STREET_HEADS if street else _NAME_HEADS
    tails = _STREET_TAILS if street else _NAME_TAILS
    while True:
        a, b = rng.choice(heads), rng.choice(tails)
        if a == b:
            continue
        if a + b not in used_stems:
            used_stems.add(a + b)
            return a + b + suffix


def _spec(code: str, name: str, level: str, parent: str | None, population: int, geom) -> RegionSpec:
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    c = geom.centroid
    cx, cy = round(c.x, 6), round(c.y, 6)
    if not shapely.contains_xy(geom, cx, cy):
        p = geom.representative_point()
        cx, cy = round(p.x, 6), round(p.y, 6)
    return RegionSpec(
        code=code,
        name=name,
        level=level,
        parent_code=parent,
        population=population,
        area_km2=round(area_km2(geom), 6),
        boundary=_geojson(geom),
        centroid=(cx, cy),
    )


def _ring_coords(ring) -> list[list[float]]:
    return [[round(x, 6), round(y, 6)] for x, y in ring.coords]


def _polygon_coords(poly: Polygon) -> list[list[list[float]]]:
    return [_ring_coords(poly.exterior), *(_ring_coords(r) for r in poly.interiors)]


def _geojson(geom) -> dict[str, Any]:
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon_coords(geom)}
    if geom.geom_type == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [_polygon_coords(p) for p in geom.geoms]}
    raise ValueError(f"unexpected geometry type {geom.geom_type}")
