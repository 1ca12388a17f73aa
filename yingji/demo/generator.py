"""The demo city: a Nantong-like region with departments, committees, enterprises, people and logins.

``load_demo(seed=…)`` builds everything in memory from ``random.Random`` instances seeded from
``seed`` (never the global random state, never dict/set iteration order of unordered data) and writes
it with ``bulk_create`` in one transaction; the change log of the bulk-created rows is written with
:func:`yingji.audit.services.record_bulk` inside ``change_context("command")``. The same seed and sizes
give the same names, codes, numbers and coordinates on SQLite and PostgreSQL; only database ids differ.

Each part of the data draws from its own random stream (``_stream(seed, "enterprises")`` …), so that
changing the number of enterprises does not change the departments, and generating in batches does not
change the result. See docs/demo.md.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import router, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.audit.context import change_context
from yingji.audit.services import record_bulk
from yingji.demo import catalogue as cat
from yingji.framework.roles import Role
from yingji.orgs.catalogues import DIVISIONS, RISK_FLAGS
from yingji.orgs.models import Committee, CommitteeMembership, Department, Enterprise, Intermediary
from yingji.places.models import Place
from yingji.utilities.identifiers import USCC_CHARSET, make_uscc, resident_id_check_char

__all__ = [
    "DEMO_USERS",
    "DemoError",
    "DemoUser",
    "load_demo",
    "remove_demo_data",
    "remove_demo_users",
]

BATCH = 2000  # rows per INSERT batch (Django lowers it further where SQLite needs it)
AUDIT_CHUNK = 5000  # change-log entries built and written per record_bulk call

DEMO_COUNTY = "320614000000"  # 海门区: the county of the county-, town- and village-level demo logins
_FLAG_ORDER = {code: i for i, (code, _label) in enumerate(RISK_FLAGS)}


class DemoError(Exception):
    """The demo data cannot be loaded or removed; ``message`` is Chinese, ``code`` stable English."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class DemoUser:
    """One demo login: ``username`` (as listed in the README), role and a readable label."""

    username: str
    role: str
    label: str


#: The demo logins, one per role; the scopes are described in docs/demo.md.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.PLATFORM_ADMIN, "平台管理员"),
    DemoUser("city_officer", Role.BUREAU_OFFICER, "市应急管理局干部"),
    DemoUser("county_officer", Role.BUREAU_OFFICER, "海门区应急管理局干部"),
    DemoUser("town_officer", Role.BUREAU_OFFICER, "镇（街道）应急管理干部"),
    DemoUser("dept_officer", Role.DEPARTMENT_OFFICER, "海门区住房和城乡建设局干部"),
    DemoUser("enforcer", Role.ENFORCEMENT_OFFICER, "海门区应急管理综合行政执法人员"),
    DemoUser("duty_officer", Role.DUTY_OFFICER, "市应急管理局值班员"),
    DemoUser("enterprise_user", Role.ENTERPRISE_USER, "企业安全管理人员"),
    DemoUser("grid_worker", Role.GRID_WORKER, "村（社区）网格员"),
    DemoUser("info_officer", Role.DISASTER_INFO_OFFICER, "镇（街道）灾害信息员"),
    DemoUser("expert", Role.EXPERT, "安全生产专家"),
    DemoUser("leader", Role.LEADER, "市领导（只读）"),
)


# --------------------------------------------------------------------------------------------------
# Public API


def load_demo(
    seed: int = 2026,
    enterprises: int = 5000,
    persons_per_enterprise: int = 2,
    users: bool = True,
    replace: bool = False,
) -> dict:
    """Build the demo city for ``seed`` and load it into an empty region tree; return counts of rows.

    With ``replace``, first delete what :func:`remove_demo_data` deletes (counts under ``"removed"``).
    Raises :class:`DemoError` when places already exist (without ``replace``) or the sizes are out of
    range. Everything, removal included, is one transaction, audited with source ``command``.
    """
    if enterprises < 0 or enterprises > 1_000_000:
        raise DemoError("企业数量应在 0 到 1,000,000 之间。", "enterprises_out_of_range")
    if persons_per_enterprise < 0 or persons_per_enterprise > len(_ENTERPRISE_POSITIONS):
        raise DemoError(
            f"每家企业的人员数应在 0 到 {len(_ENTERPRISE_POSITIONS)} 之间。", "persons_out_of_range"
        )
    with change_context("command"), transaction.atomic():
        removed = remove_demo_data() if replace else None
        if Place.objects.exists():
            raise DemoError(
                "数据库中已有行政区划数据，不能再加载演示数据：如需替换，请使用 `yingji demo load --replace`。",
                "not_empty",
            )
        builder = _Builder(seed)
        builder.places()
        builder.departments()
        builder.committees()
        builder.enterprises(enterprises, persons_per_enterprise)
        builder.intermediaries()
        builder.officials()
        if users:
            builder.users()
        for module in _extensions():
            module.load_demo(seed=seed, counts=builder.counts)
        from yingji.places.services import boundaries_changed

        transaction.on_commit(boundaries_changed)
        transaction.on_commit(refresh_statistics)
        boundaries_changed()  # also now, for callers inside an outer transaction (tests)
        counts = dict(builder.counts)
        if removed is not None:
            counts["removed"] = removed
        return counts


