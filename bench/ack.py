"""Benchmark: call-and-respond acknowledgements the system absorbs (issue #6, target ≥ 1,000/s).

* ``ack_per_s`` — answers through the API, ``POST /api/v1/warning-acks/by-token/`` (what the SMS link
  and apps call), from ``BENCH_ACK_CLIENTS`` concurrent clients (threads with their own database
  connection, Django's test client: the full middleware, DRF and the service, no HTTP server), each
  answer one transaction (row lock, update, change-log entry). The endpoint's per-IP throttle is
  switched off for the run (all clients share one address).
* ``ack_service_per_s`` — the same through :func:`yingji.warnings.response.acknowledge_by_token`
  in one thread (the floor without the web layer).

Data: the demo region tree, one published warning, ``BENCH_ACKS`` (default 20,000) acknowledgement rows
over the villages, half per figure. SQLite file database in a temporary directory (the embedded
default), removed afterwards. Run: ``python bench/ack.py`` or ``make bench BENCH_ARGS=ack``.
"""

import os
import shutil
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django  # noqa: E402

ACKS = int(os.environ.get("BENCH_ACKS", "20000"))
CLIENTS = int(os.environ.get("BENCH_ACK_CLIENTS", "4"))


def _data():
    import datetime as dt

    from django.utils import timezone

    from yingji.audit.context import change_context
    from yingji.demo.generator import _Builder
    from yingji.places.models import Place
    from yingji.warnings.models import Warning
    from yingji.warnings.models_response import Acknowledgement

    with change_context("command"):
        _Builder(2026).places()
    villages = list(Place.objects.filter(level="village").values_list("id", flat=True))
    now = timezone.now()
    warning = Warning.objects.create(
        identifier="32060000000000_20260701080000_1",
        warning_type="rainstorm",
        level="red",
        headline="暴雨红色预警",
        description="—",
        effective_at=now,
        expires_at=now + dt.timedelta(hours=6),
        sent_at=now,
        status="published",
        place=Place.objects.get(level="city"),
    )
    rows = [
        Acknowledgement(
            warning=warning,
            place_id=villages[i % len(villages)],
            tier="village",
            name=f"网格员{i}",
            called_at=now,
            due_at=now + dt.timedelta(minutes=10),
        )
        for i in range(ACKS)
    ]
    Acknowledgement.objects.bulk_create(rows, batch_size=2000)
    return list(Acknowledgement.objects.order_by("id").values_list("token", flat=True))


def run() -> dict:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from yingji.warnings import response
    from yingji.warnings.api.response_views import AckByTokenView
    from yingji.warnings.models_response import Acknowledgement

    data_dir = Path(settings.DATA_DIR)
    try:
        tokens = _data()
        half = len(tokens) // 2
        service_tokens, api_tokens = tokens[:half], tokens[half:]

        start = time.perf_counter()
        for token in service_tokens:
            response.acknowledge_by_token(token)
        service = len(service_tokens) / (time.perf_counter() - start)

        AckByTokenView.throttle_classes = []
        errors = []
        shares = [api_tokens[i::CLIENTS] for i in range(CLIENTS)]
        Client().post("/api/v1/warning-acks/by-token/", {"token": "warm-up"}, content_type="application/json")

        def worker(share):
            from django.db import connection as conn

            client = Client()
            try:
                for token in share:
                    answer = client.post(
                        "/api/v1/warning-acks/by-token/", {"token": token}, content_type="application/json"
                    )
                    if answer.status_code != 200:
                        errors.append(answer.status_code)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        answered = Acknowledgement.objects.filter(acknowledged_at__isnull=False).count()
        assert not errors, errors[:5]
        assert answered == len(tokens), answered
    finally:
        connection.close()
        if "yingji-bench-" in str(data_dir):
            shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "ack_per_s": {
            "value": len(api_tokens) / elapsed,
            "unit": "acks/s",
            "n": len(api_tokens),
            "clients": CLIENTS,
            "via": "api",
            "db": "sqlite",
        },
        "ack_service_per_s": {"value": service, "unit": "acks/s", "n": len(service_tokens), "db": "sqlite"},
    }


if __name__ == "__main__":
    for key, fig in run().items():
        print(f"{key:<22} {fig['value']:>10,.1f} {fig['unit']}  n={fig['n']:,}")
