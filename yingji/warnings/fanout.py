"""Fan-out of a published warning (W3): recipients → deliveries → channel adapters, exactly once.

* :func:`start_fanout` — called by ``lifecycle.publish`` after commit: creates the warning's
  :class:`FanoutJob` and queues :func:`yingji.warnings.tasks.run_fanout_task`.
* :func:`run_fanout` — the job: take the lease, open the call-and-respond rows (``response.py``),
  resolve the recipients (``targets.py``), write one ``messaging.Delivery`` per (channel, address) in
  batches of ``FANOUT_BATCH`` with ``INSERT … ON CONFLICT DO NOTHING`` (the delivery's unique
  constraint (message, channel, address) makes a repeated batch a no-op), advance the cursor in the
  same transaction, then hand the queued deliveries to the senders in tasks of ``DISPATCH_BATCH``.
* Exactly once: a crash anywhere leaves the job ``running`` with a lease; when the lease runs out the
  periodic ``resume_fanouts`` runs it again. A resumed run skips the (channel, address) pairs whose
  delivery exists and the constraint ignores any repeat; a delivery is sent only while ``queued`` and under the messaging lease
  (``messaging.services.attempt_delivery``), so a re-dispatched batch sends nothing twice.
* :func:`coverage` — reached / targeted per place and channel, and the public-coverage estimate.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from yingji.messaging.choices import DeliveryStatus, MessageCategory
from yingji.messaging.models import Delivery, Message
from yingji.warnings import conf_response as conf
from yingji.warnings.models_response import FanoutJob, FanoutState
from yingji.warnings.targets import PLACE_CHANNELS, resolve_recipients

logger = logging.getLogger(__name__)

BUSY, DONE = "busy", "done"
REACHED = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED)


def checkpoint(stage: str, batch: int) -> None:
    """Called after every committed batch; tests replace it to simulate a worker dying there."""


def start_fanout(warning) -> FanoutJob:
    """Create (or find) the warning's fan-out job and queue it after the current transaction."""
    job, _created = FanoutJob.objects.get_or_create(warning=warning)
    if job.state != FanoutState.DONE:
        job_id = job.pk

        def enqueue():
            from yingji.warnings.tasks import run_fanout_task

            run_fanout_task(job_id)

        transaction.on_commit(enqueue)
    return job


def _claim(job_id: int) -> bool:
    now = timezone.now()
    lease = now + timedelta(seconds=conf.get("FANOUT_LEASE_SECONDS"))
    return bool(
        FanoutJob.objects.filter(pk=job_id, state__in=(FanoutState.PENDING, FanoutState.RUNNING))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(
            state=FanoutState.RUNNING,
            locked_until=lease,
            runs=F("runs") + 1,
            started_at=now,
            updated=now,
        )
    )


def _message_for(job: FanoutJob) -> Message:
    if job.message_id:
        return job.message
    from django.contrib.contenttypes.models import ContentType

    warning = job.warning
    try:
        link = warning.get_absolute_url()
    except Exception:  # noqa: BLE001 - the warning pages may not be routed (yet)
        link = ""
    body = "\n".join(x for x in (warning.description, warning.instruction) if x)
    with transaction.atomic():
        message = Message(
            subject=warning.headline[:200],
            body=body,
            link=link,
            category=MessageCategory.WARNING,
            channels=[str(c) for c in warning.channels or ()],
            place=warning.place,
            content_type=ContentType.objects.get_for_model(type(warning)),
            object_id=str(warning.pk),
        )
        message.save()
        FanoutJob.objects.filter(pk=job.pk).update(message=message)
        type(warning).objects.filter(pk=warning.pk, message__isnull=True).update(message=message)
    job.message = message
    return message


_COLUMNS = (
    "created, updated, message_id, channel, address, user_id, person_id, place_id, status, attempts, "
    "last_error, provider_id"
)


