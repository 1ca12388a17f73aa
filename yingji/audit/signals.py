"""Every save and delete of a domain model is logged, whatever did it (UI, API, admin, command)."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from yingji.audit.choices import ChangeAction


def is_audited(model) -> bool:
    from yingji.framework.models import BaseModel

    return issubclass(model, BaseModel) or getattr(model, "audited", False)


def _pre_save(sender, instance, raw=False, **kwargs):
    from yingji.audit.services import snapshot

    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    from yingji.audit.services import record, snapshot

    if raw:
        return
    before = None if created else getattr(instance, "_audit_before", None)
    record(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, snapshot(instance))


def _post_delete(sender, instance, **kwargs):
    from yingji.audit.services import record, snapshot

    record(instance, ChangeAction.DELETE, snapshot(instance), None)


def connect():
    for model in apps.get_models():
        if is_audited(model):
            uid = f"audit-{model._meta.label_lower}"
            pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
            post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
            post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