#: Domain modules that add to the demo city, in load order. Each has
#: ``load_demo(*, seed: int, counts: Counter) -> None`` (called after the places, organisations and users
#: exist, inside the loading transaction) and ``remove_demo(counts: dict) -> None`` (deletes its rows,
#: called in reverse order before the core data is removed).
DEMO_EXTENSIONS = (
    "yingji.risks.demo",
    "yingji.hazards.demo",
    "yingji.checklists.demo",
    "yingji.reports.demo",
    "yingji.materials.demo",
    "yingji.resources.demo",
    "yingji.warnings.demo",
    "yingji.duty.demo",
    "yingji.incidents.demo",
    "yingji.reporting.demo",
    "yingji.dispatch.demo",
)


def _extensions() -> list:
    import importlib

    modules = []
    for name in DEMO_EXTENSIONS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


@transaction.atomic
def remove_demo_users() -> int:
    """Delete every demo account (``is_demo``) and its role assignments; return how many accounts."""
    with change_context("command"):
        demo = User.objects.filter(is_demo=True)
        n = demo.count()
        RoleAssignment.objects.filter(user__is_demo=True).delete()
        demo.delete()
        return n


def refresh_statistics() -> None:
    """Let the query planner see the bulk-loaded tables: PostgreSQL would otherwise plan a
    100,000-row table as nearly empty until autovacuum reaches it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def remove_demo_data() -> dict:
    """Delete the region tree and everything the demo put on it (organisations, persons, demo users,
    role assignments scoped to it), audited as deletes. Fails with :class:`DemoError`, changing
    nothing, when records of other modules still refer to the region."""
    counts: dict[str, int] = {}
    try:
        with change_context("command"), transaction.atomic():
            for module in reversed(_extensions()):
                module.remove_demo(counts)
            counts["users"] = remove_demo_users()
            scoped = Q(place__isnull=False) | Q(enterprise__isnull=False) | Q(department__isnull=False)
            steps = [
                ("role_assignments", RoleAssignment.objects.filter(scoped).select_related("user", "place")),
                ("persons", Person.objects.select_related("place")),
                ("memberships", CommitteeMembership.objects.select_related("committee__place", "department")),
                ("committees", Committee.objects.filter(parent__isnull=False).select_related("place")),
                ("committees_top", Committee.objects.select_related("place")),
                ("enterprises", Enterprise.objects.select_related("place")),
                ("intermediaries", Intermediary.objects.select_related("place")),
                ("departments", Department.objects.select_related("place")),
                *(
                    (level, Place.objects.filter(level=level).defer("boundary"))
                    for level in ("village", "town", "county", "city")
                ),
            ]
            for key, qs in steps:
                counts[key] = _delete_all(qs)
    except (ProtectedError, RestrictedError) as exc:
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = sorted({str(o._meta.verbose_name) for o in blocking})
        raise DemoError(
            "其他模块的数据仍引用演示区划或单位（" + "、".join(kinds) + "），无法替换演示数据："
            "请先删除这些数据，或清空数据库（make clean-data）后重新加载。",
            "demo_data_referenced",
        ) from exc
    from yingji.places.services import boundaries_changed

    transaction.on_commit(boundaries_changed)
    counts["places"] = sum(counts.pop(level) for level in ("village", "town", "county", "city"))
    counts["committees"] += counts.pop("committees_top")
    return counts


def _delete_all(qs) -> int:
    """Delete the rows of ``qs`` with Django's collector (cascades, SET_NULL, PROTECT, audit signals),
    in chunks of instances loaded with ``qs``'s select_related, so that the change log of each delete
    does not fetch the row's place one query at a time."""
    model = qs.model
    n = 0
    while True:
        objs = list(qs.order_by("pk")[:BATCH])
        if not objs:
            return n
        collector = Collector(using=router.db_for_write(model), origin=objs)
        collector.collect(objs)
        _total, per_model = collector.delete()
        n += per_model.get(model._meta.label, 0)


