"""Nearest-resource search: from a point, the nearest N teams, experts, equipment, shelters and
material stocks that the user may see and that pass the filters, with great-circle distances.

How it is fast and exact
------------------------
Each process keeps, per kind, an in-memory column store of every located row: the point as a unit
vector on the sphere (x, y, z), the place chain as 12-digit codes per tree depth (for the scope
test), the owning department, and the filter attributes. A search

1. builds a boolean mask from the filters and the user's scope (vectorised, no query);
2. computes the squared chord length ``|p - q|²`` to every admitted row (numpy, one pass). The chord
   grows monotonically with the great-circle angle, so ordering by chord is ordering by distance;
3. keeps the rows whose chord is within a relative 1e-9 of the N-th smallest (so that floating-point
   near-ties cannot drop a row that a brute-force scan would keep), computes their haversine distance
   with :func:`haversine_m` (the same function the brute-force reference uses) and sorts by
   ``(distance, id)``.

The answer is therefore *equal* to :func:`brute_force` (sort every admitted row by haversine, then
id). The index is rebuilt when the kind's version counter (shared cache, bumped by the models' save
and delete signals and by :func:`resources_changed`) changes, or when a cheap fingerprint (row
count, last update) read at most every ``FINGERPRINT_INTERVAL_S`` seconds differs.

Material stocks are not indexed: the warehouses' points are, and the available quantity of the
requested item comes from ``yingji.materials.services.available_by_warehouse`` on each search.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from yingji.framework.access import assignments_of, can
from yingji.framework.roles import ROLES, role_allows
from yingji.resources import rules
from yingji.resources.choices import CAPABILITIES, EXPERT_FIELDS, EquipmentKind, Readiness, TeamKind

#: Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8
#: Kinds of the search, in the order of the answer.
KINDS = ("team", "expert", "equipment", "shelter", "material")
#: Seconds between two fingerprint checks of a kind's table (catches writes that sent no signal).
FINGERPRINT_INTERVAL_S = 10.0
#: Depth of the region tree (市 0, 县 1, 镇 2, 村 3).
TREE_DEPTH = 4
_REL_SLACK = 1e-9
_ABS_SLACK = 1e-14
_STRIDE = 16
_SAMPLE_FROM = 4096

_CAP_BITS = {code: 1 << i for i, (code, _label) in enumerate(CAPABILITIES)}
_FIELD_BITS = {code: 1 << i for i, (code, _label) in enumerate(EXPERT_FIELDS)}


class NearestError(ValueError):
    """Bad search input: ``code`` is stable English, ``message`` Chinese, ``field`` the parameter."""

    def __init__(self, message: str, code: str, field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine on a sphere of radius :data:`EARTH_RADIUS_M`)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def unit_vectors(lon, lat) -> np.ndarray:
    lon_r, lat_r = np.radians(np.asarray(lon, dtype=float)), np.radians(np.asarray(lat, dtype=float))
    c = np.cos(lat_r)
    return np.stack([c * np.cos(lon_r), c * np.sin(lon_r), np.sin(lat_r)], axis=-1)


def _bits(codes, table) -> int:
    out = 0
    for code in codes or ():
        out |= table.get(code, 0)
    return out


# --- The per-kind column store -------------------------------------------------------------------


@dataclass
class KindIndex:
    kind: str
    ids: np.ndarray
    xyz: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    anc: np.ndarray  # (n, TREE_DEPTH) place codes per depth, 0 where the chain is shorter
    place_code: np.ndarray
    dept: np.ndarray  # owning department id, 0 when none
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    vocab: dict[str, dict[str, int]] = field(default_factory=dict)  # string attribute → its codes
    rows: list[dict] = field(default_factory=list)  # what a result shows, by position
    version: int = 0
    fingerprint: tuple = ()
    checked: float = 0.0

    def __len__(self) -> int:
        return len(self.ids)


def _codes_of_path(path: str) -> list[int]:
    return [int(c) for c in path.strip("/").split("/") if c]


def _build(kind: str, records: list[dict]) -> KindIndex:
    """records: dicts with id, lon, lat, path, dept, row (result payload) and the kind's attributes."""
    n = len(records)
    anc = np.zeros((n, TREE_DEPTH), dtype=np.int64)
    place_code = np.zeros(n, dtype=np.int64)
    for i, r in enumerate(records):
        codes = _codes_of_path(r["path"])
        for d, code in enumerate(codes[:TREE_DEPTH]):
            anc[i, d] = code
        place_code[i] = codes[-1] if codes else 0
    lon = np.array([r["lon"] for r in records], dtype=float)
    lat = np.array([r["lat"] for r in records], dtype=float)
    attr_names = [k for k in (records[0] if records else {}) if k.startswith("a_")]
    attrs, vocab = {}, {}
    for name in attr_names:
        values = [r[name] for r in records]
        if not isinstance(values[0], int):  # strings become small codes: comparing ints is fast
            words = vocab[name[2:]] = {}
            values = [words.setdefault(v, len(words)) for v in values]
        attrs[name[2:]] = np.array(values, dtype=np.int64)
    return KindIndex(
        kind=kind,
        ids=np.array([r["id"] for r in records], dtype=np.int64),
        xyz=np.ascontiguousarray(unit_vectors(lon, lat).reshape(n, 3)),
        lon=lon,
        lat=lat,
        anc=anc,
        place_code=place_code,
        dept=np.array([r["dept"] or 0 for r in records], dtype=np.int64),
        attrs=attrs,
        vocab=vocab,
        rows=[r["row"] for r in records],
    )


