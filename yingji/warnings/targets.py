"""Who a warning reaches: its area → the targeted places → recipients per target group and channel.

Rules (docs/warning-response.md §1; defaults in ``conf_response.py``):

* **Area** = the union of (a) the villages in the subtrees of ``area_places`` (a place without
  villages below it counts itself), (b) the villages whose boundary meets ``area_polygon`` (centroid
  when a village has no boundary), (c) the same for the circle. No area at all = the issuing place's
  subtree. The result is the set of *targeted villages*; their towns and counties are the *targeted
  towns/counties* (the places whose responsible persons are called).
* **Responsible persons** per tier (``district``/``town``/``village``): users holding one of
  ``RESPONSIBLE_ROLES[tier]`` with the assignment placed at a targeted place of that tier, and persons
  placed there whose position is one of ``RESPONSIBLE_POSITIONS[tier]``.
* **灾害信息员**: users with the ``disaster_info_officer`` role at any targeted place, and persons there
  whose position starts with “灾害信息员” (A/B角 both).
* **Enterprises** placed in the targeted villages, not closed, of the chosen industries (if any) and
  with any of the chosen risk flags (if any) → principal and safety-manager mobiles.
* **Shelter keepers** (``resources.Shelter.keeper_mobile``) at any targeted place, when the resources
  app is installed.
* **Subscribers** (``warnings.Subscription``, active and confirmed) of a targeted village or any
  place above one, on their own channel when the warning uses that channel.
* **Vulnerable groups**: ``VulnerableContact`` rows of the targeted villages → their mobile and their
  guardian's mobile.

Person channels: ``inapp`` → ``user:<id>`` (persons with an account); ``sms``/``voice``/``wechat`` →
the mobile. Place channels (``broadcast``, ``screen``) go to every targeted village. Recipients are
de-duplicated by (channel, address); each keeps the place and the group(s) that selected it. A
recipient without an address on a channel is counted as unreachable (no delivery row).
Every source is one set-based query per chunk of place ids; nothing is queried per recipient.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from yingji.messaging.choices import ChannelCode
from yingji.places.models import Place
from yingji.utilities.identifiers import IdentifierError, validate_mobile
from yingji.warnings import conf_response as conf

logger = logging.getLogger(__name__)

PERSON_MOBILE_CHANNELS = (ChannelCode.SMS, ChannelCode.VOICE, ChannelCode.WECHAT)
PLACE_CHANNELS = (ChannelCode.BROADCAST, ChannelCode.SCREEN)
TIER_LEVEL = {"district": "county", "town": "town", "village": "village"}
CHUNK = 500


def normalise_mobile(raw) -> str:
    """11 digits of a mainland mobile (``+86 138-…`` → ``138…``), or "" when it is not one.

    Stored numbers are mostly already 11 digits (fast path); the rest go through the project's
    ``validate_mobile``."""
    if not raw:
        return ""
    if len(raw) == 11 and raw.isdigit() and raw[0] == "1" and raw[1] in "3456789":
        return raw
    try:
        return validate_mobile(raw)
    except IdentifierError:
        return ""


def chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- area ------------------------------------------------------------------------------------


@dataclass
class Area:
    """Targeted places by level: ``villages`` (and childless places), ``towns``, ``counties``."""

    villages: dict = field(default_factory=dict)  # id → (code, path, population, parent_id)
    towns: dict = field(default_factory=dict)
    counties: dict = field(default_factory=dict)
    city_ids: set = field(default_factory=set)

    @property
    def all_ids(self) -> set:
        return set(self.villages) | set(self.towns) | set(self.counties)

    def tier_ids(self, tier: str) -> set:
        return set({"district": self.counties, "town": self.towns, "village": self.villages}[tier])


def _geometry(warning):
    """The drawn part of the area as one shapely geometry (polygon ∪ circle), or None."""
    import shapely.geometry
    from shapely import affinity

    parts = []
    if warning.area_polygon:
        try:
            parts.append(shapely.geometry.shape(warning.area_polygon))
        except Exception:  # noqa: BLE001 - a broken drawing is ignored here; the form validates it
            logger.warning("warning %s: unreadable area polygon", warning.pk)
    lon, lat, radius = (
        warning.area_circle_longitude,
        warning.area_circle_latitude,
        warning.area_circle_radius_km,
    )
    if lon is not None and lat is not None and radius:
        # a circle of `radius` km on the ground: an ellipse in degrees (1° lat ≈ 111.32 km)
        dlat = radius / 111.32
        dlon = radius / (111.32 * max(math.cos(math.radians(lat)), 0.01))
        circle = shapely.geometry.Point(lon, lat).buffer(1.0, 64)
        parts.append(affinity.scale(circle, xfact=dlon, yfact=dlat, origin=(lon, lat)))
    if not parts:
        return None
    from shapely.ops import unary_union

    return unary_union(parts)


def resolve_area(warning) -> Area:
    """The targeted villages (and their towns and counties) of ``warning``."""
    import shapely.geometry

    cols = ("id", "code", "path", "population", "parent_id", "level")
    village_ids: set[int] = set()
    roots = list(warning.area_places.all().only("id", "path", "level")) if warning.pk else []
    geometry = _geometry(warning)
    if not roots and geometry is None:
        roots = [warning.place]
    if roots:
        subtree = Q()
        for root in roots:
            subtree |= Q(path__startswith=root.path)
        found = set(Place.objects.filter(subtree, level="village").values_list("id", flat=True))
        village_ids |= found
        # a village root is itself; a place without villages below it counts itself
        for root in roots:
            if root.level == "village":
                village_ids.add(root.pk)
            elif not Place.objects.filter(path__startswith=root.path, level="village").exists():
                village_ids.add(root.pk)
    if geometry is not None:
        from shapely import STRtree
        from shapely.prepared import prep

        rows = Place.objects.filter(level="village").values_list(
            "id", "boundary", "centroid_lon", "centroid_lat"
        )
        ids, shapes = [], []
        for pk, boundary, clon, clat in rows:
            shape = None
            if boundary:
                try:
                    shape = shapely.geometry.shape(boundary)
                except Exception:  # noqa: BLE001 - an invalid stored boundary: fall back to the centroid
                    shape = None
            if shape is None and clon is not None and clat is not None:
                shape = shapely.geometry.Point(clon, clat)
            if shape is not None:
                ids.append(pk)
                shapes.append(shape)
        if shapes:
            tree = STRtree(shapes)
            prepared = prep(geometry)
            for i in tree.query(geometry):
                if prepared.intersects(shapes[i]):
                    village_ids.add(ids[int(i)])
    area = Area()
    for chunk in chunks(village_ids):
        for pk, code, path, population, parent_id, _level in Place.objects.filter(id__in=chunk).values_list(
            *cols
        ):
            area.villages[pk] = (code, path, population, parent_id)
    # towns and counties above the targeted villages, from the materialised paths (one query)
    above = set()
    for _code, path, _pop, _parent in area.villages.values():
        above.update(path.strip("/").split("/")[:-1])
    for pk, code, path, population, parent_id, level in Place.objects.filter(code__in=above).values_list(
        *cols
    ):
        target = {"town": area.towns, "county": area.counties}.get(level)
        if target is not None:
            target[pk] = (code, path, population, parent_id)
        elif level == "city":
            area.city_ids.add(pk)
    return area


# --- recipients --------------------------------------------------------------------------------


@dataclass
class Resolution:
    """The de-duplicated sends of a warning.

    ``rows``: ``(channel, address, user_id, person_id, place_id)`` in a deterministic order;
    ``groups``: the group(s) per row (same index, "a,b" when several selected it);
    ``unreachable``: Counter of ``(place_id, channel, group)`` recipients without an address.
    """

    area: Area
    rows: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    unreachable: Counter = field(default_factory=Counter)
    index: dict = field(default_factory=dict)

    def add(self, channel, address, user_id, person_id, place_id, group):
        key = (channel, address)
        i = self.index.get(key)
        if i is None:
            self.index[key] = len(self.rows)
            self.rows.append((channel, address, user_id, person_id, place_id))
            self.groups.append(group)
        elif group not in self.groups[i].split(","):
            self.groups[i] += "," + group

    def group_counts(self) -> Counter:
        counts = Counter()
        for g, n in Counter(self.groups).items():
            for one in g.split(","):
                counts[one] += n
        return counts


def _person_channels(channels):
    return [c for c in channels if c == ChannelCode.INAPP or c in PERSON_MOBILE_CHANNELS]


def _add_persons(res: Resolution, channels, rows, group):
    """rows: (person_id, user_id, user_active, mobile, place_id)."""
    person_channels = _person_channels(channels)
    for person_id, user_id, active, mobile, place_id in rows:
        mobile = normalise_mobile(mobile)
        for channel in person_channels:
            if channel == ChannelCode.INAPP:
                if user_id and active:
                    res.add(channel, f"user:{user_id}", user_id, person_id, place_id, group)
                else:
                    res.unreachable[(place_id, channel, group)] += 1
            elif mobile:
                res.add(channel, mobile, user_id, person_id, place_id, group)
            else:
                res.unreachable[(place_id, channel, group)] += 1


def _add_contacts(res: Resolution, channels, rows, group):
    """rows: (mobile, place_id) of contacts without an account (enterprises, keepers, subscribers)."""
    mobile_channels = [c for c in channels if c in PERSON_MOBILE_CHANNELS]
    for mobile, place_id in rows:
        mobile = normalise_mobile(mobile)
        for channel in mobile_channels:
            if mobile:
                res.add(channel, mobile, None, None, place_id, group)
            else:
                res.unreachable[(place_id, channel, group)] += 1


def responsible_rows(place_ids, tier: str):
    """(person_id, user_id, user_active, mobile, place_id) of the responsible persons of ``tier`` at
    ``place_ids``: role holders placed there, and persons there with a responsible position."""
    from yingji.accounts.models import Person, RoleAssignment

    roles = conf.get("RESPONSIBLE_ROLES").get(tier, ())
    positions = conf.get("RESPONSIBLE_POSITIONS").get(tier, ())
    out, seen = [], set()
    for chunk in chunks(place_ids):
        if roles:
            for row in (
                RoleAssignment.objects.filter(role__in=roles, place_id__in=chunk)
                .order_by("place_id", "user_id")
                .values_list(
                    "user__person_id", "user_id", "user__is_active", "user__person__mobile", "place_id"
                )
            ):
                key = (row[0] or f"u{row[1]}", row[4])
                if key not in seen:
                    seen.add(key)
                    out.append(row)
        if positions:
            for person_id, user_id, active, mobile, place_id in (
                Person.objects.filter(place_id__in=chunk, position__in=positions)
                .order_by("place_id", "id")
                .values_list("id", "user__id", "user__is_active", "mobile", "place_id")
            ):
                key = (person_id, place_id)
                if key not in seen:
                    seen.add(key)
                    out.append((person_id, user_id, active, mobile, place_id))
    return out


def info_officer_rows(place_ids):
    from yingji.accounts.models import Person, RoleAssignment

    out, seen = [], set()
    prefix = conf.get("INFO_OFFICER_POSITION_PREFIX")
    for chunk in chunks(place_ids):
        for row in (
            RoleAssignment.objects.filter(role__in=conf.get("INFO_OFFICER_ROLES"), place_id__in=chunk)
            .order_by("place_id", "user_id")
            .values_list("user__person_id", "user_id", "user__is_active", "user__person__mobile", "place_id")
        ):
            key = (row[0] or f"u{row[1]}", row[4])
            if key not in seen:
                seen.add(key)
                out.append(row)
        if prefix:
            for person_id, user_id, active, mobile, place_id in (
                Person.objects.filter(place_id__in=chunk, position__startswith=prefix)
                .order_by("place_id", "id")
                .values_list("id", "user__id", "user__is_active", "mobile", "place_id")
            ):
                key = (person_id, place_id)
                if key not in seen:
                    seen.add(key)
                    out.append((person_id, user_id, active, mobile, place_id))
    return out


def _enterprise_rows(warning, village_ids):
    from yingji.orgs.choices import OperatingStatus
    from yingji.orgs.models import Enterprise

    industries = list(warning.industries or ())
    flags = list(warning.risk_flags or ())
    for chunk in chunks(village_ids):
        qs = Enterprise.objects.filter(place_id__in=chunk).exclude(operating_status=OperatingStatus.CLOSED)
        if industries:
            qs = qs.filter(industry__in=industries)
        if flags:
            any_flag = Q()
            for flag in flags:
                any_flag |= Q(risk_flags__contains=f",{flag},")
            qs = qs.filter(any_flag)
        for principal, safety, place_id in qs.order_by("id").values_list(
            "principal_mobile", "safety_manager_mobile", "place_id"
        ):
            yield principal, place_id
            yield safety, place_id


def _shelter_rows(place_ids):
    if not apps.is_installed("yingji.resources"):
        return
    try:
        Shelter = apps.get_model("resources", "Shelter")
    except LookupError:
        return
    for chunk in chunks(place_ids):
        yield from (
            Shelter.objects.filter(place_id__in=chunk).order_by("id").values_list("keeper_mobile", "place_id")
        )


def _subscriber_rows(res: Resolution, channels, place_ids):
    """Public subscribers: the big group (up to millions), so rows come from a plain cursor and are
    added inline (no method call or model row per subscriber)."""
    from django.db import connection

    try:
        Subscription = apps.get_model("warnings", "Subscription")
    except LookupError:
        return
    wanted = {c for c in channels if c in PERSON_MOBILE_CHANNELS}
    if not wanted:
        return
    group = "subscribers"
    index, rows, groups, unreachable = res.index, res.rows, res.groups, res.unreachable
    base = Subscription.objects.filter(active=True, confirmed=True).values_list(
        "channel", "address", "place_id"
    )
    for chunk in chunks(place_ids):
        sql, params = base.filter(place_id__in=chunk).order_by("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(50_000):
                for channel, address, place_id in batch:
                    if channel not in wanted:
                        continue
                    if not (len(address) == 11 and address.isdigit() and address[0] == "1"):
                        address = normalise_mobile(address)
                        if not address:
                            unreachable[(place_id, channel, group)] += 1
                            continue
                    key = (channel, address)
                    i = index.get(key)
                    if i is None:
                        index[key] = len(rows)
                        rows.append((channel, address, None, None, place_id))
                        groups.append(group)
                    elif group not in groups[i].split(","):
                        groups[i] += "," + group


def _vulnerable_rows(village_ids):
    from yingji.warnings.models_response import VulnerableContact

    for chunk in chunks(village_ids):
        for mobile, guardian, place_id in (
            VulnerableContact.objects.filter(place_id__in=chunk)
            .order_by("id")
            .values_list("mobile", "guardian_mobile", "place_id")
        ):
            yield mobile, place_id
            if guardian:
                yield guardian, place_id


def resolve_recipients(warning, area: Area | None = None) -> Resolution:
    """Every send of ``warning`` (see the module docstring), de-duplicated by (channel, address)."""
    area = area or resolve_area(warning)
    res = Resolution(area=area)
    channels = [str(c) for c in (warning.channels or ())]
    groups = set(warning.target_groups or ())
    village_ids = sorted(area.villages)
    all_ids = sorted(area.all_ids)
    for tier in ("district", "town", "village"):
        if tier in groups:
            _add_persons(res, channels, responsible_rows(sorted(area.tier_ids(tier)), tier), tier)
    if "info_officers" in groups:
        _add_persons(res, channels, info_officer_rows(all_ids), "info_officers")
    if "enterprises" in groups:
        _add_contacts(res, channels, _enterprise_rows(warning, village_ids), "enterprises")
    if "shelter_keepers" in groups:
        _add_contacts(res, channels, _shelter_rows(all_ids), "shelter_keepers")
    if "vulnerable" in groups:
        _add_contacts(res, channels, _vulnerable_rows(village_ids), "vulnerable")
    if "subscribers" in groups:
        _subscriber_rows(res, channels, sorted(area.all_ids | area.city_ids))
    for channel in channels:
        if channel in PLACE_CHANNELS:
            for pk in village_ids:
                res.add(channel, area.villages[pk][0], None, None, pk, "places")
    return res
