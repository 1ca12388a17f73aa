"""Masking of personal data (F4 数据分类分级): mobiles and ID numbers are shown masked to users
without clearance, in pages, API responses, exports and change history alike.

A model lists its personal fields as ``personal_fields = {"field": "mobile" | "resident_id"}``.
"""

from yingji.framework.access import has_clearance
from yingji.utilities.identifiers import mask_mobile, mask_resident_id

MASKERS = {"mobile": mask_mobile, "resident_id": mask_resident_id, "phone": mask_mobile}


def personal_fields(model) -> dict:
    return getattr(model, "personal_fields", {})


def mask_value(kind: str, value):
    if value in (None, ""):
        return value
    return MASKERS[kind](str(value))


def display_value(user, model, field: str, value):
    """``value`` of ``model.field`` as ``user`` may see it."""
    kind = personal_fields(model).get(field)
    if kind and not has_clearance(user):
        return mask_value(kind, value)
    return value


def mask_dict(user, model, data: dict) -> dict:
    """A copy of a field→value dict (serializer output, change-log snapshot) masked for ``user``."""
    fields = personal_fields(model)
    if not fields or has_clearance(user):
        return data
    out = dict(data)
    for name, kind in fields.items():
        if name in out:
            out[name] = mask_value(kind, out[name])
    return out


def keep_unchanged_masked(instance, data: dict) -> dict:
    """Drop submitted personal values that are just the masked form of the stored value.

    A user without clearance sees "138****5678"; sending it back unchanged must not overwrite the
    real number.
    """
    if instance is None or instance.pk is None:
        return data
    fields = personal_fields(type(instance))
    out = dict(data)
    for name, kind in fields.items():
        if name in out:
            current = getattr(instance, name)
            if current and out[name] == mask_value(kind, current):
                out.pop(name)
    return out