def _team_records():
    from yingji.resources.models import Team

    qs = Team.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    out = []
    for (
        pk,
        lon,
        lat,
        path,
        place_name,
        dept,
        name,
        kind,
        specialty,
        caps,
        readiness,
        headcount,
    ) in qs.values_list(
        "pk",
        "longitude",
        "latitude",
        "place__path",
        "place__name",
        "owner_department_id",
        "name",
        "kind",
        "specialty",
        "capabilities",
        "readiness",
        "headcount",
    ):
        caps = caps if isinstance(caps, list) else [c for c in (caps or "").split(",") if c]
        out.append(
            {
                "id": pk,
                "lon": lon,
                "lat": lat,
                "path": path,
                "dept": dept,
                "a_kind": kind,
                "a_specialty": specialty,
                "a_caps": _bits(caps, _CAP_BITS),
                "a_readiness": readiness,
                "row": {
                    "name": name,
                    "place_name": place_name,
                    "team_kind": kind,
                    "specialty": specialty,
                    "capabilities": caps,
                    "readiness": readiness,
                    "headcount": headcount,
                },
            }
        )
    return out


def _expert_records():
    from yingji.resources.models import Expert

    qs = Expert.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    out = []
    for pk, lon, lat, path, place_name, name, fields, title, org, availability in qs.values_list(
        "pk",
        "longitude",
        "latitude",
        "place__path",
        "place__name",
        "name",
        "specialties",
        "title",
        "organisation",
        "availability",
    ):
        fields = fields if isinstance(fields, list) else [c for c in (fields or "").split(",") if c]
        out.append(
            {
                "id": pk,
                "lon": lon,
                "lat": lat,
                "path": path,
                "dept": None,
                "a_fields": _bits(fields, _FIELD_BITS),
                "a_availability": availability,
                "row": {
                    "name": name,
                    "place_name": place_name,
                    "specialties": fields,
                    "title": title,
                    "organisation": org,
                    "availability": availability,
                },
            }
        )
    return out


def _equipment_records():
    from yingji.resources.models import Equipment

    qs = Equipment.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    out = []
    for (
        pk,
        lon,
        lat,
        path,
        place_name,
        dept,
        name,
        kind,
        qty,
        unit,
        status,
        owner_kind,
        owner,
    ) in qs.values_list(
        "pk",
        "longitude",
        "latitude",
        "place__path",
        "place__name",
        "owner_department_id",
        "name",
        "kind",
        "quantity",
        "unit",
        "status",
        "owner_kind",
        "owner_name",
    ):
        out.append(
            {
                "id": pk,
                "lon": lon,
                "lat": lat,
                "path": path,
                "dept": dept,
                "a_kind": kind,
                "a_status": status,
                "a_quantity": int(qty),
                "row": {
                    "name": name,
                    "place_name": place_name,
                    "equipment_kind": kind,
                    "quantity": qty,
                    "unit": unit,
                    "status": status,
                    "owner_kind": owner_kind,
                    "owner_name": owner,
                },
            }
        )
    return out


