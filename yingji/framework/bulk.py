"""Fast inserts of many new rows: one prepared INSERT run with ``executemany``.

Django's ``bulk_create`` prepares every value of every row through ``Field.get_db_prep_save`` and
builds one SQL statement per batch — on SQLite (999 bound variables per statement) a batch is about
50 rows of a 20-column model. For imports of 100,000 rows that is the largest cost of the write.
:func:`insert_rows` binds one statement once and hands all rows to the driver; only values that
need it are prepared (datetimes, JSON, custom fields such as ``FlagsField``), plain ``str``, ``int``,
``float``, ``bool`` and ``None`` go to the driver as they are.

The new primary keys are read back by a unique natural key (one query per 500 keys), so the
instances can be logged (``yingji.audit.services.record_bulk``) and referred to afterwards. Like
``bulk_create`` it sends no signals and calls no ``save()``; the caller owns the transaction.
Works on SQLite and PostgreSQL (the cursor wrapper takes ``%s`` placeholders on both).
"""

from __future__ import annotations

from django.db import connections, models, router
from django.utils import timezone

#: Django field classes and the value types they pass to the driver unchanged (None always is).
_PLAIN_FIELDS = (
    (models.CharField, frozenset({str})),
    (models.TextField, frozenset({str})),
    (models.IntegerField, frozenset({int})),
    (models.FloatField, frozenset({float, int})),
    (models.BooleanField, frozenset({bool})),
    (models.ForeignKey, frozenset({int, str})),
)
#: Keys read back per query (SQLite accepts at most 999 bound variables per statement).
_KEYS_PER_QUERY = 500


def _plain_types(field) -> frozenset:
    """Value types whose database preparation by this field is the value itself.

    Only for Django's own classes (and their Django subclasses such as EmailField,
    PositiveIntegerField); a project's custom field may override ``get_prep_value`` and its values
    are always prepared.
    """
    cls = type(field)
    if not cls.__module__.startswith("django.db.models"):
        return frozenset()
    for base, types in _PLAIN_FIELDS:
        if issubclass(cls, base):
            return types | {type(None)}
    return frozenset()


def insert_rows(model, objs, *, key: str, batch_size: int = 2000) -> list:
    """INSERT the new instances ``objs`` of ``model`` and set their primary keys.

    ``key`` names a unique field (e.g. ``"uscc"``) by which the new rows' ids are read back; every
    instance must carry a distinct value for it. ``auto_now`` / ``auto_now_add`` fields are filled
    with the current time (on the instances too). Returns ``objs``.
    """
    objs = list(objs)
    if not objs:
        return objs
    meta = model._meta
    key_field = meta.get_field(key)
    if not (key_field.unique or key_field.primary_key):
        raise ValueError(f"insert_rows: {model.__name__}.{key} is not unique")
    db = router.db_for_write(model)
    connection = connections[db]
    ops = connection.ops
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not (f is pk and isinstance(f, models.AutoField))]
    now = timezone.now()
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f in stamped:
        for obj in objs:
            setattr(obj, f.attname, now)
    columns = [(f, f.attname, _plain_types(f)) for f in fields]
    prepared_now = {f.attname: f.get_db_prep_save(now, connection) for f in stamped}

    rows = []
    for obj in objs:
        values = []
        for f, attname, plain in columns:
            value = getattr(obj, attname)
            if type(value) in plain:
                values.append(value)
            elif attname in prepared_now and value is now:
                values.append(prepared_now[attname])
            else:
                values.append(f.get_db_prep_save(value, connection))
        rows.append(values)

    table = ops.quote_name(meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - model names; values bound
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[i : i + batch_size])

    keys = [getattr(obj, key_field.attname) for obj in objs]
    select = (
        f"SELECT {ops.quote_name(key_field.column)}, {ops.quote_name(pk.column)} FROM {table} "  # noqa: S608
        f"WHERE {ops.quote_name(key_field.column)} IN "
    )
    by_key = {}
    with connection.cursor() as cursor:
        for i in range(0, len(keys), _KEYS_PER_QUERY):
            batch = keys[i : i + _KEYS_PER_QUERY]
            params = [key_field.get_db_prep_value(k, connection) for k in batch]
            cursor.execute(select + "(" + ", ".join(["%s"] * len(params)) + ")", params)
            for stored_key, stored_pk in cursor.fetchall():
                by_key[key_field.to_python(stored_key)] = pk.to_python(stored_pk)
    for obj, k in zip(objs, keys, strict=True):
        obj.pk = by_key[k]
        obj._state.adding = False
        obj._state.db = db
    return objs
