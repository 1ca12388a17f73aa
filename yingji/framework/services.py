"""Generic write services used when a domain object has no special rules.

Domain apps write their own verb-named services (``save_enterprise`` …) for objects with rules and
may call these for the plain part. Every write checks scope inside and runs in one transaction;
the change log is written by the audit signals inside the same transaction.
"""

from django.db import transaction

from yingji.framework.access import check_object


@transaction.atomic
def save_object(obj, *, actor, validate: bool = True):
    """Create or update ``obj`` after checking that ``actor`` may (scope of the new values)."""
    action = "add" if obj._state.adding else "change"
    if validate:
        obj.full_clean()
    check_object(actor, action, obj)
    obj.save()
    return obj


@transaction.atomic
def delete_object(obj, *, actor):
    check_object(actor, "delete", obj)
    obj.delete()