def _shelter_records():
    from yingji.resources.models import Shelter

    qs = Shelter.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    out = []
    for pk, lon, lat, path, place_name, name, stype, capacity, occupancy, status, area in qs.values_list(
        "pk",
        "longitude",
        "latitude",
        "place__path",
        "place__name",
        "name",
        "shelter_type",
        "capacity",
        "occupancy",
        "status",
        "effective_area_m2",
    ):
        out.append(
            {
                "id": pk,
                "lon": lon,
                "lat": lat,
                "path": path,
                "dept": None,
                "a_type": stype,
                "a_free": int(capacity - occupancy),
                "a_status": status,
                "row": {
                    "name": name,
                    "place_name": place_name,
                    "shelter_type": stype,
                    "capacity": capacity,
                    "occupancy": occupancy,
                    "free_capacity": max(capacity - occupancy, 0),
                    "status": status,
                    "effective_area_m2": float(area),
                },
            }
        )
    return out


def warehouse_model():
    """``yingji.materials.models.Warehouse`` when the materials app provides it, else None."""
    try:
        from yingji.materials.models import Warehouse
    except ImportError:
        return None
    return Warehouse


def _material_records():
    Warehouse = warehouse_model()
    if Warehouse is None:
        return []
    qs = Warehouse.objects.filter(longitude__isnull=False, latitude__isnull=False, is_active=True).order_by()
    out = []
    for pk, lon, lat, path, place_name, place_code, name, level in qs.values_list(
        "pk", "longitude", "latitude", "place__path", "place__name", "place__code", "name", "level"
    ):
        out.append(
            {
                "id": pk,
                "lon": lon,
                "lat": lat,
                "path": path or "",
                "dept": None,
                "row": {"name": name, "place_name": place_name, "place_code": place_code, "level": level},
            }
        )
    return out


_SOURCES = {
    "team": ("resources.Team", _team_records),
    "expert": ("resources.Expert", _expert_records),
    "equipment": ("resources.Equipment", _equipment_records),
    "shelter": ("resources.Shelter", _shelter_records),
    "material": ("materials.Warehouse", _material_records),
}


def model_of(kind: str):
    from django.apps import apps

    try:
        return apps.get_model(_SOURCES[kind][0])
    except LookupError:
        return None


# --- Versions and the process cache ---------------------------------------------------------------


def _version_key(kind: str) -> str:
    return f"resources:nearest-version:{kind}"


def version(kind: str) -> int:
    return cache.get_or_set(_version_key(kind), 1, None)


def _bump(kind: str) -> None:
    try:
        cache.incr(_version_key(kind))
    except ValueError:
        cache.set(_version_key(kind), 2, None)


def resources_changed(*kinds: str) -> None:
    """Tell every process to rebuild these kinds' indexes (all kinds when none given). Bulk writers
    (``bulk_create``, ``update``) call it; saves and deletes call it through signals."""
    kinds = kinds or KINDS
    for kind in kinds:
        _bump(kind)
    transaction.on_commit(lambda: [_bump(k) for k in kinds])


def _fingerprint(kind: str) -> tuple:
    model = model_of(kind)
    if model is None:
        return ()
    agg = model.objects.order_by().aggregate(
        n=Count("pk"), last=Max("updated") if _has_updated(model) else Max("pk")
    )
    return (agg["n"], agg["last"])


def _has_updated(model) -> bool:
    return any(f.name == "updated" for f in model._meta.get_fields())


class _Indexes:
    def __init__(self):
        self._lock = threading.Lock()
        self._by_kind: dict[str, KindIndex] = {}

    def get(self, kind: str) -> KindIndex:
        current = version(kind)
        index = self._by_kind.get(kind)
        now = time.monotonic()
        if index is not None and index.version == current:
            if now - index.checked < FINGERPRINT_INTERVAL_S:
                return index
            fingerprint = _fingerprint(kind)
            if fingerprint == index.fingerprint:
                index.checked = now
                return index
        with self._lock:
            index = self._by_kind.get(kind)
            if index is None or index.version != current or now - index.checked >= FINGERPRINT_INTERVAL_S:
                fingerprint = _fingerprint(kind)
                if index is None or index.version != current or fingerprint != index.fingerprint:
                    index = _build(kind, _SOURCES[kind][1]())
                index.version, index.fingerprint, index.checked = current, fingerprint, time.monotonic()
                self._by_kind[kind] = index
            return index

    def clear(self) -> None:
        with self._lock:
            self._by_kind.clear()


