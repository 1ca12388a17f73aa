"""The nearest search equals a brute-force scan (every admitted row through the database and the
access filter, sorted by distance then id), for random data, users and filters."""

import math
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yingji.framework.roles import Role
from yingji.resources import nearest
from yingji.resources.choices import CAPABILITIES, TeamKind
from yingji.resources.models import Equipment, Expert, Shelter, Team

# the region fixture spans lon 120.0–121.2, lat 32.0–32.1; points fall a little around it too
LON = st.floats(119.9, 121.3, allow_nan=False, allow_infinity=False)
LAT = st.floats(31.9, 32.2, allow_nan=False, allow_infinity=False)
PLACES = [
    "city",
    "county0",
    "county1",
    "town00",
    "town01",
    "town10",
    "village000",
    "village001",
    "village110",
]
CAPS = [c for c, _label in CAPABILITIES[:4]]

row = st.fixed_dictionaries(
    {
        "place": st.sampled_from(PLACES),
        "lon": LON,
        "lat": LAT,
        "kind": st.sampled_from([k.value for k in TeamKind]),
        "caps": st.lists(st.sampled_from(CAPS), max_size=2, unique=True),
        "capacity": st.integers(1, 50),
        "occupancy": st.integers(0, 50),
    }
)


class _Rollback(Exception):
    pass


def _load(region, rows, departments):
    """Teams, experts, equipment and shelters at the given rows; a third of the rows duplicate an
    earlier point exactly (ties)."""
    teams, experts, equipment, shelters = [], [], [], []
    points = []
    for i, r in enumerate(rows):
        lon, lat = points[i // 3] if i % 3 == 2 and points else (r["lon"], r["lat"])
        points.append((lon, lat))
        place = region[r["place"]]
        dept = departments[i % len(departments)] if i % 2 else None
        teams.append(
            Team(
                name=f"T{i}",
                kind=r["kind"],
                specialty="gas" if r["kind"] == "professional" else "",
                place=place,
                longitude=lon,
                latitude=lat,
                capabilities=r["caps"],
                owner_department=dept,
            )
        )
        experts.append(
            Expert(
                name=f"E{i}", place=place, longitude=lon, latitude=lat, specialties=["fire"] if i % 2 else []
            )
        )
        equipment.append(
            Equipment(
                name=f"Q{i}",
                kind="drone" if i % 2 else "boat",
                place=place,
                longitude=lon,
                latitude=lat,
                owner_department=dept,
            )
        )
        cap = r["capacity"]
        shelters.append(
            Shelter(
                name=f"S{i}",
                shelter_type="emergency",
                grade="village",
                place=place,
                longitude=lon,
                latitude=lat,
                effective_area_m2=Decimal(cap * 2),
                capacity=cap,
                occupancy=min(r["occupancy"], cap),
                status="open" if r["occupancy"] else "closed",
            )
        )
    # a row without a location is never a result
    teams.append(Team(name="无坐标", kind="social", place=region["village000"]))
    for model, objs in ((Team, teams), (Expert, experts), (Equipment, equipment), (Shelter, shelters)):
        model.objects.bulk_create(objs)
    nearest.resources_changed()


def _compare(user, query):
    got = nearest.search(user, query)
    want = nearest.brute_force(user, query)
    assert set(got) == set(want)
    for kind, rows in want.items():
        assert [r["id"] for r in got[kind]] == [pk for pk, _d in rows], kind
        for r, (_pk, d) in zip(got[kind], rows, strict=True):
            assert math.isclose(r["distance_m"], d, abs_tol=0.06)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(row, min_size=0, max_size=40),
    origin=st.tuples(LON, LAT),
    limit=st.integers(1, 8),
    who=st.sampled_from(["admin", "town00", "county1", "village000", "dept", "duty_city"]),
    team_kind=st.sampled_from(["", "professional", "grassroots"]),
    capability=st.sampled_from(["", *CAPS]),
    capacity=st.sampled_from([None, 1, 10, 30]),
    specialty=st.sampled_from(["", "fire"]),
    equipment_kind=st.sampled_from(["", "drone"]),
    sampling=st.sampled_from([None, (2, 4), (3, 8)]),
)
def test_search_equals_brute_force(
    region,
    make_user,
    make_department,
    rows,
    origin,
    limit,
    who,
    team_kind,
    capability,
    capacity,
    specialty,
    equipment_kind,
    sampling,
):
    # large kinds are searched through a strided sample first: exercise it on small data too
    saved = nearest._STRIDE, nearest._SAMPLE_FROM
    nearest._STRIDE, nearest._SAMPLE_FROM = sampling or saved
    try:
        with transaction.atomic():
            departments = [make_department(region["county0"]), make_department(region["county1"])]
            if who == "admin":
                user = make_user(Role.PLATFORM_ADMIN)
            elif who == "dept":
                user = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=departments[0])
            elif who == "duty_city":
                user = make_user(Role.DUTY_OFFICER, place=region["city"])
            else:
                user = make_user(Role.BUREAU_OFFICER, place=region[who])
            _load(region, rows, departments)
            nearest.indexes.clear()
            query = nearest.Query(
                longitude=origin[0],
                latitude=origin[1],
                kinds=("team", "expert", "equipment", "shelter"),
                limit=limit,
                team_kind=team_kind,
                capability=capability,
                capacity=capacity,
                specialty=specialty,
                equipment_kind=equipment_kind,
            )
            _compare(user, query)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        nearest._STRIDE, nearest._SAMPLE_FROM = saved


