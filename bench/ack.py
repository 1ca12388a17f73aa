"""Benchmark: call-and-respond acknowledgements the system absorbs (issue #6, target ≥ 1,000/s).

* ``ack_per_s`` — the intake rate the system reaches: the batch figure below (answers relayed in bulk
  by the SMS/voice carrier or the 政务微信 gateway are how most answers arrive at once).
* ``ack_batch_per_s`` — answers over HTTP through ``POST /api/v1/warning-acks/by-token/batch/``:
  ``BENCH_ACK_BATCH_CLIENTS`` (4) gateway connections, each posting batches of ``BENCH_ACK_BATCH``
  (500) answers (token, reply time, via) with an integration account's API token (a duty officer at
  the city). Every batch is one transaction: one set-based UPDATE … RETURNING and one change-log
  ``executemany``.
* ``ack_http_single_per_s`` — one answer per request: ``POST /api/v1/warning-acks/by-token/`` (what
  the SMS link and apps call) from ``BENCH_ACK_CLIENTS`` concurrent keep-alive connections. Every
  answer is one transaction: the conditional UPDATE and one change-log row. The endpoint's per-IP
  throttle (120/min) stays on: every connection comes from its own loopback address (127.0.x.y) and
  answers at most ``BENCH_ACK_PER_IP`` tokens before the next connection takes a new address, so no
  answer is throttled (any non-200 fails the run).
* ``ack_service_per_s`` — :func:`yingji.warnings.response.acknowledge_by_token` in one thread, no web
  layer (the floor of the database work per single answer).
* ``ack_pg_*`` — the same on PostgreSQL (``BENCH_POSTGRES``, a throwaway database), when it is
  reachable and ``BENCH_ACK_PG`` is not ``0``.

Both HTTP figures run against gunicorn started as ``yingji serve`` starts it (``--workers 3 --threads
2 --preload``, access log on), driven by one asyncio load generator on the same machine.

Data: the demo region tree, one published warning, ``BENCH_ACKS`` (default 40,000) acknowledgement
rows over the villages: ``BENCH_ACK_SERVICE`` (5,000) are answered through the service,
``BENCH_ACK_SINGLE`` (10,000) one per request, the rest in batches. SQLite file database (the embedded
default: WAL, one writer at a time) in a temporary directory, removed afterwards. Run:
``python bench/ack.py`` or ``make bench BENCH_ARGS=ack``.
"""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import postgres_url, setup_django  # noqa: E402

ACKS = int(os.environ.get("BENCH_ACKS", "40000"))
SERVICE = int(os.environ.get("BENCH_ACK_SERVICE", "5000"))
SINGLE = int(os.environ.get("BENCH_ACK_SINGLE", "10000"))
BATCH = int(os.environ.get("BENCH_ACK_BATCH", "500"))
BATCH_CLIENTS = int(os.environ.get("BENCH_ACK_BATCH_CLIENTS", "4"))
BATCH_PATH = "/api/v1/warning-acks/by-token/batch/"
CLIENTS = int(os.environ.get("BENCH_ACK_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_ACK_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_ACK_THREADS", "2"))
PER_IP = int(os.environ.get("BENCH_ACK_PER_IP", "100"))
PATH = "/api/v1/warning-acks/by-token/"
#: Persistent database connections of the web workers on SQLite (seconds; "0" = a new connection per
#: request, the settings' default for SQLite). Set through DATABASE_URL's ``conn_max_age``.
CONN_MAX_AGE = os.environ.get("BENCH_ACK_CONN_MAX_AGE", "60")


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


def _gateway_key() -> str:
    """The carrier's integration account (a duty officer at the city) and its API token."""
    from rest_framework.authtoken.models import Token

    from yingji.accounts.models import RoleAssignment, User
    from yingji.places.models import Place

    user = User.objects.create_user("sms-gateway", password=None)
    RoleAssignment.objects.create(user=user, role="duty_officer", place=Place.objects.get(level="city"))
    return Token.objects.create(user=user).key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _source_addresses():
    """127.0.1.1, 127.0.1.2, … — a new loopback address per connection (the throttle is per IP)."""
    n = 256
    while True:
        n += 1
        if n & 255:
            yield f"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