indexes = _Indexes()


def connect_signals() -> None:
    """Bump a kind's version whenever one of its rows is saved or deleted (called from ready())."""
    from django.db.models.signals import post_delete, post_save

    def connect(kind, model):
        def changed(sender, **kwargs):
            _bump(kind)
            transaction.on_commit(lambda: _bump(kind))

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"resources-nearest-{kind}-save")
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"resources-nearest-{kind}-delete"
        )

    from django.apps import apps

    for kind, (label, _source) in _SOURCES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        connect(kind, model)
    # the team's place or name shown in a member's row does not matter here; a team's department
    # and place changes reach the equipment only through its own save.


# --- Scope, in memory -----------------------------------------------------------------------------


def scope_mask(index: KindIndex, user, model) -> np.ndarray | None:
    """The rows of ``index`` that ``user`` may view, by the rules of ``yingji.framework.access``
    (None: all of them). Mirrors ``_assignment_q`` for place, department and ``read_up``."""
    label = model._meta.label_lower
    scope = model.scope
    mask = np.zeros(len(index), dtype=bool)
    for a in assignments_of(user):
        if not role_allows(a.role, "view", label):
            continue
        if ROLES[a.role].global_scope:
            return None
        admitted = np.ones(len(index), dtype=bool)
        limited = False
        if a.place_id is not None:
            if scope.place is None:
                continue
            codes = _codes_of_path(a.place.path)
            depth = len(codes) - 1
            if depth >= TREE_DEPTH:
                sub = np.zeros(len(index), dtype=bool)
            else:
                sub = index.anc[:, depth] == codes[-1]
                # deeper chains must agree above too (codes are unique, so this is implied)
            if scope.read_up and a.enterprise_id is None and a.department_id is None and len(codes) > 1:
                sub = sub | np.isin(index.place_code, np.array(codes[:-1], dtype=np.int64))
            admitted &= sub
            limited = True
        if a.enterprise_id is not None and not scope.org_optional:
            if scope.enterprise is None:
                continue
            continue  # no resources kind has an enterprise dimension
        if a.department_id is not None and scope.department is not None and not scope.org_optional:
            admitted &= index.dept == a.department_id
            limited = True
        if not limited:
            return None
        mask |= admitted
    return mask


def _db_mask(index: KindIndex, user, model) -> np.ndarray | None:
    """Scope through the database (for the warehouses, whose scope belongs to materials)."""
    from yingji.framework.access import has_global

    if has_global(user, "view", model):
        return None
    visible = np.fromiter(model.objects.visible_to(user).values_list("pk", flat=True), dtype=np.int64)
    return np.isin(index.ids, visible)


# --- Queries --------------------------------------------------------------------------------------


@dataclass
class Query:
    longitude: float
    latitude: float
    kinds: tuple[str, ...] = KINDS
    limit: int = rules.NEAREST_DEFAULT_LIMIT
    team_kind: str = ""
    capability: str = ""
    readiness: str = ""
    specialty: str = ""  # expert field
    equipment_kind: str = ""
    capacity: int | None = None  # shelter: free places needed
    item: int | None = None
    quantity: Decimal | None = None
    place_code: str = ""  # the place the point lies in (for the issue link)


def _filter_mask(index: KindIndex, q: Query) -> np.ndarray | None:
    a = index.attrs
    mask = None

    def code(attr: str, value: str) -> int:
        return index.vocab.get(attr, {}).get(value, -1)

    def both(m):
        nonlocal mask
        mask = m if mask is None else (mask & m)

    if index.kind == "team":
        if q.team_kind:
            both(a["kind"] == code("kind", q.team_kind))
        if q.capability:
            both((a["caps"] & _CAP_BITS.get(q.capability, 0)) != 0)
        if q.readiness:
            both(a["readiness"] == code("readiness", q.readiness))
    elif index.kind == "expert":
        if q.specialty:
            both((a["fields"] & _FIELD_BITS.get(q.specialty, 0)) != 0)
    elif index.kind == "equipment":
        if q.equipment_kind:
            both(a["kind"] == code("kind", q.equipment_kind))
    elif index.kind == "shelter":
        if q.capacity:
            both(a["free"] >= q.capacity)
    return mask


