"""Coverage of the rescue resources per place ("一张网" and shelters), for the places below a chosen one.

For every child place of the chosen place (the counties of the city, the towns of a county, …):

* **materials network** (C9 "一张网", seed 002 "实现镇级物资储备库全覆盖，落实村（社区）储备室"): per
  level at or below the child's level, how many places of that level inside it have a warehouse of
  that level (a warehouse is placed at the place of its level, ``yingji.materials``). Shown as
  "not available" when the materials app is not installed;
* **shelters**: count, effective area, capacity, and the per-capita shelter area = effective area ÷
  常住人口 against the target of 2.5 m² (seed 001, 主要指标 13 "应急避难场所城镇人均面积 ≥2.5㎡"; we
  apply it to the whole resident population, the only figure the region tree holds);
* **teams**: count and headcount, and whether a 基层 team exists.

Everything is counted through the access filter: a user sees the coverage of what it may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from yingji.places.choices import LEVEL_DEPTH, PlaceLevel
from yingji.places.models import Place
from yingji.resources import rules
from yingji.resources.choices import TeamKind
from yingji.resources.models import Shelter, Team

LEVELS = tuple(
    level.value for level in (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWN, PlaceLevel.VILLAGE)
)


def _warehouse_model():
    from yingji.resources.nearest import warehouse_model

    return warehouse_model()


@dataclass
class LevelCoverage:
    level: str
    label: str
    places: int = 0
    covered: int = 0

    @property
    def ratio(self) -> float | None:
        return None if not self.places else self.covered / self.places

    @property
    def complete(self) -> bool:
        return self.places > 0 and self.covered == self.places


@dataclass
class PlaceCoverage:
    place: Place
    population: int | None
    shelters: int = 0
    shelter_area: Decimal = Decimal("0")
    shelter_capacity: int = 0
    teams: int = 0
    team_headcount: int = 0
    grassroots_teams: int = 0
    warehouses: list[LevelCoverage] = field(default_factory=list)

    @property
    def per_capita_area(self) -> Decimal | None:
        if not self.population:
            return None
        return (self.shelter_area / self.population).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool | None:
        value = self.per_capita_area
        return None if value is None else value >= rules.per_capita_target()

    def as_dict(self) -> dict:
        return {
            "id": self.place.pk,
            "code": self.place.code,
            "name": self.place.name,
            "level": self.place.level,
            "population": self.population,
            "shelters": self.shelters,
            "shelter_area_m2": float(self.shelter_area),
            "shelter_capacity": self.shelter_capacity,
            "per_capita_area_m2": None if self.per_capita_area is None else float(self.per_capita_area),
            "meets_target": self.meets_target,
            "teams": self.teams,
            "team_headcount": self.team_headcount,
            "grassroots_teams": self.grassroots_teams,
            "warehouses": [
                {"level": w.level, "label": w.label, "places": w.places, "covered": w.covered}
                for w in self.warehouses
            ],
        }


@dataclass
class Coverage:
    place: Place
    rows: list[PlaceCoverage]
    total: PlaceCoverage
    target: Decimal
    materials_available: bool

    def as_dict(self) -> dict:
        return {
            "place": {"id": self.place.pk, "code": self.place.code, "name": self.place.name},
            "target_per_capita_m2": float(self.target),
            "materials_available": self.materials_available,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
        }


def _depth_code(path: str, depth: int) -> str | None:
    codes = path.strip("/").split("/")
    return codes[depth] if depth < len(codes) else None


def coverage(user, place: Place) -> Coverage:
    """The coverage of ``place``'s children (or of ``place`` itself when it is a village)."""
    depth = LEVEL_DEPTH[place.level]
    subtree = list(
        Place.objects.visible_to(user)
        .filter(path__startswith=place.path)
        .order_by("code")
        .values_list("pk", "code", "name", "level", "path", "population")
    )
    children = [r for r in subtree if LEVEL_DEPTH[r[3]] == depth + 1] or [
        r for r in subtree if r[0] == place.pk
    ]
    child_depth = LEVEL_DEPTH[children[0][3]] if children else depth
    by_child: dict[str, PlaceCoverage] = {}
    objects = {p.pk: p for p in Place.objects.filter(pk__in=[c[0] for c in children]).defer("boundary")}
    # population: the place's own figure, else the sum of its villages
    village_pop: dict[str, int] = defaultdict(int)
    places_per_level: dict[tuple[str, str], int] = defaultdict(int)
    for _pk, _code, _name, level, path, pop in subtree:
        key = _depth_code(path, child_depth)
        if key is None:
            continue
        if level == PlaceLevel.VILLAGE and pop:
            village_pop[key] += pop
        if LEVEL_DEPTH[level] >= child_depth:
            places_per_level[(key, level)] += 1
    for pk, code, _name, _level, _path, pop in children:
        by_child[code] = PlaceCoverage(
            place=objects[pk], population=pop if pop else (village_pop.get(code) or None)
        )

    def child_of(path: str) -> PlaceCoverage | None:
        key = _depth_code(path or "", child_depth)
        return by_child.get(key) if key else None

    shelters = (
        Shelter.objects.visible_to(user)
        .filter(place__path__startswith=place.path)
        .values("place__path")
        .annotate(n=Count("pk"), area=Sum("effective_area_m2"), cap=Sum("capacity"))
        .order_by()
    )
    for row in shelters:
        target = child_of(row["place__path"])
        if target is not None:
            target.shelters += row["n"]
            target.shelter_area += row["area"] or Decimal("0")
            target.shelter_capacity += row["cap"] or 0
    teams = (
        Team.objects.visible_to(user)
        .filter(place__path__startswith=place.path)
        .values("place__path", "kind")
        .annotate(n=Count("pk"), heads=Sum("headcount"))
        .order_by()
    )
    for row in teams:
        target = child_of(row["place__path"])
        if target is not None:
            target.teams += row["n"]
            target.team_headcount += row["heads"] or 0
            if row["kind"] == TeamKind.GRASSROOTS:
                target.grassroots_teams += row["n"]
    Warehouse = _warehouse_model()
    levels = [lv for lv in LEVELS if LEVEL_DEPTH[lv] >= child_depth]
    labels = dict(PlaceLevel.choices)
    if Warehouse is not None:
        labels.update(dict(Warehouse._meta.get_field("level").choices))
        covered: dict[tuple[str, str], set] = defaultdict(set)
        for level, path in (
            Warehouse.objects.visible_to(user)
            .filter(place__path__startswith=place.path, is_active=True)
            .values_list("level", "place__path")
        ):
            key = _depth_code(path, child_depth)
            if key is not None and level in levels:
                covered[(key, level)].add(_depth_code(path, LEVEL_DEPTH[level]))
        for code, row in by_child.items():
            row.warehouses = [
                LevelCoverage(
                    level=lv,
                    label=str(labels.get(lv, lv)),
                    places=places_per_level.get((code, lv), 0),
                    covered=len(covered.get((code, lv), ())),
                )
                for lv in levels
            ]
    rows = [by_child[c[1]] for c in children]
    total = PlaceCoverage(place=place, population=sum(r.population or 0 for r in rows) or None)
    for r in rows:
        total.shelters += r.shelters
        total.shelter_area += r.shelter_area
        total.shelter_capacity += r.shelter_capacity
        total.teams += r.teams
        total.team_headcount += r.team_headcount
        total.grassroots_teams += r.grassroots_teams
    if Warehouse is not None:
        total.warehouses = [
            LevelCoverage(
                level=lv,
                label=str(labels.get(lv, lv)),
                places=sum(w.places for r in rows for w in r.warehouses if w.level == lv),
                covered=sum(w.covered for r in rows for w in r.warehouses if w.level == lv),
            )
            for lv in levels
        ]
    return Coverage(
        place=place,
        rows=rows,
        total=total,
        target=rules.per_capita_target(),
        materials_available=Warehouse is not None,
    )