# --------------------------------------------------------------------------------------------------
# Helpers


def _stream(seed: int, part: str) -> random.Random:
    """An independent, reproducible random stream for one part of the data (string seeds hash with
    SHA-512, independent of PYTHONHASHSEED)."""
    return random.Random(f"yingji-demo:{seed}:{part}")


def _chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


_ENTERPRISE_POSITIONS = ("主要负责人", "安全管理人员", "专职安全员", "设备主管", "班组长")


class _People:
    """Chinese names, unique mobile numbers and GB 11643 resident ID numbers from one stream."""

    def __init__(self, rng: random.Random, mobiles: set[str]):
        self.rng = rng
        self.mobiles = mobiles  # shared by every stream, so that mobile numbers are unique in the demo
        self._surname_cum = list(itertools.accumulate(cat.SURNAME_WEIGHTS))

    def name(self) -> tuple[str, bool]:
        """(name, is_male)."""
        rng = self.rng
        surname = rng.choices(cat.SURNAMES, cum_weights=self._surname_cum)[0]
        male = rng.random() < 0.6
        pool = cat.GIVEN_MALE if male else cat.GIVEN_FEMALE
        given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
        return surname + given, male

    def mobile(self) -> str:
        rng = self.rng
        while True:
            number = rng.choice(cat.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def resident_id(self, area6: str, male: bool) -> str:
        """A valid 18-digit ID: ``area6`` + birth date 1960–2000 + sequence (odd for men) + check."""
        rng = self.rng
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(14976))  # … 2000-12-31
        seq = rng.randrange(50) * 2 + (1 if male else 0) + 100 * rng.randrange(10)
        first17 = f"{area6}{born:%Y%m%d}{seq:03d}"
        return first17 + resident_id_check_char(first17)

    def person(self, *, place, position: str, area6: str, id_share: float = 0.5, **fields) -> Person:
        name, male = self.name()
        return self.person_named(
            name, male, place=place, position=position, area6=area6, id_share=id_share, **fields
        )

    def person_named(
        self, name, male, *, place, position, area6, id_share=0.5, mobile=None, **fields
    ) -> Person:
        id_number = self.resident_id(area6, male) if self.rng.random() < id_share else ""
        return Person(
            name=name,
            mobile=mobile or self.mobile(),
            id_number=id_number,
            place=place,
            position=position,
            **fields,
        )


@dataclass
class _Village:
    place: Place
    spec: object  # RegionSpec
    town: Place
    county: Place
    urban: bool
    geom: object = None  # prepared shapely polygon, built on first use