def _candidates(index: KindIndex, qxyz: np.ndarray, mask: np.ndarray | None, limit: int) -> np.ndarray:
    """Positions of the rows that can be among the ``limit`` nearest admitted rows: a superset by at
    most the floating-point near-ties (squared chord ``2 - 2 p·q`` carries an absolute error below
    1e-15; the slack admits 1e-14 plus a relative 1e-9)."""
    if limit <= 0 or len(index) == 0:
        return np.arange(0)
    chord2 = 2.0 - 2.0 * (index.xyz @ qxyz)
    if mask is not None:
        admitted = int(np.count_nonzero(mask))
        if admitted == 0:
            return np.arange(0)
        if admitted < len(index):
            chord2 = np.where(mask, chord2, np.inf)
        if admitted <= limit:
            return np.flatnonzero(mask)
    elif len(index) <= limit:
        return np.arange(len(index))
    if chord2.size >= _SAMPLE_FROM:
        # The limit-th smallest of every STRIDE-th row bounds the limit-th smallest of all from
        # above, so the rows under it hold the answer; partition only those (exact, ~STRIDE×limit).
        sample = chord2[::_STRIDE]
        if sample.size > limit:
            bound = np.partition(sample, limit - 1)[limit - 1]
            if np.isfinite(bound):
                near = np.flatnonzero(chord2 <= bound)
                values = chord2[near]
                kth = np.partition(values, limit - 1)[limit - 1]
                cut = kth * (1 + _REL_SLACK) + _ABS_SLACK
                if cut <= bound:
                    return near[values <= cut]
                return np.flatnonzero(chord2 <= cut)
    kth = np.partition(chord2, limit - 1)[limit - 1]
    return np.flatnonzero(chord2 <= kth * (1 + _REL_SLACK) + _ABS_SLACK)


def _rank(index: KindIndex, positions, lon: float, lat: float, limit: int) -> list[tuple[float, int, int]]:
    ranked = sorted(
        (haversine_m(lon, lat, float(index.lon[p]), float(index.lat[p])), int(index.ids[p]), int(p))
        for p in positions
    )
    return ranked[:limit]


def _available(item: int) -> dict[int, Decimal]:
    from yingji.materials.services import available_by_warehouse

    return {int(k): Decimal(v) for k, v in available_by_warehouse(item).items()}


_URL_NAMES = {
    "team": "resources:team_detail",
    "expert": "resources:expert_detail",
    "equipment": "resources:equipment_detail",
    "shelter": "resources:shelter_detail",
    "material": "materials:warehouse_detail",
}


def _url_pattern(kind: str) -> str:
    """The detail url of ``kind`` with ``{id}`` for the id ("" when the page does not exist)."""
    try:
        return reverse(_URL_NAMES[kind], args=[0]).replace("/0/", "/{id}/")
    except NoReverseMatch:
        return ""


def issue_url(warehouse_id: int, item: int | None, lon: float, lat: float, place_code: str) -> str:
    try:
        base = reverse("materials:issue")
    except NoReverseMatch:
        return ""
    params = {"warehouse": warehouse_id}
    if item is not None:
        params["item"] = item
    params.update({"longitude": f"{lon:.6f}", "latitude": f"{lat:.6f}"})
    if place_code:
        params["place"] = place_code
    return f"{base}?{urlencode(params)}"


