"""Writing the change log. Signals call :func:`record` for ordinary saves and deletes; code that
writes in bulk (imports, generators) calls :func:`record_bulk` with the objects it created."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from yingji.audit.choices import ChangeAction
from yingji.audit.context import current
from yingji.audit.models import ObjectChange


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # the stored name; an empty file field has no url to ask for
        return value.name or None
    return value


def snapshot(obj) -> dict:
    """The audited field values of ``obj`` (foreign keys by id), JSON-ready."""
    exclude = set(getattr(obj, "audit_exclude", ()))
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude:
            continue
        value = getattr(obj, f.attname)
        if hasattr(f, "from_db_value"):  # custom fields: compare in their Python form, as loaded
            value = f.to_python(value)
        data[f.attname] = _plain(value)
    return data


def object_place(obj):
    scope = getattr(type(obj), "scope", None)
    if scope is None or scope.place is None:
        return None
    if scope.place == "self":
        return obj if obj.pk else None
    value = obj
    for part in scope.place.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def object_place_id(obj):
    """The id of ``obj``'s place without loading it when the place is a direct foreign key."""
    scope = getattr(type(obj), "scope", None)
    if scope is not None and scope.place and scope.place != "self" and "__" not in scope.place:
        return getattr(obj, f"{scope.place}_id", None)
    place = object_place(obj)
    return getattr(place, "pk", None)


def _entry(obj, action, before, after, ctx, content_type=None) -> ObjectChange:
    actor = ctx.get_actor()
    place_id = object_place_id(obj)
    if (
        action == ChangeAction.DELETE
        and place_id is not None
        and place_id == obj.pk
        and type(obj).scope.place == "self"
    ):
        # a deleted place cannot be the place of its own log entry: file it under its parent
        place_id = getattr(obj, "parent_id", None)
    return ObjectChange(
        actor=actor if getattr(actor, "pk", None) else None,  # the system actor is not a user row
        actor_name=actor.get_username() if actor else "",
        source=ctx.source,
        ip=ctx.ip,
        request_id=ctx.request_id,
        action=action,
        content_type=content_type or ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        place_id=place_id,
        before=before,
        after=after,
    )


def record(obj, action: str, before: dict | None, after: dict | None) -> ObjectChange | None:
    """Log one change; an update that changed no audited field is not logged."""
    if action == ChangeAction.UPDATE and before == after:
        return None
    entry = _entry(obj, action, before, after, current())
    entry.save()
    return entry


_BULK_COLUMNS = (
    "time",
    "actor",
    "actor_name",
    "source",
    "ip",
    "request_id",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "place",
    "before",
    "after",
)


def record_bulk(objs, action: str = ChangeAction.CREATE, *, batch_size: int = 2000) -> int:
    """Log many creates (or deletes) at once, for bulk writers that bypass signals.

    Imports and the demo loader write hundreds of thousands of rows, so the entries go in as
    prepared rows with ``executemany`` (no model instance per entry); the values are the same
    ones :func:`record` writes.
    """
    objs = list(objs)
    if not objs:
        return 0
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connections, router
    from django.utils import timezone

    connection = connections[router.db_for_write(ObjectChange)]
    ops = connection.ops
    ctx = current()
    actor = ctx.get_actor()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_name = actor.get_username() if actor else ""
    ct_id = ContentType.objects.get_for_model(type(objs[0])).pk
    now = ops.adapt_datetimefield_value(timezone.now())
    creating = action == ChangeAction.CREATE

    def json_value(data):
        return None if data is None else ops.adapt_json_value(data, DjangoJSONEncoder)

    rows = []
    for o in objs:
        snap = snapshot(o)
        rows.append(
            (
                now,
                actor_id,
                actor_name,
                ctx.source,
                ctx.ip,
                ctx.request_id,
                action,
                ct_id,
                str(o.pk),
                str(o)[:200],
                object_place_id(o),
                json_value(None if creating else snap),
                json_value(snap if creating else None),
            )
        )
    meta = ObjectChange._meta
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in _BULK_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_BULK_COLUMNS))
    table = ops.quote_name(meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - model names; values bound
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[i : i + batch_size])
    return len(rows)


def history_of(obj):
    """Change-log entries of one object, newest first."""
    ct = ContentType.objects.get_for_model(type(obj))
    return ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
