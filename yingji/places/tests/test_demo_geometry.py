"""Tests for the synthetic Nantong-like region tree (pure Python, no Django)."""

from collections import Counter, defaultdict

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from yingji.places.demo_geometry import CITY_CODE, COUNTIES, RegionSpec, generate_region_tree


@pytest.fixture(scope="module")
def tree() -> list[RegionSpec]:
    return generate_region_tree(2026)


@pytest.fixture(scope="module")
def by_code(tree):
    return {s.code: s for s in tree}


@pytest.fixture(scope="module")
def geoms(tree):
    return {s.code: shape(s.boundary) for s in tree}


def _level(tree, level):
    return [s for s in tree if s.level == level]


def test_deterministic_for_seed(tree):
    assert generate_region_tree(2026) == tree
    other = generate_region_tree(7)
    assert other != tree
    assert [s.boundary for s in other] != [s.boundary for s in tree]


def test_counts(tree):
    levels = Counter(s.level for s in tree)
    assert levels["city"] == 1
    assert levels["county"] == 7
    assert 95 <= levels["town"] <= 105
    assert 1800 <= levels["village"] <= 2000
    towns_per_county = Counter(s.parent_code for s in _level(tree, "town"))
    assert {code6 + "000000": n for code6, _, _, n, _, _ in COUNTIES} == dict(towns_per_county)
    villages_per_town = Counter(s.parent_code for s in _level(tree, "village"))
    assert set(villages_per_town) == {s.code for s in _level(tree, "town")}  # no empty town
    assert min(villages_per_town.values()) >= 10
    assert max(villages_per_town.values()) <= 30


def test_order_parents_first(tree):
    rank = {"city": 0, "county": 1, "town": 2, "village": 3}
    assert [rank[s.level] for s in tree] == sorted(rank[s.level] for s in tree)
    seen = set()
    for s in tree:
        assert s.parent_code is None or s.parent_code in seen
        seen.add(s.code)


def test_codes(tree, by_code):
    codes = [s.code for s in tree]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 12 and c.isdigit() for c in codes)
    assert tree[0].code == CITY_CODE and tree[0].parent_code is None and tree[0].name == "南通市"
    assert {s.code[:6] for s in _level(tree, "county")} == {c[0] for c in COUNTIES}
    for s in tree[1:]:
        parent = by_code[s.parent_code]
        if s.level == "county":
            assert parent.level == "city" and s.code.endswith("000000")
        elif s.level == "town":
            assert parent.level == "county" and s.code[:6] == parent.code[:6] and s.code.endswith("000")
            assert s.code[6:9] != "000"
            assert (int(s.code[6:9]) < 100) == s.name.endswith("街道")
        else:
            assert parent.level == "town" and s.code[:9] == parent.code[:9] and s.code[9:] != "000"
            assert (int(s.code[9:]) < 200) == s.name.endswith("社区")


def test_names(tree):
    names = defaultdict(list)
    for s in tree[1:]:
        names[s.parent_code].append(s.name)
    for siblings in names.values():
        assert len(set(siblings)) == len(siblings)
    for s in _level(tree, "town"):
        assert s.name.endswith(("街道", "镇"))
    for s in _level(tree, "village"):
        assert s.name.endswith(("社区", "村"))
    chongchuan = [s for s in tree if s.code.startswith("320602") and s.level == "village"]
    assert all(s.name.endswith("街道") for s in tree if s.code.startswith("320602") and s.level == "town")
    assert sum(s.name.endswith("社区") for s in chongchuan) > 0.7 * len(chongchuan)
    rural_towns = [s for s in _level(tree, "town") if not s.code.startswith("320602")]
    assert sum(s.name.endswith("镇") for s in rural_towns) > 0.7 * len(rural_towns)


def test_population(tree, by_code):
    totals = defaultdict(int)
    for s in tree[1:]:
        totals[s.parent_code] += s.population
    for s in _level(tree, "village"):
        if s.code.startswith("320602") and s.name.endswith("社区"):
            assert 5000 <= s.population <= 15000
        else:
            assert 1000 <= s.population <= 6000
    for code, total in totals.items():
        assert by_code[code].population == total


def test_geometry_fields(tree, geoms):
    for s in tree:
        g = geoms[s.code]
        assert s.boundary["type"] in ("Polygon", "MultiPolygon")
        assert g.is_valid and not g.is_empty
        assert shapely.contains_xy(g, *s.centroid)
        assert s.area_km2 > 0
        assert all(round(v, 6) == v for v in shapely.get_coordinates(g).ravel()[:50])
    city_area = tree[0].area_km2
    assert 7000 < city_area < 12000
    assert sum(s.area_km2 for s in _level(tree, "village")) == pytest.approx(city_area, rel=5e-3)


def test_villages_do_not_overlap(tree, geoms):
    villages = [geoms[s.code] for s in _level(tree, "village")]
    str_tree = shapely.STRtree(villages)
    left, right = str_tree.query(villages, predicate="intersects")
    pairs = left < right
    assert pairs.sum() > len(villages)  # neighbours exist and share borders
    arr = np.array(villages, dtype=object)
    overlap = shapely.area(shapely.intersection(arr[left[pairs]], arr[right[pairs]]))
    assert overlap.sum() < 1e-12


def test_villages_tile_the_city(tree, geoms):
    villages = [geoms[s.code] for s in _level(tree, "village")]
    city = geoms[CITY_CODE]
    union = shapely.union_all(villages)
    assert sum(v.area for v in villages) == pytest.approx(city.area, rel=1e-9)
    assert union.area == pytest.approx(city.area, rel=1e-9)
    assert union.symmetric_difference(city).area < 1e-12


def test_children_within_parents(tree, geoms):
    children = [s for s in tree if s.parent_code]
    parent_geoms = [geoms[s.parent_code] for s in children]
    child_geoms = [geoms[s.code] for s in children]
    assert shapely.covers(parent_geoms, child_geoms).all()