def search(user, q: Query) -> dict[str, list[dict]]:
    """The nearest ``q.limit`` rows of each kind of ``q.kinds`` that ``user`` may view; kinds the
    user may not view are left out of the answer."""
    qxyz = unit_vectors([q.longitude], [q.latitude])[0]
    out: dict[str, list[dict]] = {}
    for kind in q.kinds:
        model = model_of(kind)
        if model is None or not can(user, "view", model):
            continue
        index = indexes.get(kind)
        if len(index) == 0:
            out[kind] = []
            continue
        mask = _db_mask(index, user, model) if kind == "material" else scope_mask(index, user, model)
        extra = _filter_mask(index, q)
        if extra is not None:
            mask = extra if mask is None else (mask & extra)
        available = None
        if kind == "material" and q.item is not None:
            available = _available(q.item)
            need = q.quantity if q.quantity is not None else Decimal("0")
            stocked = np.array(
                [pk for pk, qty in available.items() if qty > 0 and qty >= need], dtype=np.int64
            )
            has = np.isin(index.ids, stocked)
            mask = has if mask is None else (mask & has)
        positions = _candidates(index, qxyz, mask, q.limit)
        url = _url_pattern(kind)
        results = []
        for distance, pk, p in _rank(index, positions, q.longitude, q.latitude, q.limit):
            row = {
                "id": pk,
                **index.rows[p],
                "kind": kind,
                "longitude": float(index.lon[p]),
                "latitude": float(index.lat[p]),
                "distance_m": round(distance, 1),
                "url": url.replace("{id}", str(pk)) if url else "",
            }
            if kind == "material":
                if available is not None:
                    row["available"] = str(available.get(pk, Decimal("0")))
                    row["item"] = q.item
                row["issue_url"] = issue_url(pk, q.item, q.longitude, q.latitude, q.place_code)
            results.append(row)
        out[kind] = results
    return out


def brute_force(user, q: Query) -> dict[str, list[tuple[int, float]]]:
    """The reference answer: every admitted row of each kind through the database and the access
    filter, sorted by (haversine distance, id) — what :func:`search` must equal."""
    from yingji.resources.models import Equipment, Expert, Shelter, Team

    out = {}
    for kind in q.kinds:
        model = model_of(kind)
        if model is None or not can(user, "view", model):
            continue
        qs = model.objects.visible_to(user).filter(longitude__isnull=False, latitude__isnull=False)
        if model is Team:
            if q.team_kind:
                qs = qs.filter(kind=q.team_kind)
            if q.capability:
                qs = qs.filter(capabilities__contains=f",{q.capability},")
            if q.readiness:
                qs = qs.filter(readiness=q.readiness)
        elif model is Expert and q.specialty:
            qs = qs.filter(specialties__contains=f",{q.specialty},")
        elif model is Equipment and q.equipment_kind:
            qs = qs.filter(kind=q.equipment_kind)
        elif model is Shelter and q.capacity:
            qs = [s for s in qs if s.capacity - s.occupancy >= q.capacity]
        rows = list(qs)
        if kind == "material" and q.item is not None:
            available = _available(q.item)
            need = q.quantity if q.quantity is not None else Decimal("0")
            rows = [w for w in rows if available.get(w.pk, Decimal("0")) > 0 and available[w.pk] >= need]
        ranked = sorted((haversine_m(q.longitude, q.latitude, r.longitude, r.latitude), r.pk) for r in rows)
        out[kind] = [(pk, d) for d, pk in ranked[: q.limit]]
    return out


# --- Parsing request parameters -------------------------------------------------------------------


def _float(params, name: str, low: float, high: float) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise NearestError(
            _("%(name)s 须为 %(low)s 到 %(high)s 之间的数（WGS84 度）。")
            % {"name": name, "low": low, "high": high},
            "invalid_coordinates",
            name,
        )
    return value


