"""Tests for PlaceIndex (pure Python, no Django)."""

import math
import random

import pytest
import shapely
from shapely.geometry import Polygon, mapping, shape

from yingji.places.demo_geometry import generate_region_tree
from yingji.places.lookup import PlaceIndex


@pytest.fixture(scope="module")
def tree():
    return generate_region_tree(2026)


@pytest.fixture(scope="module")
def villages(tree):
    return [(s.code, s.boundary) for s in tree if s.level == "village"]


@pytest.fixture(scope="module")
def index(villages):
    return PlaceIndex(villages)


@pytest.fixture(scope="module")
def city(tree):
    return shape(tree[0].boundary)


def _square(x0, y0, size):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def test_village_centroids_locate_to_themselves(tree, index):
    villages = [s for s in tree if s.level == "village"]
    assert len(index) == len(villages)
    for s in villages:
        assert index.locate(*s.centroid) == s.code


def test_points_outside_return_none(index, city):
    x0, y0, x1, y1 = city.bounds
    assert index.locate(x0 - 1, y0) is None
    assert index.locate(x1 + 0.5, (y0 + y1) / 2) is None
    assert index.locate((x0 + x1) / 2, y1 + 1e-3) is None
    assert index.locate(math.nan, 32.0) is None
    # Inside the bounding box but outside the city (the outline is far from rectangular).
    rng = random.Random(3)
    outside = []
    while len(outside) < 200:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if not shapely.intersects_xy(city, x, y):
            outside.append((x, y))
    assert index.locate_many(outside) == [None] * len(outside)


def test_polygon_with_hole():
    outer = _square(0, 0, 10)
    hole = [[3, 3], [3, 7], [7, 7], [7, 3], [3, 3]]
    ring = {"type": "Polygon", "coordinates": [outer, hole]}
    index = PlaceIndex([("ring", ring)])
    assert index.locate(1, 1) == "ring"
    assert index.locate(5, 5) is None
    assert index.locate(8.5, 5) == "ring"
    assert index.locate(11, 5) is None
    # With an island filling the hole, points in the hole belong to the island.
    island = {"type": "Polygon", "coordinates": [_square(3, 3, 4)]}
    index = PlaceIndex([("ring", ring), ("island", island)])
    assert index.locate(5, 5) == "island"
    assert index.locate(1, 9) == "ring"


def test_multipolygon():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            [_square(0, 0, 1)],
            [_square(5, 5, 2), [[5.5, 5.5], [5.5, 6.5], [6.5, 6.5], [6.5, 5.5], [5.5, 5.5]]],
        ],
    }
    other = {"type": "Polygon", "coordinates": [_square(2, 0, 1)]}
    index = PlaceIndex([(1, multi), (2, other)])
    assert index.locate(0.5, 0.5) == 1
    assert index.locate(5.2, 6.8) == 1
    assert index.locate(6.0, 6.0) is None  # hole of the second part
    assert index.locate(2.5, 0.5) == 2
    assert index.locate(3.5, 3.5) is None
    assert index.locate_many([(0.5, 0.5), (2.5, 0.5), (9, 9)]) == [1, 2, None]


def test_agrees_with_shapely_brute_force(villages, index, city):
    x0, y0, x1, y1 = city.bounds
    rng = random.Random(42)
    xs = [rng.uniform(x0, x1) for _ in range(2000)]
    ys = [rng.uniform(y0, y1) for _ in range(2000)]
    expected = [None] * len(xs)
    for key, geometry in villages:  # brute force: every polygon against every point
        for i, inside in enumerate(shapely.contains_xy(shape(geometry), xs, ys)):
            if inside:
                assert expected[i] is None, "villages overlap"
                expected[i] = key
    assert sum(e is not None for e in expected) > 500
    assert index.locate_many(zip(xs, ys, strict=True)) == expected


def test_accepts_geo_interface_and_skips_empty():
    index = PlaceIndex([("a", Polygon(_square(0, 0, 1))), ("empty", {"type": "Polygon", "coordinates": []})])
    assert len(index) == 1
    assert index.locate(0.5, 0.5) == "a"
    assert PlaceIndex([]).locate(0.5, 0.5) is None
    with pytest.raises(ValueError):
        PlaceIndex([("p", {"type": "Point", "coordinates": [0, 0]})])


def test_irregular_polygon_matches_shapely():
    rng = random.Random(5)
    star = [
        (math.cos(a) * r, math.sin(a) * r)
        for a, r in ((2 * math.pi * k / 40, rng.uniform(0.3, 1.0)) for k in range(40))
    ]
    geom = Polygon(star)
    index = PlaceIndex([("star", mapping(geom))])
    pts = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(3000)]
    got = index.locate_many(pts)
    want = ["star" if shapely.contains_xy(geom, x, y) else None for x, y in pts]
    assert got == want


@pytest.mark.django_db
def test_lookup_is_rebuilt_after_a_cache_flush():
    """A flushed cache must not let an index of the old boundaries pass for current (the version
    counter restarts at a value never used before, and the local indexes are dropped)."""
    from django.core.cache import cache

    from yingji.conftest import rect
    from yingji.places.models import Place
    from yingji.places.services import boundaries_changed, locate_point

    cache.clear()
    old = Place.objects.create(code="320600000000", name="旧市", level="village", boundary=rect(0, 0, 1, 1))
    boundaries_changed()
    assert locate_point(0.5, 0.5) == old
    old.delete()
    cache.clear()
    new = Place.objects.create(code="320600000001", name="新村", level="village", boundary=rect(0, 0, 1, 1))
    boundaries_changed()
    assert locate_point(0.5, 0.5) == new


def test_chain_paths_run_from_the_root_to_the_place(region):
    village = region["village000"]
    paths = village.chain_paths()
    assert paths == [region["city"].path, region["county0"].path, region["town00"].path, village.path]
    assert village.chain_paths(include_self=False) == paths[:-1]
    assert region["city"].chain_paths(include_self=False) == []
