from django.db import connection
from django.http import JsonResponse


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        return {"ok": False, "error": str(exc)[:200]}


def _queue() -> dict:
    try:
        from huey.contrib.djhuey import HUEY

        return {"ok": True, "backend": type(HUEY.storage).__name__, "pending": HUEY.pending_count()}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)[:200]}


def healthz(request):
    """Liveness and dependencies: database and task queue. 200 when both answer, else 503."""
    checks = {"database": _database(), "queue": _queue()}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "unhealthy", **checks}, status=200 if ok else 503)