def _int(params, name: str, low: int, high: int, code: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise NearestError(
            _("%(name)s 须为 %(low)s 到 %(high)s 之间的整数。") % {"name": name, "low": low, "high": high},
            code,
            name,
        )
    return int(raw)


def parse_query(params, user) -> Query:
    """A :class:`Query` from request parameters, or :class:`NearestError` with a stable code."""
    from yingji.places.models import Place

    lon = _float(params, "longitude", -180, 180)
    lat = _float(params, "latitude", -90, 90)
    place_code = (params.get("place") or "").strip()
    if (lon is None) != (lat is None):
        raise NearestError(
            _("经度和纬度须同时提供。"), "coordinates_required", "latitude" if lat is None else "longitude"
        )
    if lon is None:
        place = None
        if place_code:
            place = Place.objects.visible_to(user).filter(code=place_code).defer("boundary").first()
            if place is None:
                raise NearestError(
                    _("没有找到该区划代码，或它不在您的管辖范围内。"), "invalid_place", "place"
                )
        elif (params.get("address") or "").strip():
            address = params.get("address").strip()
            place = (
                Place.objects.visible_to(user)
                .filter(name__icontains=address)
                .defer("boundary")
                .order_by("-level", "code")
                .first()
            )
            if place is None:
                raise NearestError(
                    _("没有找到名称包含“%(a)s”的地区，请在地图上点选位置。") % {"a": address},
                    "invalid_address",
                    "address",
                )
        else:
            raise NearestError(
                _("请提供位置：经纬度（longitude、latitude），或区划代码（place），或地名（address）。"),
                "coordinates_required",
                "longitude",
            )
        if place.centroid_lon is None or place.centroid_lat is None:
            raise NearestError(_("该地区没有中心点坐标，请在地图上点选位置。"), "no_centroid", "place")
        lon, lat = place.centroid_lon, place.centroid_lat
        place_code = place.code
    elif not place_code:
        from yingji.places.services import locate_point_id

        pk = locate_point_id(lon, lat)
        if pk is not None:
            place_code = Place.objects.filter(pk=pk).values_list("code", flat=True).first() or ""
    raw_kinds = (params.get("kinds") or "").strip()
    kinds = tuple(k.strip() for k in raw_kinds.split(",") if k.strip()) if raw_kinds else KINDS
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise NearestError(
            _("未知的资源种类：%(bad)s；可选 %(ok)s。") % {"bad": ", ".join(bad), "ok": ",".join(KINDS)},
            "invalid_kind",
            "kinds",
        )
    limit = _int(params, "limit", 1, rules.NEAREST_MAX_LIMIT, "invalid_limit") or rules.NEAREST_DEFAULT_LIMIT
    capacity = _int(params, "capacity", 1, 10**7, "invalid_capacity")
    item = _int(params, "item", 1, 2**62, "invalid_item")
    quantity = None
    raw_qty = (params.get("quantity") or "").strip()
    if raw_qty:
        try:
            quantity = Decimal(raw_qty)
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise NearestError(_("quantity 须为大于 0 的数量。"), "invalid_quantity", "quantity")
        if item is None:
            raise NearestError(_("指定需要的数量时须同时指定物资（item）。"), "item_required", "item")
    if item is not None and "material" in kinds:
        from django.apps import apps

        try:
            Item = apps.get_model("materials", "Item")
        except LookupError:
            Item = None
        if Item is not None and not Item.objects.filter(pk=item).exists():
            raise NearestError(_("没有编号为 %(id)s 的物资。") % {"id": item}, "invalid_item", "item")
    capability = (params.get("capability") or "").strip()
    if capability and capability not in _CAP_BITS:
        raise NearestError(
            _("未知的救援能力：%(c)s。") % {"c": capability}, "invalid_capability", "capability"
        )
    specialty = (params.get("specialty") or "").strip()
    if specialty and specialty not in _FIELD_BITS:
        raise NearestError(_("未知的专家领域：%(c)s。") % {"c": specialty}, "invalid_specialty", "specialty")
    choice_filters = {}
    for name, allowed in (
        ("team_kind", TeamKind.values),
        ("readiness", Readiness.values),
        ("equipment_kind", EquipmentKind.values),
    ):
        value = choice_filters[name] = (params.get(name) or "").strip()
        if value and value not in allowed:
            raise NearestError(
                _("%(name)s 的取值 %(value)s 无效；可选 %(ok)s。")
                % {"name": name, "value": value, "ok": ",".join(allowed)},
                f"invalid_{name}",
                name,
            )
    return Query(
        longitude=lon,
        latitude=lat,
        kinds=kinds,
        limit=limit,
        team_kind=choice_filters["team_kind"],
        capability=capability,
        readiness=choice_filters["readiness"],
        specialty=specialty,
        equipment_kind=choice_filters["equipment_kind"],
        capacity=capacity,
        item=item,
        quantity=quantity,
        place_code=place_code,
    )