_ADDRESSES = _source_addresses()  # never one address twice in a run


async def _answer_all(port: int, shares: list[list[str]]) -> Counter:
    """One answer per request: ``{"token": …}`` to the single-answer endpoint."""
    bodies = [[json.dumps({"token": token}).encode() for token in share] for share in shares]
    statuses, _answers = await _post_all(port, PATH, bodies)
    return statuses


async def _post_all(port: int, path: str, shares: list[list[bytes]], headers: bytes = b"", keep=False):
    """POST every body of every share, one keep-alive connection per share (a new loopback address
    every ``PER_IP`` requests); returns the status counts and, with ``keep``, the decoded answers."""
    statuses = Counter()
    answers = []
    addresses = _ADDRESSES

    async def connect():
        return await asyncio.open_connection("127.0.0.1", port, local_addr=(next(addresses), 0))

    async def client(bodies):
        reader, writer = await connect()
        used = 0
        for body in bodies:
            if used >= PER_IP:
                writer.close()
                reader, writer = await connect()
                used = 0
            writer.write(
                b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n%s"
                b"Content-Length: %d\r\n\r\n%s" % (path.encode(), headers, len(body), body)
            )
            status = int((await reader.readline()).split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            content = await reader.readexactly(length)
            if keep:
                answers.append(json.loads(content))
            statuses[status] += 1
            used += 1
            if close:
                writer.close()
                reader, writer = await connect()
                used = 0
        writer.close()

    await asyncio.gather(*(client(share) for share in shares))
    return statuses, answers


def _batch_bodies(tokens: list[str]) -> list[list[bytes]]:
    """The gateway's requests: batches of ``BATCH`` answers (token, reply time, via), dealt round-robin
    to ``BATCH_CLIENTS`` connections."""
    import datetime as dt

    at = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    vias = ("sms", "voice", "wechat")
    batches = [
        json.dumps(
            {
                "answers": [
                    {"token": t, "at": at, "via": vias[j % 3]} for j, t in enumerate(tokens[i : i + BATCH])
                ]
            }
        ).encode()
        for i in range(0, len(tokens), BATCH)
    ]
    return [batches[i::BATCH_CLIENTS] for i in range(BATCH_CLIENTS)]


def _serve(data_dir: str, database_url: str | None):
    """gunicorn as ``yingji serve`` runs it (web part), on a free port; returns (process, port)."""
    port = _free_port()
    env = dict(
        os.environ, YINGJI_DATA_DIR=data_dir, YINGJI_MODE="demo", YINGJI_TESTING="0", LOG_LEVEL="WARNING"
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    elif CONN_MAX_AGE != "0":
        env["DATABASE_URL"] = f"sqlite:///{data_dir}/yingji.sqlite3?conn_max_age={CONN_MAX_AGE}"
    bin_dir = os.path.dirname(sys.executable)
    proc = subprocess.Popen(
        [
            os.path.join(bin_dir, "gunicorn"),
            "yingji.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--no-control-socket",
            "--preload",
        ],
        cwd=str(Path(__file__).resolve().parent.parent),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return proc, port
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the gunicorn master and its workers)."""
    total = 0.0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _measure(database_url: str | None) -> dict:
    vendor = setup_django(database_url)
    from django.conf import settings
    from django.db import connection

    from yingji.warnings import response
    from yingji.warnings.models_response import Acknowledgement

    data_dir = str(settings.DATA_DIR)
    proc = None
    try:
        tokens = _data()
        key = _gateway_key()
        service_tokens = tokens[:SERVICE]
        http_tokens = tokens[SERVICE : SERVICE + SINGLE]
        batch_tokens = tokens[SERVICE + SINGLE :]

        start = time.perf_counter()
        for token in service_tokens:
            response.acknowledge_by_token(token)
        service = len(service_tokens) / (time.perf_counter() - start)
        connection.close()

        proc, port = _serve(data_dir, database_url)
        # warm-up: every worker thread resolves URLs and opens its first connection
        warm = asyncio.run(_answer_all(port, [["warm-up"] * 20 for _ in range(CLIENTS)]))
        assert set(warm) == {400}, warm
        shares = [http_tokens[i::CLIENTS] for i in range(CLIENTS)]
        single = _timed(proc, lambda: asyncio.run(_answer_all(port, shares)), len(http_tokens))
        assert single.pop("result") == Counter({200: len(http_tokens)}), single

        auth = b"Authorization: Token %s\r\n" % key.encode()
        warm_body = json.dumps({"answers": [{"token": "warm-up", "via": "sms"}] * BATCH}).encode()
        warm = asyncio.run(_post_all(port, BATCH_PATH, [[warm_body] * 6 for _ in range(BATCH_CLIENTS)], auth))
        assert set(warm[0]) == {200}, warm[0]
        bodies = _batch_bodies(batch_tokens)
        batch = _timed(
            proc, lambda: asyncio.run(_post_all(port, BATCH_PATH, bodies, auth, keep=True)), len(batch_tokens)
        )
        statuses, answers = batch.pop("result")
        assert statuses == Counter({200: sum(map(len, bodies))}), statuses
        accepted = sum(a["accepted"] for a in answers)
        assert accepted == len(batch_tokens), answers[:1]
        answered = Acknowledgement.objects.filter(acknowledged_at__isnull=False).count()
        assert answered == len(tokens), answered
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        connection.close()
        if "yingji-bench-" in data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    prefix = "ack" if vendor == "sqlite" else "ack_pg"
    common = {
        "unit": "acks/s",
        "via": "http",
        "server": f"gunicorn {WORKERS}x{THREADS}",
        "conn_max_age": CONN_MAX_AGE if vendor == "sqlite" else "60",
        "db": vendor,
    }
    batch_figure = {**common, **batch, "clients": BATCH_CLIENTS, "batch": BATCH, "n": len(batch_tokens)}
    return {
        f"{prefix}_per_s": {**batch_figure, "figure": "batch intake (see ack_batch_per_s)"},
        f"{prefix}_batch_per_s": batch_figure,
        f"{prefix}_http_single_per_s": {**common, **single, "clients": CLIENTS, "n": len(http_tokens)},
        f"{prefix}_service_per_s": {
            "value": service,
            "unit": "acks/s",
            "n": len(service_tokens),
            "db": vendor,
        },
    }


def _timed(proc, work, n: int) -> dict:
    """Run ``work`` and measure answers per second, load and CPU per answer (server, load generator)."""
    load_before = os.getloadavg()[0]
    server_cpu, client_cpu = _cpu_seconds(proc.pid), time.process_time()
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    server_cpu, client_cpu = _cpu_seconds(proc.pid) - server_cpu, time.process_time() - client_cpu
    return {
        "result": result,
        "value": n / elapsed,
        "seconds": round(elapsed, 2),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "server_cpu_ms": round(server_cpu * 1000 / n, 3),
        "client_cpu_ms": round(client_cpu * 1000 / n, 3),
    }


def _postgres_figures() -> dict:
    """The PostgreSQL figures, measured in a child process (Django is configured once per process)."""
    if os.environ.get("BENCH_ACK_PG", "1") == "0":
        return {}
    child = subprocess.run(
        [sys.executable, __file__, "--postgres-json"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if child.returncode != 0:
        return {}
    return json.loads(child.stdout.strip().splitlines()[-1])


def run() -> dict:
    figures = _postgres_figures()
    return {**_measure(None), **figures}


if __name__ == "__main__":
    if sys.argv[1:] == ["--postgres-json"]:
        url = postgres_url("yingji_bench_ack")
        if url is None:
            sys.exit(1)
        try:
            print(json.dumps(_measure(url)))
        finally:
            import psycopg

            base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "yingji_bench_ack" WITH (FORCE)')
        sys.exit(0)
    for key, fig in run().items():
        extra = (
            f"  clients={fig['clients']}{' batch=' + str(fig['batch']) if 'batch' in fig else ''} {fig['server']}"
            f" conn_max_age={fig['conn_max_age']} load={fig['load']}"
            f" cpu/answer: server {fig['server_cpu_ms']} ms, load generator {fig['client_cpu_ms']} ms"
            if "clients" in fig
            else ""
        )
        print(f"{key:<28} {fig['value']:>10,.1f} {fig['unit']}  n={fig['n']:,} db={fig['db']}{extra}")
