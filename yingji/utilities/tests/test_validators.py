"""The Django wrappers turn IdentifierError into ValidationError with the same code and message."""

import pytest
from django.core.exceptions import ValidationError

from yingji.utilities import validators
from yingji.utilities.identifiers import IdentifierError, validate_uscc


@pytest.mark.parametrize(
    ("validator", "good", "bad", "code"),
    [
        (validators.uscc_validator, "91350100M000100Y43", "91350100M000100Y42", "uscc_checksum"),
        (validators.resident_id_validator, "11010519491231002x", "110105194912310021", "rid_checksum"),
        (validators.mobile_validator, "+86 13812345678", "12812345678", "mobile_format"),
        (validators.landline_validator, "0513-85123456", "85123456", "landline_format"),
        (validators.region_code_validator, "320508019044", "32050801904", "region_code_format"),
    ],
)
def test_validator(validator, good, bad, code):
    assert validator(good) is None
    with pytest.raises(ValidationError) as info:
        validator(bad)
    assert info.value.code == code


def test_message_passed_through():
    with pytest.raises(IdentifierError) as expected:
        validate_uscc("91350100M000100Y4")
    with pytest.raises(ValidationError) as info:
        validators.uscc_validator("91350100M000100Y4")
    assert info.value.messages == [expected.value.message]


def test_validators_are_importable_by_path():
    # Migrations serialise validators by module path and qualified name.
    for name in validators.__all__:
        func = getattr(validators, name)
        assert func.__module__ == "yingji.utilities.validators" and func.__qualname__ == name
