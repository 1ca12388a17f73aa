"""Writing the change log. Signals call :func:`record` for ordinary saves and deletes; code that
writes in bulk (imports, generators) calls :func:`record_bulk` with the objects it created."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

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
    if hasattr(value, "name") and hasattr(value, "url"):  # files
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


def _entry(obj, action, before, after, ctx, content_type=None) -> ObjectChange:
    actor = ctx.get_actor()
    place = object_place(obj)
    if action == ChangeAction.DELETE and place is obj:
        # a deleted place cannot be the place of its own log entry: file it under its parent
        place = obj.parent if getattr(obj, "parent_id", None) else None
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
        place_id=getattr(place, "pk", None),
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


def record_bulk(objs, action: str = ChangeAction.CREATE) -> int:
    """Log many creates (or deletes) at once, for bulk writers that bypass signals."""
    objs = list(objs)
    if not objs:
        return 0
    ctx = current()
    ct = ContentType.objects.get_for_model(type(objs[0]))
    entries = [
        _entry(
            o,
            action,
            None if action == ChangeAction.CREATE else snapshot(o),
            snapshot(o) if action == ChangeAction.CREATE else None,
            ctx,
            ct,
        )
        for o in objs
    ]
    ObjectChange.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def history_of(obj):
    """Change-log entries of one object, newest first."""
    ct = ContentType.objects.get_for_model(type(obj))
    return ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