class _Builder:
    def __init__(self, seed: int):
        self.seed = seed
        self.counts: Counter = Counter()
        self.places_by_code: dict[str, Place] = {}
        self.departments_by_key: dict[tuple[str, str], Department] = {}
        self.town_governments: dict[str, Department] = {}
        self.phones: set[str] = set()
        self.uscc_bodies: set[str] = set()
        self.names: set[str] = set()
        self.mobiles: set[str] = set()
        self.enterprise_rows: list[tuple] = []  # (index, pk, village code, operating, n flags, employees)
        self.safety_managers: dict[int, int] = {}  # enterprise pk -> pk of its 安全管理人员 person

    # ---------------------------------------------------------------------------------------------
    def _write(self, model, objs: list, audit: bool = True) -> list:
        """bulk_create in batches, then log every created row to the change log."""
        if not objs:
            return objs
        model.objects.bulk_create(objs, batch_size=BATCH)
        if audit:
            for chunk in _chunks(objs, AUDIT_CHUNK):
                self.counts["audit_entries"] += record_bulk(chunk)
        return objs

    # ---------------------------------------------------------------------------------------------
    def places(self):
        from yingji.places.demo_geometry import generate_region_tree

        specs = generate_region_tree(self.seed)
        by_level: dict[str, list] = {"city": [], "county": [], "town": [], "village": []}
        for spec in specs:
            by_level[spec.level].append(spec)
        for level in ("city", "county", "town", "village"):
            rows = []
            for spec in by_level[level]:
                parent = self.places_by_code[spec.parent_code] if spec.parent_code else None
                place = Place(
                    code=spec.code,
                    name=spec.name,
                    level=level,
                    parent=parent,
                    path=(parent.path if parent else "") + spec.code + "/",
                    population=spec.population,
                    area_km2=spec.area_km2,
                    boundary=spec.boundary,
                    centroid_lon=spec.centroid[0],
                    centroid_lat=spec.centroid[1],
                )
                rows.append(place)
                self.places_by_code[spec.code] = place
            self._write(Place, rows)
            self.counts["places"] += len(rows)
            self.counts[f"places_{level}"] = len(rows)
        self.city = self.places_by_code[by_level["city"][0].code]
        self.counties = [self.places_by_code[s.code] for s in by_level["county"]]
        self.towns = [self.places_by_code[s.code] for s in by_level["town"]]
        self.villages: list[_Village] = []
        for s in by_level["village"]:
            place = self.places_by_code[s.code]
            town = place.parent
            county = town.parent
            urban = county.code == "320602000000" or int(s.code[9:]) < 200  # 崇川区 or a 社区
            self.villages.append(_Village(place, s, town, county, urban))

    def _phone(self, rng: random.Random) -> str:
        while True:
            number = f"0513-8{rng.randrange(10_000_000):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def _near_centroid(self, place: Place, k: int, n: int, rng: random.Random) -> tuple[float, float]:
        """A point near the centroid (a small ring of offices around it), inside the place."""
        import math

        import shapely
        from shapely.geometry import shape

        lon, lat = place.centroid_lon, place.centroid_lat
        if k == 0:
            return lon, lat
        angle = 2 * math.pi * k / n
        radius = 0.002 + 0.002 * rng.random()
        x, y = round(lon + radius * math.cos(angle), 6), round(lat + radius * math.sin(angle), 6)
        geom = getattr(place, "_demo_geom", None)
        if geom is None:
            geom = place._demo_geom = shape(place.boundary)
            shapely.prepare(geom)
        return (x, y) if shapely.contains_xy(geom, x, y) else (lon, lat)

    @staticmethod
    def _level_prefix(place: Place) -> str:
        return "市" if place.level == "city" else place.name[-1]

    def departments(self):
        rng = _stream(self.seed, "departments")
        rows = []
        for place in [self.city, *self.counties]:
            n = len(cat.DEPARTMENT_TYPES)
            for k, dt in enumerate(cat.DEPARTMENT_TYPES):
                full = dt.city_name if (place.level == "city" and dt.city_name) else dt.name
                short = full if dt.key == "fire" else dt.short
                lon, lat = self._near_centroid(place, k, n, rng)
                dept = Department(
                    name=place.name + full,
                    short_name=self._level_prefix(place) + short,
                    kind=dt.kind,
                    place=place,
                    duties="\n".join(dt.duties),
                    phone=self._phone(rng),
                    address=f"{place.name}政务服务中心{1 + k // 4}号楼",
                    longitude=lon,
                    latitude=lat,
                )
                rows.append(dept)
                self.departments_by_key[(place.code, dt.key)] = dept
        for town in self.towns:
            street = town.name.endswith("街道")
            dept = Department(
                name=town.name + ("办事处" if street else "人民政府"),
                short_name=town.name,
                kind="government",
                place=town,
                duties="\n".join(cat.TOWN_GOVERNMENT_DUTIES),
                phone=self._phone(rng),
                address=f"{town.parent.name}{town.name}{rng.choice(cat.ROADS)}{rng.randint(1, 200)}号",
                longitude=town.centroid_lon,
                latitude=town.centroid_lat,
            )
            rows.append(dept)
            self.town_governments[town.code] = dept
        self._write(Department, rows)
        self.counts["departments"] = len(rows)

    def committees(self):
        committees, safety_committees, memberships = [], [], []
        plan = []  # (committee, chair key, member keys)
        for place in [self.city, *self.counties]:
            name, remit = cat.SAFETY_COMMITTEE
            safety = Committee(name=place.name + name, kind="safety", place=place, remit=remit)
            committees.append(safety)
            safety_committees.append(safety)
            others = tuple(k for k in cat.DEPARTMENT_KEYS if k != "emergency")
            plan.append((safety, "emergency", others))
            name, remit = cat.FIRE_COMMITTEE
            fire = Committee(name=place.name + name, kind="fire", place=place, remit=remit)
            committees.append(fire)
            plan.append((fire, cat.FIRE_COMMITTEE_LEAD, cat.FIRE_COMMITTEE_MEMBERS))
        self._write(Committee, committees)
        specials = []
        for safety in safety_committees:
            for name, lead, members, remit in cat.SPECIAL_COMMITTEES:
                c = Committee(
                    name=safety.place.name + name,
                    kind="special",
                    place=safety.place,
                    parent=safety,
                    remit=remit,
                )
                specials.append(c)
                plan.append((c, lead, members))
        self._write(Committee, specials)
        for committee, lead, members in plan:
            code = committee.place.code
            memberships.append(
                CommitteeMembership(
                    committee=committee, department=self.departments_by_key[(code, lead)], role="chair"
                )
            )
            for key in members:
                memberships.append(
                    CommitteeMembership(
                        committee=committee, department=self.departments_by_key[(code, key)], role="member"
                    )
                )
        self._write(CommitteeMembership, memberships)
        self.counts["committees"] = len(committees) + len(specials)
        self.counts["memberships"] = len(memberships)

    # ---------------------------------------------------------------------------------------------
    def _uscc(self, rng: random.Random, area6: str) -> str:
        while True:
            if rng.random() < 0.6:  # codes issued since 2015 start "MA"
                body = "MA" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
            else:
                body = f"{rng.randrange(10_000_000, 100_000_000):08d}"
            if body not in self.uscc_bodies:
                self.uscc_bodies.add(body)
                return make_uscc("9", "1", area6, body)

    @staticmethod
    def _name_prefixes(village: _Village) -> tuple[str, str]:
        county = village.county.name
        county_prefix = "南通" if county == "崇川区" else county[:-1]
        town = village.town.name
        town_stem = town[:-2] if town.endswith("街道") else town[:-1]
        return county_prefix, town_stem

    def _enterprise_name(self, rng: random.Random, division: str, scale: str, village: _Village) -> str:
        county_prefix, town_stem = self._name_prefixes(village)
        for attempt in itertools.count():
            r = rng.random()
            prefix = "南通" if r < 0.4 else county_prefix if r < 0.75 else town_stem if r < 0.95 else "江苏"
            n_chars = 3 if (rng.random() < 0.1 or attempt > 20) else 2
            trade = "".join(rng.sample(cat.TRADE_NAME_CHARS, n_chars))
            shop = cat.SMALL_SHOP_SUFFIX.get(division)
            if shop and scale == "micro" and rng.random() < 0.6:
                name = f"{village.county.name}{village.town.name}{trade}{rng.choice(shop)}"
            else:
                kind = "股份有限公司" if scale == "large" and rng.random() < 0.4 else "有限公司"
                name = f"{prefix}{trade}{rng.choice(cat.INDUSTRY_WORDS[division])}{kind}"
            if name not in self.names:
                self.names.add(name)
                return name
        raise AssertionError("unreachable")

    def _address(self, rng: random.Random, village: _Village) -> str:
        head = f"南通市{village.county.name}{village.town.name}"
        if not village.urban and rng.random() < 0.5:
            return f"{head}{village.place.name}{rng.randint(1, 18)}组{rng.randint(1, 99)}号"
        return f"{head}{rng.choice(cat.ROADS)}{rng.randint(1, 999)}号"

    @staticmethod
    def _location(rng: random.Random, village: _Village) -> tuple[float, float]:
        """A point drawn uniformly inside the village polygon (rejection sampling, 6 decimals)."""
        import shapely
        from shapely.geometry import shape

        if village.geom is None:
            village.geom = shape(village.spec.boundary)
            shapely.prepare(village.geom)
        x0, y0, x1, y1 = village.geom.bounds
        for _ in range(1000):
            x, y = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
            if shapely.contains_xy(village.geom, x, y):
                return x, y
        return village.spec.centroid

    def _draw_villages(self, n: int) -> list[int]:
        """Index into ``self.villages`` of each enterprise: weighted by population (halved in urban
        communities, where people live denser than firms) and by an industrial factor per town and per
        village; at least one enterprise lies in 海门区 (the demo
        county) so that every demo login has an enterprise in scope."""
        rng = _stream(self.seed, "enterprise-places")
        town_factor = {t.code: rng.lognormvariate(0, 0.6) for t in self.towns}
        weights = [
            v.spec.population
            * (0.5 if v.urban else 1.0)
            * town_factor[v.town.code]
            * rng.lognormvariate(0, 0.5)
            for v in self.villages
        ]
        cum = list(itertools.accumulate(weights))
        picks = [bisect.bisect_right(cum, rng.random() * cum[-1]) for _ in range(n)]
        picks = [min(p, len(cum) - 1) for p in picks]
        if picks and not any(self.villages[p].county.code == DEMO_COUNTY for p in picks):
            picks[0] = next(i for i, v in enumerate(self.villages) if v.county.code == DEMO_COUNTY)
        return picks

    def enterprises(self, n: int, persons_per_enterprise: int):
        rng = _stream(self.seed, "enterprises")
        loc_rng = _stream(self.seed, "enterprise-locations")
        people = _People(_stream(self.seed, "enterprise-people"), self.mobiles)
        picks = self._draw_villages(n)

        divisions = sorted(cat.INDUSTRY_WEIGHTS)
        for d in divisions:
            assert d in DIVISIONS and d in cat.INDUSTRY_WORDS, d
        rural_cum = list(itertools.accumulate(cat.INDUSTRY_WEIGHTS[d] for d in divisions))
        urban_cum = list(
            itertools.accumulate(
                cat.INDUSTRY_WEIGHTS[d] * cat.URBAN_SECTION_FACTOR.get(DIVISIONS[d][0], 1.0)
                for d in divisions
            )
        )
        scales = ("large", "medium", "small", "micro")
        scale_cum = {k: list(itertools.accumulate(v)) for k, v in cat.SCALE_SHARES.items()}

        for start in range(0, n, 5000):
            batch, persons = [], []
            for i in range(start, min(n, start + 5000)):
                village = self.villages[picks[i]]
                division = rng.choices(divisions, cum_weights=urban_cum if village.urban else rural_cum)[0]
                section = DIVISIONS[division][0]
                scale = rng.choices(scales, cum_weights=scale_cum.get(section, scale_cum["default"]))[0]
                lo, hi = cat.EMPLOYEES_BY_SCALE[scale]
                employees = rng.randint(lo, hi)
                flags = [f for f, p in cat.risk_flag_rules(division) if rng.random() < p]
                if "hazardous_chemicals" not in flags:
                    flags = [f for f in flags if f not in ("major_hazard_source", "hazardous_process")]
                flags.sort(key=_FLAG_ORDER.__getitem__)
                r = rng.random()
                status = "operating" if r < 0.95 else "suspended" if r < 0.98 else "closed"
                name = self._enterprise_name(rng, division, scale, village)
                area6 = village.county.code[:6]
                uscc = self._uscc(rng, area6)
                address = self._address(rng, village)
                lon, lat = self._location(loc_rng, village)
                staff = []
                for position in _ENTERPRISE_POSITIONS[: max(2, persons_per_enterprise)]:
                    pname, male = people.name()
                    staff.append((position, pname, male, people.mobile()))
                enterprise = Enterprise(
                    name=name,
                    uscc=uscc,
                    industry=division,
                    scale=scale,
                    address=address,
                    place=village.place,
                    regulator=self.departments_by_key[
                        (village.county.code, cat.regulator_key(division, flags))
                    ],
                    risk_flags=flags,
                    employees=employees,
                    longitude=lon,
                    latitude=lat,
                    principal_name=staff[0][1],
                    principal_mobile=staff[0][3],
                    safety_manager_name=staff[1][1],
                    safety_manager_mobile=staff[1][3],
                    operating_status=status,
                )
                batch.append(enterprise)
                for position, pname, male, mobile in staff[:persons_per_enterprise]:
                    persons.append(
                        people.person_named(
                            pname,
                            male,
                            place=village.place,
                            position=position,
                            area6=area6,
                            mobile=mobile,
                            enterprise=enterprise,
                        )
                    )
            self._write(Enterprise, batch)
            self._write(Person, persons)
            for i, e in enumerate(batch, start=start):
                self.enterprise_rows.append(
                    (i, e.pk, e.place.code, e.operating_status == "operating", len(e.risk_flags), e.employees)
                )
            for p in persons:
                if p.position == "安全管理人员":
                    self.safety_managers[p.enterprise.pk] = p.pk
            self.counts["enterprises"] += len(batch)
            self.counts["persons"] += len(persons)

    def intermediaries(self, n: int = 60):
        rng = _stream(self.seed, "intermediaries")
        people = _People(_stream(self.seed, "intermediary-people"), self.mobiles)
        kinds = [k for k, _w, _s in cat.INTERMEDIARY_KINDS]
        kind_cum = list(itertools.accumulate(w for _k, w, _s in cat.INTERMEDIARY_KINDS))
        suffixes = {k: s for k, _w, s in cat.INTERMEDIARY_KINDS}
        by_county: dict[str, list[_Village]] = {}
        for v in self.villages:
            by_county.setdefault(v.county.code, []).append(v)
        rows, serial = [], Counter()
        for i in range(n):
            county = self.counties[i % len(self.counties)]
            village = rng.choice(by_county[county.code])
            kind = rng.choices(kinds, cum_weights=kind_cum)[0]
            county_prefix, _stem = self._name_prefixes(village)
            while True:
                prefix = rng.choice(("南通", county_prefix, "江苏"))
                trade = "".join(rng.sample(cat.TRADE_NAME_CHARS, 2))
                name = prefix + trade + rng.choice(suffixes[kind])
                if name not in self.names:
                    self.names.add(name)
                    break
            serial[kind] += 1
            qualification = {
                "evaluation": f"APJ-（苏）-{100 + serial[kind]:03d}",
                "testing": f"CMA {rng.randrange(10**11, 10**12)}",
                "training": f"苏应急培〔{rng.randint(2019, 2024)}〕{serial[kind]:03d}号",
                "consulting": "",
            }[kind]
            contact, _male = people.name()
            lon, lat = self._location(rng, village)
            rows.append(
                Intermediary(
                    name=name,
                    uscc=self._uscc(rng, county.code[:6]),
                    kind=kind,
                    qualification_no=qualification,
                    place=village.place,
                    address=self._address(rng, village),
                    contact_name=contact,
                    contact_mobile=people.mobile(),
                    longitude=lon,
                    latitude=lat,
                )
            )
        self._write(Intermediary, rows)
        self.counts["intermediaries"] = len(rows)

    # ---------------------------------------------------------------------------------------------
    def officials(self):
        """Officials of every department and town government, and one grid worker per village."""
        people = _People(_stream(self.seed, "officials"), self.mobiles)
        rows = []
        for (code, key), dept in self.departments_by_key.items():
            area6 = "320602" if dept.place.level == "city" else code[:6]
            if key == "fire":
                positions = tuple(
                    p.replace("大队", "支队") if dept.place.level == "city" else p for p in cat.FIRE_POSITIONS
                )
            else:
                positions = cat.DEPARTMENT_POSITIONS
            for position in positions[: people.rng.randint(2, 3)]:
                rows.append(
                    people.person(
                        place=dept.place, position=position, area6=area6, department=dept, landline=dept.phone
                    )
                )
        for code, dept in self.town_governments.items():
            positions = cat.STREET_POSITIONS if dept.place.name.endswith("街道") else cat.TOWN_POSITIONS
            for position in positions[: people.rng.randint(2, 3)]:
                rows.append(
                    people.person(
                        place=dept.place,
                        position=position,
                        area6=code[:6],
                        department=dept,
                        landline=dept.phone,
                    )
                )
        self.grid_workers: dict[str, Person] = {}
        for v in self.villages:
            p = people.person(place=v.place, position="网格员", area6=v.county.code[:6])
            rows.append(p)
            self.grid_workers[v.place.code] = p
        self._write(Person, rows)
        self.counts["persons"] += len(rows)

    # ---------------------------------------------------------------------------------------------
    def users(self):
        """One demo login per role (docs/demo.md); a username held by a non-demo account is skipped."""
        people = _People(_stream(self.seed, "users"), self.mobiles)
        haimen = self.places_by_code[DEMO_COUNTY]
        town, enterprise_row = self._demo_town()
        village = (
            self.places_by_code[enterprise_row[2]]
            if enterprise_row
            else next(v.place for v in self.villages if v.town is town)
        )

        def official(dept, position):
            area6 = "320602" if dept.place.level == "city" else dept.place.code[:6]
            return people.person(
                place=dept.place,
                position=position,
                area6=area6,
                id_share=1.0,
                department=dept,
                landline=dept.phone,
            )

        city_em = self.departments_by_key[(self.city.code, "emergency")]
        haimen_em = self.departments_by_key[(DEMO_COUNTY, "emergency")]
        housing = self.departments_by_key[(DEMO_COUNTY, "housing")]
        town_gov = self.town_governments[town.code]
        new_persons = {
            "admin": official(city_em, "信息化管理员"),
            "city_officer": official(city_em, "安全生产基础科科员"),
            "county_officer": official(haimen_em, "安全生产综合协调科科员"),
            "town_officer": official(town_gov, "应急管理办公室科员"),
            "dept_officer": official(housing, "建筑施工安全监管科科员"),
            "enforcer": official(haimen_em, "综合行政执法大队执法员"),
            "duty_officer": official(city_em, "指挥中心值班员"),
            "info_officer": people.person(
                place=town, position="灾害信息员", area6=town.code[:6], id_share=1.0
            ),
            "expert": people.person(
                place=self.city, position="安全生产专家（危险化学品）", area6="320602", id_share=1.0
            ),
            "leader": official(city_em, "局长"),
        }
        enterprise = None
        if enterprise_row:
            enterprise = Enterprise.objects.select_related("place").get(pk=enterprise_row[1])
            if enterprise.pk not in self.safety_managers:
                new_persons["enterprise_user"] = people.person_named(
                    enterprise.safety_manager_name,
                    True,
                    place=enterprise.place,
                    position="安全管理人员",
                    area6=enterprise.place.code[:6],
                    mobile=enterprise.safety_manager_mobile,
                    enterprise=enterprise,
                )
        self._write(Person, list(new_persons.values()))
        self.counts["persons"] += len(new_persons)

        persons = dict(new_persons)
        if enterprise is not None and "enterprise_user" not in persons:
            persons["enterprise_user"] = Person.objects.select_related("place").get(
                pk=self.safety_managers[enterprise.pk]
            )
        persons["grid_worker"] = self.grid_workers[village.code]

        scopes = {
            "admin": {},
            "city_officer": {"place": self.city},
            "county_officer": {"place": haimen},
            "town_officer": {"place": town},
            "dept_officer": {"place": haimen, "department": housing},
            "enforcer": {"place": haimen},
            "duty_officer": {"place": self.city},
            "enterprise_user": {"place": enterprise.place if enterprise else None, "enterprise": enterprise},
            "grid_worker": {"place": village},
            "info_officer": {"place": town},
            "expert": {"place": self.city},
            "leader": {"place": self.city},
        }
        labels = {
            "town_officer": f"{town.name}应急管理干部",
            "enterprise_user": f"企业安全管理人员（{enterprise.name}）" if enterprise else "",
            "grid_worker": f"网格员（{village.name}）",
            "info_officer": f"灾害信息员（{town.name}）",
        }
        taken = set(
            User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
                "username", flat=True
            )
        )
        skipped = sorted(taken)
        password = make_password(settings.DEMO_PASSWORD)  # hashed once: the demo password is public
        accounts, assignments = [], []
        for spec in DEMO_USERS:
            if spec.username in taken or spec.username not in persons:
                continue
            user = User(
                username=spec.username,
                first_name=labels.get(spec.username, spec.label),
                password=password,
                is_demo=True,
                person=persons[spec.username],
                is_staff=spec.role == Role.PLATFORM_ADMIN,
            )
            accounts.append(user)
            assignments.append(RoleAssignment(user=user, role=spec.role, **scopes[spec.username]))
        self._write(User, accounts)
        self._write(RoleAssignment, assignments)
        self.counts["users"] = len(accounts)
        self.counts["role_assignments"] = len(assignments)
        if skipped:
            self.counts["users_skipped"] = len(skipped)
            self.skipped_users = skipped

    def _demo_town(self):
        """The 海门区 town with the most enterprises (ties: lowest code) and its showcase enterprise:
        operating, with the most risk flags, then the most employees."""
        haimen_towns = [t for t in self.towns if t.parent.code == DEMO_COUNTY]
        per_town = Counter(row[2][:9] + "000" for row in self.enterprise_rows)
        town = max(haimen_towns, key=lambda t: (per_town[t.code], -int(t.code)))
        rows = [r for r in self.enterprise_rows if r[2].startswith(town.code[:9])]
        if not rows:
            return town, None
        best = max(rows, key=lambda r: (r[3], r[4], r[5], -r[0]))
        return town, best
