"""Django field validators wrapping :mod:`yingji.utilities.identifiers`.

Each validator re-raises :class:`~yingji.utilities.identifiers.IdentifierError` as
:class:`django.core.exceptions.ValidationError` with the same Chinese message and stable code.
They are module-level functions so that model migrations can serialise them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from . import identifiers
from .identifiers import IdentifierError

__all__ = [
    "uscc_validator",
    "resident_id_validator",
    "mobile_validator",
    "landline_validator",
    "region_code_validator",
]


def _run(check, value) -> None:
    try:
        check(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc


def uscc_validator(value) -> None:
    """Validate a 统一社会信用代码."""
    _run(identifiers.validate_uscc, value)


def resident_id_validator(value) -> None:
    """Validate a 居民身份证号码."""
    _run(identifiers.validate_resident_id, value)


def mobile_validator(value) -> None:
    """Validate a mainland mobile number."""
    _run(identifiers.validate_mobile, value)


def landline_validator(value) -> None:
    """Validate a landline number with area code."""
    _run(identifiers.validate_landline, value)


def region_code_validator(value) -> None:
    """Validate a 12-digit 统计用区划代码."""
    _run(identifiers.validate_region_code, value)