def test_ties_are_ordered_by_id(region, make_user, team_factory):
    admin = make_user(Role.PLATFORM_ADMIN)
    a = team_factory(longitude=120.5, latitude=32.05)
    b = team_factory(longitude=120.5, latitude=32.05)
    far = team_factory(longitude=120.6, latitude=32.05)
    got = nearest.search(admin, nearest.Query(120.5, 32.05, kinds=("team",), limit=3))["team"]
    assert [r["id"] for r in got] == [a.pk, b.pk, far.pk]
    assert got[0]["distance_m"] == 0
    # 0.1° of longitude at 32.05°N ≈ 9.43 km
    assert got[2]["distance_m"] == pytest.approx(9430, rel=0.002)


def test_index_follows_writes(region, make_user, team_factory):
    admin = make_user(Role.PLATFORM_ADMIN)
    first = team_factory(longitude=120.5, latitude=32.05)
    q = nearest.Query(120.5, 32.05, kinds=("team",), limit=1)
    assert nearest.search(admin, q)["team"][0]["id"] == first.pk
    closer = team_factory(longitude=120.5001, latitude=32.05)
    first.longitude = 121.0
    first.save()
    assert nearest.search(admin, q)["team"][0]["id"] == closer.pk
    closer.delete()
    assert nearest.search(admin, q)["team"][0]["id"] == first.pk


def test_kinds_the_user_may_not_view_are_left_out(region, make_user, team_factory, shelter_factory):
    grid = make_user(Role.GRID_WORKER, place=region["village000"])
    team_factory()
    shelter_factory()
    from yingji.framework.access import can

    got = nearest.search(grid, nearest.Query(120.05, 32.02))
    warehouses = nearest.model_of("material")
    materials = {"material"} if warehouses is not None and can(grid, "view", warehouses) else set()
    assert set(got) == {"team", "shelter"} | materials  # no experts, no equipment


def test_haversine_known_distance():
    # one degree of latitude ≈ 111.195 km on the mean sphere
    assert nearest.haversine_m(120.0, 32.0, 120.0, 33.0) == pytest.approx(111_195, rel=1e-4)
    assert nearest.haversine_m(120.0, 32.0, 120.0, 32.0) == 0


def test_material_search_with_item_and_quantity(region, make_user, team_factory):
    from yingji.framework.access import SYSTEM
    from yingji.materials import services
    from yingji.materials.models import Item, Warehouse

    tent = Item.objects.create(category="shelter", name="帐篷", unit="顶", place=region["city"])
    quilt = Item.objects.create(category="shelter", name="棉被", unit="床", place=region["city"])

    def store(name, level, place, lon, stock):
        w = Warehouse.objects.create(
            name=name, level=level, place=region[place], longitude=lon, latitude=32.05
        )
        for item, qty in stock:
            services.receive_stock(
                warehouse=w,
                lines=[services.LineIn(item=item, quantity=Decimal(qty))],
                actor=SYSTEM,
                accepted_by="验收员",
            )
        return w

    near_small = store("近库", "town", "town00", 120.051, [(tent, 20)])
    far_big = store("县库", "county", "county0", 120.2, [(tent, 500), (quilt, 5)])
    store("外县库", "county", "county1", 120.052, [(tent, 900)])  # nearest of all, but out of scope
    store("空库", "village", "village000", 120.0505, [(quilt, 50)])
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    q = nearest.Query(
        120.05, 32.05, kinds=("material",), limit=5, item=tent.pk, place_code=region["village000"].code
    )
    got = nearest.search(officer, q)["material"]
    assert [r["id"] for r in got] == [near_small.pk, far_big.pk]  # the county's read up; no empty store
    assert [r["available"] for r in got] == ["20.000", "500.000"] or [
        Decimal(r["available"]) for r in got
    ] == [20, 500]
    assert f"warehouse={near_small.pk}" in got[0]["issue_url"] and f"item={tent.pk}" in got[0]["issue_url"]
    assert f"place={region['village000'].code}" in got[0]["issue_url"]
    q.quantity = Decimal("21")
    assert [r["id"] for r in nearest.search(officer, q)["material"]] == [far_big.pk]
    assert [pk for pk, _d in nearest.brute_force(officer, q)["material"]] == [far_big.pk]
    q.quantity, q.item = None, None  # no item: every visible warehouse, no quantities
    rows = nearest.search(officer, q)["material"]
    assert len(rows) == 3 and "available" not in rows[0]
