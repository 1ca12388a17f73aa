"""Region-tree services: ancestors, descendants, and which place contains a point."""

import threading
import time

from django.core.cache import cache
from django.db import transaction

from yingji.framework.access import check_object
from yingji.places.choices import PlaceLevel
from yingji.places.models import Place

_GEOMETRY_VERSION_KEY = "places:geometry-version"
_RECHECK_S = 5.0


def ancestors(place: Place) -> list[Place]:
    """The chain above ``place``, root first (one query, from the materialised path)."""
    codes = place.path.strip("/").split("/")[:-1]
    by_code = {p.code: p for p in Place.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def descendants(place: Place, level: str | None = None, include_self: bool = False):
    qs = Place.objects.filter(path__startswith=place.path)
    if not include_self:
        qs = qs.exclude(pk=place.pk)
    if level:
        qs = qs.filter(level=level)
    return qs


def geometry_version() -> int:
    """The shared version of the stored boundaries; bumped by :func:`boundaries_changed`."""
    return cache.get_or_set(_GEOMETRY_VERSION_KEY, time.time_ns, None)


class _IndexCache:
    """Per-process point-in-polygon indexes by level, rebuilt when boundaries change.

    The geometry version lives in the shared cache; a process re-reads it at most every few
    seconds, so a lookup costs no I/O on the hot path.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._indexes: dict[str, tuple[int, object]] = {}
        self._version = None
        self._checked = 0.0

    def _current_version(self) -> int:
        now = time.monotonic()
        if self._version is None or now - self._checked > _RECHECK_S:
            self._version = geometry_version()
            self._checked = now
        return self._version

    def get(self, level: str):
        from yingji.places.lookup import PlaceIndex

        version = self._current_version()
        entry = self._indexes.get(level)
        if entry is None or entry[0] != version:
            with self._lock:
                rows = Place.objects.filter(level=level, boundary__isnull=False).values_list("pk", "boundary")
                entry = (version, PlaceIndex(rows))
                self._indexes[level] = entry
        return entry[1]

    def invalidate(self):
        try:
            cache.incr(_GEOMETRY_VERSION_KEY)
        except ValueError:
            # The counter is gone (a cache flush): restart it at a value no process has seen, so an
            # index built before the flush can never pass for current.
            cache.set(_GEOMETRY_VERSION_KEY, time.time_ns(), None)
        with self._lock:
            self._indexes.clear()  # this process rebuilds at once; others at their next re-check
        self._version = None


_indexes = _IndexCache()


def locate_point_id(lon: float, lat: float, level: str = PlaceLevel.VILLAGE) -> int | None:
    """Id of the place of ``level`` containing (lon, lat), or None. Fast: no query per call."""
    return _indexes.get(level).locate(lon, lat)


def locate_point(lon: float, lat: float, level: str = PlaceLevel.VILLAGE) -> Place | None:
    """The place of ``level`` (village by default) that contains the point, or None if outside."""
    pk = locate_point_id(lon, lat, level)
    return Place.objects.filter(pk=pk).first() if pk is not None else None


def boundaries_changed():
    """Call after writing boundaries so every process rebuilds its index."""
    _indexes.invalidate()


@transaction.atomic
def save_place(place: Place, *, actor) -> Place:
    """Create or update a place; a changed code or parent re-paths the whole subtree."""
    check_object(actor, "change" if place.pk else "add", place)
    place.full_clean()
    old_path = None
    if place.pk:
        old_path = Place.objects.filter(pk=place.pk).values_list("path", flat=True).first()
    place.save()
    if old_path and old_path != place.path:
        for child in Place.objects.filter(path__startswith=old_path).exclude(pk=place.pk).order_by("path"):
            child.save()  # save() recomputes the path from the (already updated) parent
    transaction.on_commit(boundaries_changed)
    return place