def _insert_sql() -> str:
    """One INSERT for every row of a fan-out; a (message, channel, address) already there is skipped
    (the delivery's unique constraint), so a repeated batch writes nothing."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    values = ", ".join(["%s"] * 12)
    if connection.vendor == "sqlite":
        return f"INSERT OR IGNORE INTO {table} ({_COLUMNS}) VALUES ({values})"  # noqa: S608 - constant names
    return f"INSERT INTO {table} ({_COLUMNS}) VALUES ({values}) ON CONFLICT DO NOTHING"  # noqa: S608


def insert_deliveries(message_id: int, rows, now=None) -> None:
    """Write ``rows`` (channel, address, user_id, person_id, place_id) as queued deliveries; existing
    (message, channel, address) rows are left as they are. One prepared statement run by
    ``executemany`` over plain tuples: no model instance, no per-row preparation."""
    stamp = connection.ops.adapt_datetimefield_value(now or timezone.now())
    head = (stamp, stamp, message_id)
    tail = (DeliveryStatus.QUEUED.value, 0, "", "")
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(), [head + row + tail for row in rows])


#: The one group whose rows are written in address order (see :func:`send_order`).
BULK_GROUP = "subscribers"


def _place_key(row) -> int:
    return row[4] or 0


def send_order(rows: list, groups: list) -> list:
    """The order deliveries are written (and so dispatched, by id) in.

    Every row some other group selected comes first, in resolution order (responsible persons,
    灾害信息员, enterprises, keepers, vulnerable contacts, places): they are sent first. The public
    subscribers, up to millions, follow in address order, tile by tile: sorted by (channel, address),
    cut into tiles of ``FANOUT_SORT_TILE`` rows, each tile sorted by place. Every new delivery is an
    entry in two indexes with unrelated orders, the unique (message, channel, address) and the
    place's. Random order makes both inserts land on random B-tree pages; in this order the unique
    index grows at its end and the place index takes each tile as one sweep across its places,
    which roughly halves the insert time of a large fan-out (docs/warning-response.md §6).
    """
    first, bulk = [], []
    for row, group in zip(rows, groups, strict=True):
        (bulk if group == BULK_GROUP else first).append(row)
    bulk.sort()  # tuples: (channel, address) is unique, so the later (None) fields are never compared
    tile = conf.get("FANOUT_SORT_TILE")
    if not tile:
        first.extend(bulk)
        return first
    for i in range(0, len(bulk), tile):
        first.extend(sorted(bulk[i : i + tile], key=_place_key))
    return first


def _stats(res) -> dict:
    return {
        "villages": sorted(res.area.villages),
        "towns": sorted(res.area.towns),
        "counties": sorted(res.area.counties),
        "groups": dict(res.group_counts()),
        "unreachable": {f"{p}|{c}|{g}": n for (p, c, g), n in res.unreachable.items()},
    }


def _not_written(message_id: int, rows: list) -> list:
    """A resumed job: the rows whose delivery is not there yet (exact, whatever changed meanwhile)."""
    written = set(
        Delivery.objects.filter(message_id=message_id).values_list("channel", "address").iterator(50_000)
    )
    if not written:
        return rows
    return [r for r in rows if (r[0], r[1]) not in written]


@contextmanager
def _sqlite_cache():
    """A bigger SQLite page cache while writing (the delivery indexes of a large fan-out do not fit
    the default 2 MB); restored afterwards. No effect on PostgreSQL."""
    kib = conf.get("FANOUT_SQLITE_CACHE_KIB")
    if connection.vendor != "sqlite" or not kib:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def run_fanout(job_id: int, *, dispatch: bool = True, call: bool = True) -> str:
    """Run (or resume) one fan-out job; returns ``done`` or ``busy`` (another worker holds it)."""
    if not _claim(job_id):
        return BUSY
    job = FanoutJob.objects.select_related("warning", "warning__place", "message").get(pk=job_id)
    warning = job.warning
    try:
        message = _message_for(job)
        from yingji.warnings.response import open_acknowledgements

        open_acknowledgements(warning, call=call)
        res = resolve_recipients(warning)
        resumed = job.runs > 1 or job.cursor > 0
        rows = send_order(res.rows, res.groups)
        if resumed:
            rows = _not_written(message.pk, rows)
        done = len(res.rows) - len(rows)
        FanoutJob.objects.filter(pk=job.pk).update(
            targeted=len(res.rows) + sum(res.unreachable.values()),
            unreachable=sum(res.unreachable.values()),
            stats=_stats(res),
            cursor=done,
        )
        batch = conf.get("FANOUT_BATCH")
        lease = timedelta(seconds=conf.get("FANOUT_LEASE_SECONDS"))
        with _sqlite_cache():
            for n, i in enumerate(range(0, len(rows), batch)):
                part = rows[i : i + batch]
                with transaction.atomic():
                    now = timezone.now()
                    insert_deliveries(message.pk, part, now)
                    FanoutJob.objects.filter(pk=job.pk).update(
                        cursor=done + i + len(part), locked_until=now + lease
                    )
                checkpoint("insert", n)
        if dispatch:
            dispatch_deliveries(job.pk, message.pk)
        now = timezone.now()
        FanoutJob.objects.filter(pk=job.pk).update(
            state=FanoutState.DONE, finished_at=now, locked_until=None, last_error="", updated=now
        )
        return DONE
    except Exception as exc:
        FanoutJob.objects.filter(pk=job.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:500])
        raise


def dispatch_deliveries(job_id: int, message_id: int) -> int:
    """Hand the queued deliveries past the job's dispatch mark to the senders, a task per batch."""
    from yingji.warnings.tasks import send_batch

    size = conf.get("DISPATCH_BATCH")
    lease = timedelta(seconds=conf.get("FANOUT_LEASE_SECONDS"))
    mark = FanoutJob.objects.filter(pk=job_id).values_list("dispatched_id", flat=True).get()
    handed = 0
    n = 0
    while True:
        ids = list(
            Delivery.objects.filter(message_id=message_id, id__gt=mark, status=DeliveryStatus.QUEUED)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return handed
        send_batch(ids)
        mark = ids[-1]
        FanoutJob.objects.filter(pk=job_id).update(dispatched_id=mark, locked_until=timezone.now() + lease)
        handed += len(ids)
        checkpoint("dispatch", n)
        n += 1


def resumable_jobs(now=None) -> list[int]:
    """Jobs not done whose worker's lease ran out (a crash or a restart) or that never started."""
    now = now or timezone.now()
    return list(
        FanoutJob.objects.filter(state__in=(FanoutState.PENDING, FanoutState.RUNNING))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("id")
        .values_list("id", flat=True)
    )


# --- coverage ----------------------------------------------------------------------------------


def _row_key(path: str) -> str:
    """Coverage rows are towns: a village counts to its town; towns and above are rows themselves."""
    codes = path.strip("/").split("/")
    return codes[min(len(codes), 3) - 1]


def coverage(warning, user=None) -> dict:
    """Reached / targeted per place (town rows) and channel, and the public-coverage estimate.

    ``targeted`` = deliveries written + recipients without an address; ``reached`` = deliveries
    ``sent`` or ``delivered``. Public coverage (docs/warning-response.md §3) per targeted village
    ``v`` with population ``P``: place channels reached there give ``r = 1 − Π(1 − CHANNEL_REACH[c])``,
    reached individuals there give ``i = min(1, reached persons / P)``; covered = ``P·(1 − (1−r)(1−i))``;
    the estimate is Σ covered / Σ P over the villages with a population. With ``user``, only places
    the user may view are counted.
    """
    from yingji.places.models import Place

    job = FanoutJob.objects.filter(warning=warning).select_related("message").first()
    channels = [str(c) for c in warning.channels or ()]
    empty = {
        "job": job,
        "channels": channels,
        "rows": [],
        "totals": {},
        "public": None,
        "target": conf.get("COVERAGE_TARGET"),
    }
    if job is None or job.message_id is None:
        return empty
    deliveries = Delivery.objects.filter(message_id=job.message_id)
    visible = None
    if user is not None:
        visible = Place.objects.visible_to(user)
    counts = defaultdict(lambda: defaultdict(Counter))  # place_id → channel → status → n
    for place_id, channel, status, n in (
        deliveries.values_list("place_id", "channel", "status").annotate(n=Count("id")).order_by()
    ):
        counts[place_id][channel][status] += n
    unreachable = defaultdict(Counter)
    for key, n in (job.stats.get("unreachable") or {}).items():
        place_id, channel, _group = key.split("|")
        unreachable[int(place_id) if place_id not in ("None", "") else None][channel] += n
    village_ids = set(job.stats.get("villages") or ())
    place_ids = {p for p in (set(counts) | set(unreachable) | village_ids) if p is not None}
    places = Place.objects.filter(id__in=place_ids)
    if visible is not None:
        places = places.filter(id__in=visible.values("id"))
    info = {
        pk: (code, path, population)
        for pk, code, path, population in places.values_list("id", "code", "path", "population")
    }
    row_codes = {_row_key(path) for _code, path, _pop in info.values()}
    names = dict(Place.objects.filter(code__in=row_codes).values_list("code", "name"))
    rows: dict[str, dict] = {}
    totals = {c: _zero() for c in channels}

    def row_for(code):
        if code not in rows:
            rows[code] = {
                "code": code,
                "name": names.get(code, code),
                "channels": {c: _zero() for c in channels},
                "population": 0,
                "covered": 0.0,
            }
        return rows[code]

    reach = conf.get("CHANNEL_REACH")
    pop_total = covered_total = 0.0
    for pk, (_code, path, population) in info.items():
        row = row_for(_row_key(path))
        for channel in set(counts.get(pk, {})) | set(unreachable.get(pk, {})):
            delta = cell_delta(
                counts.get(pk, {}).get(channel, Counter()), unreachable.get(pk, {}).get(channel, 0)
            )
            for cell in (row["channels"].setdefault(channel, _zero()), totals.setdefault(channel, _zero())):
                for k, v in delta.items():
                    cell[k] += v
        if pk in village_ids and population:
            miss = 1.0
            persons = 0
            for channel, by_status in counts.get(pk, {}).items():
                reached = sum(by_status[s] for s in REACHED)
                if channel in PLACE_CHANNELS:
                    if reached:
                        miss *= 1 - float(reach.get(channel, 0))
                else:
                    persons = max(persons, reached)
            share = min(1.0, persons / population)
            covered = population * (1 - miss * (1 - share))
            row["population"] += population
            row["covered"] += covered
            pop_total += population
            covered_total += covered
    for row in rows.values():
        for cell in row["channels"].values():
            cell["rate"] = cell["reached"] / cell["targeted"] if cell["targeted"] else None
        row["public_rate"] = row["covered"] / row["population"] if row["population"] else None
    for cell in totals.values():
        cell["rate"] = cell["reached"] / cell["targeted"] if cell["targeted"] else None
    empty.update(
        rows=sorted(rows.values(), key=lambda r: r["code"]),
        totals=totals,
        public={
            "population": int(pop_total),
            "covered": int(round(covered_total)),
            "rate": covered_total / pop_total if pop_total else None,
        },
    )
    empty["channels"] = list(dict.fromkeys([*channels, *totals]))
    return empty


def cell_delta(by_status: Counter, missing: int) -> dict:
    return {
        "targeted": sum(by_status.values()) + missing,
        "reached": sum(by_status[s] for s in REACHED),
        "failed": by_status[DeliveryStatus.FAILED] + missing,
        "queued": by_status[DeliveryStatus.QUEUED],
    }


def _zero() -> dict:
    return {"targeted": 0, "reached": 0, "failed": 0, "queued": 0}
