from django.core.exceptions import ValidationError


def field_error(field: str, message, code: str) -> ValidationError:
    """A ValidationError for one field that keeps its stable ``code`` (the API shows it per field)."""
    return ValidationError({field: ValidationError(message, code=code)})


def protected_message(exc, obj=None) -> str:
    """Why a record cannot be deleted, naming what still refers to it: "“甲”仍被其他记录引用，不能删除：
    检查结果 3 条。" (from a ``ProtectedError``'s objects, counted by kind)."""
    from collections import Counter

    from django.utils.translation import gettext as _

    kinds = Counter(str(type(o)._meta.verbose_name) for o in getattr(exc, "protected_objects", ()) or ())
    refs = _("、").join(_("%(kind)s %(n)s 条") % {"kind": kind, "n": n} for kind, n in kinds.most_common())
    if obj is None:
        return _("该记录仍被其他记录引用，不能删除：%(refs)s。") % {"refs": refs}
    return _("“%(obj)s”仍被其他记录引用，不能删除：%(refs)s。") % {"obj": obj, "refs": refs}
