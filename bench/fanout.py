"""Benchmark: warning fan-out to 1,000,000 recipients on the embedded default database (issue #6).

* ``fanout_total_s`` — :func:`yingji.warnings.fanout.run_fanout` of one city-wide warning to the
  public subscribers: take the lease, open call-and-respond, resolve the area (1,917 villages) and the
  recipients (one set-based read, normalise, de-duplicate by channel and address), order them
  (``fanout.send_order``: subscribers in address tiles), write one ``messaging.Delivery`` per
  recipient in batches of ``FANOUT_BATCH`` (200,000) with ``INSERT OR IGNORE`` / ``ON CONFLICT DO
  NOTHING`` and the job's cursor in the same transaction. The hand-over to the senders (one task per 1,000 deliveries) is not
  timed: it only enqueues ids, the sends depend on the carriers.
* ``fanout_deliveries_per_s`` — deliveries written ÷ ``fanout_total_s`` (target ≥ 50,000/s).
* ``raw_bulk_insert_per_s`` — the same 1,000,000 delivery rows, prepared in memory, inserted by a bare
  ``executemany`` (``FANOUT_BATCH`` rows per transaction, the same page cache, in the order the
  fan-out wrote them) into the same table of the same database (all its indexes), for the ratio.

Data: the demo region tree and ``BENCH_FANOUT_RECIPIENTS`` (default 1,000,000) confirmed SMS
subscriptions spread over the villages, written with ``executemany`` (not timed). SQLite file database
in a temporary directory (the embedded default, WAL, synchronous=NORMAL), removed afterwards.
Run: ``python bench/fanout.py`` or ``make bench BENCH_ARGS=fanout``. ``BENCH_FANOUT_DB=postgres`` measures
on PostgreSQL instead (``BENCH_POSTGRES``, a throwaway database; figures ``fanout_pg_*``).
"""

import os
import shutil
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import postgres_url, setup_django  # noqa: E402

RECIPIENTS = int(os.environ.get("BENCH_FANOUT_RECIPIENTS", "1000000"))


def _load_places(seed: int = 2026) -> list[int]:
    from yingji.audit.context import change_context
    from yingji.demo.generator import _Builder
    from yingji.places.models import Place

    with change_context("command"):
        _Builder(seed).places()
    return list(Place.objects.filter(level="village").order_by("id").values_list("id", flat=True))


def _subscribers(villages: list[int]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        "INSERT INTO warnings_subscription (created, updated, place_id, channel, address, name, confirmed, "
        "confirmed_at, confirm_code, active, token) VALUES (%s, %s, %s, 'sms', %s, '', TRUE, %s, '000000', TRUE, %s)"
    )
    n = len(villages)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, RECIPIENTS, 100_000):
            rows = [
                (stamp, stamp, villages[i % n], f"1{3 + i % 7}{i:09d}", stamp, f"bench{i}")
                for i in range(start, min(start + 100_000, RECIPIENTS))
            ]
            cursor.executemany(sql, rows)


def _warning(city):
    import datetime as dt

    from django.utils import timezone

    from yingji.warnings.models import Warning

    now = timezone.now()
    return Warning.objects.create(
        identifier="32060000000000_20260701080000_0",
        warning_type="rainstorm",
        level="red",
        headline="南通市气象台发布暴雨红色预警信号",
        description="预计未来3小时全市降雨量将达100毫米以上。",
        effective_at=now,
        expires_at=now + dt.timedelta(hours=6),
        sent_at=now,
        status="published",
        place=city,
        target_groups=["subscribers"],
        channels=["sms"],
    )


PG_NAME = "yingji_bench_fanout"


def run() -> dict:
    url = postgres_url(PG_NAME) if os.environ.get("BENCH_FANOUT_DB") == "postgres" else None
    if os.environ.get("BENCH_FANOUT_DB") == "postgres" and url is None:
        raise RuntimeError("PostgreSQL is not reachable (BENCH_POSTGRES)")
    vendor = setup_django(url)
    from django.conf import settings
    from django.db import connection, transaction

    from yingji.messaging.models import Delivery, Message
    from yingji.places.models import Place
    from yingji.warnings import fanout
    from yingji.warnings.models_response import FanoutJob

    data_dir = Path(settings.DATA_DIR) if hasattr(settings, "DATA_DIR") else None
    try:
        villages = _load_places()
        _subscribers(villages)
        warning = _warning(Place.objects.get(level="city"))
        job = FanoutJob.objects.create(warning=warning)
        from django.urls import reverse

        reverse("warnings:response_board")  # load the URL configuration, as a running worker has

        start = time.perf_counter()
        outcome = fanout.run_fanout(job.pk, dispatch=False)
        total = time.perf_counter() - start
        assert outcome == fanout.DONE
        job.refresh_from_db()
        written = Delivery.objects.filter(message_id=job.message_id).count()
        assert written == RECIPIENTS, (written, RECIPIENTS)

        # the same rows, prepared in memory, by a bare executemany into the same table
        other = Message.objects.create(subject="raw", place=warning.place)
        rows = list(
            Delivery.objects.filter(message_id=job.message_id)
            .order_by("id")
            .values_list("channel", "address", "user_id", "person_id", "place_id")
        )
        stamp = connection.ops.adapt_datetimefield_value(warning.sent_at)
        params = [(stamp, stamp, other.pk, c, a, u, p, pl, "queued", 0, "", "") for c, a, u, p, pl in rows]
        sql = (
            "INSERT INTO messaging_delivery (created, updated, message_id, channel, address, user_id, person_id, "
            "place_id, status, attempts, last_error, provider_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, %s)"
        )
        from yingji.warnings import conf_response

        batch = conf_response.get("FANOUT_BATCH")
        with fanout._sqlite_cache():  # the same page cache as the fan-out
            start = time.perf_counter()
            for i in range(0, len(params), batch):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, params[i : i + batch])
            raw = time.perf_counter() - start
    finally:
        connection.close()
        if data_dir is not None and "yingji-bench-" in str(data_dir):
            shutil.rmtree(data_dir, ignore_errors=True)
        if url:
            _drop_postgres()
    pg = "" if vendor == "sqlite" else "_pg"
    return {
        f"fanout{pg}_deliveries_per_s": {
            "value": written / total,
            "unit": "rows/s",
            "n": written,
            "db": vendor,
        },
        f"fanout{pg}_total_s": {"value": total, "unit": "s", "n": written, "db": vendor},
        f"raw{pg}_bulk_insert_per_s": {
            "value": len(params) / raw,
            "unit": "rows/s",
            "n": len(params),
            "db": vendor,
        },
    }


def _drop_postgres() -> None:
    import psycopg

    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    for key, fig in run().items():
        print(f"{key:<28} {fig['value']:>14,.1f} {fig['unit']}  n={fig['n']:,}")
