"""Tests for yingji.utilities.identifiers against independently known answers (domain facts §8)."""

import datetime
import random
import subprocess
import sys

import pytest

from yingji.utilities import identifiers as ids
from yingji.utilities.identifiers import IdentifierError

# Independent reference implementations, transcribed from the domain facts, not from the module.
CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def ref_uscc_check(first17: str) -> str:
    return CH[(31 - sum(CH.index(c) * w for c, w in zip(first17, W, strict=True)) % 31) % 31]


def ref_org_check(first8: str) -> str:
    values = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    c = 11 - sum(values.index(ch) * w for ch, w in zip(first8, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def ref_rid_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def error_code(func, value, **kwargs) -> str:
    with pytest.raises(IdentifierError) as info:
        func(value, **kwargs)
    assert info.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    return info.value.code


# --- 统一社会信用代码 -------------------------------------------------------------------------


def test_uscc_worked_example_valid():
    assert ids.validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert ids.uscc_check_char("91350100M000100Y4") == "3"
    assert ids.org_code_check_char("M000100Y") == "4"


def test_uscc_worked_example_invalid():
    with pytest.raises(IdentifierError):
        ids.validate_uscc("91350100M000100Y4Z")


def test_uscc_normalises_lower_case_and_whitespace():
    assert ids.validate_uscc("  91350100m000100y43 ") == "91350100M000100Y43"
    assert ids.validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_uscc_length():
    assert error_code(ids.validate_uscc, "91350100M000100Y4") == "uscc_length"
    with pytest.raises(IdentifierError) as info:
        ids.validate_uscc("91350100M000100Y4")
    assert "18位" in info.value.message and "17位" in info.value.message
    assert error_code(ids.validate_uscc, "") == "uscc_length"
    assert error_code(ids.validate_uscc, None) == "uscc_length"
    assert error_code(ids.validate_uscc, "91350100M000100Y433") == "uscc_length"


@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y4Z",  # Z is excluded from the charset
        "91350100M0001O0Y43",  # letter O
        "9135010AM000100Y43",  # letter in the area code (positions 3–8)
        "91350100M000100Y4#",
        "91350100M000100Y4中",
    ],
)
def test_uscc_charset(value):
    assert error_code(ids.validate_uscc, value) == "uscc_charset"


def test_uscc_checksum():
    assert error_code(ids.validate_uscc, "91350100M000100Y42") == "uscc_checksum"
    # A transposition of two body characters must also be caught.
    assert error_code(ids.validate_uscc, "91350100M001000Y43") == "uscc_checksum"


def test_uscc_org_checksum():
    first17 = "91350100M000100Y3"  # the GB 11714 check char should be 4
    code = first17 + ref_uscc_check(first17)
    assert error_code(ids.validate_uscc, code) == "uscc_org_checksum"


def test_make_uscc_worked_example():
    assert ids.make_uscc("9", "1", "350100", "M000100Y") == "91350100M000100Y43"


def test_make_uscc_random_bodies_validate():
    rng = random.Random(20240601)
    seen_org_checks = set()
    for _ in range(200):
        body = "".join(rng.choice(CH) for _ in range(8))
        area = f"{rng.randrange(110000, 660000):06d}"
        dept, kind = rng.choice(["91", "92", "93", "12", "52", "Y1"])
        code = ids.make_uscc(dept, kind, area, body)
        assert code[:16] == dept + kind + area + body
        assert code[16] == ref_org_check(body)
        assert code[17] == ref_uscc_check(code[:17])
        assert ids.validate_uscc(code) == code
        seen_org_checks.add(code[16])
    assert {"X", "0"} <= seen_org_checks  # the special mappings 10 → X and 11 → 0 were exercised


def test_make_uscc_rejects_bad_parts():
    with pytest.raises(IdentifierError):
        ids.make_uscc("9", "1", "35010", "M000100Y")
    with pytest.raises(IdentifierError):
        ids.make_uscc("9", "1", "350100", "M00010OY")


# --- 居民身份证号码 ---------------------------------------------------------------------------


def test_resident_id_worked_examples():
    assert ids.validate_resident_id("11010519491231002X") == "11010519491231002X"
    assert ids.resident_id_check_char("11010519491231002") == "X"
    # Checksum correct per the domain facts, but born 1880 → refused on the date.
    assert ids.resident_id_check_char("44052418800101001") == "4"
    assert error_code(ids.validate_resident_id, "440524188001010014") == "rid_birthdate"


def test_resident_id_lower_case_x():
    assert ids.validate_resident_id(" 11010519491231002x ") == "11010519491231002X"


def test_resident_id_length():
    assert error_code(ids.validate_resident_id, "110105491231002") == "rid_length"
    assert error_code(ids.validate_resident_id, "11010519491231002X1") == "rid_length"
    assert error_code(ids.validate_resident_id, "") == "rid_length"


@pytest.mark.parametrize("value", ["1101051949123100XX", "11010519491231002A", "11010519491231002-"])
def test_resident_id_format(value):
    assert error_code(ids.validate_resident_id, value) == "rid_format"


@pytest.mark.parametrize("birth", ["19490231", "19491301", "18991231", "19490000"])
def test_resident_id_birthdate(birth):
    first17 = "110105" + birth + "002"
    assert error_code(ids.validate_resident_id, first17 + ref_rid_check(first17)) == "rid_birthdate"


def test_resident_id_birthdate_in_future_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    first17 = "110105" + tomorrow.strftime("%Y%m%d") + "002"
    assert error_code(ids.validate_resident_id, first17 + ref_rid_check(first17)) == "rid_birthdate"
    # With an explicit reference date, the boundary is inclusive.
    first17 = "11010520240101002"
    rid = first17 + ref_rid_check(first17)
    assert ids.validate_resident_id(rid, today=datetime.date(2024, 1, 1)) == rid
    assert error_code(ids.validate_resident_id, rid, today=datetime.date(2023, 12, 31)) == "rid_birthdate"


def test_resident_id_earliest_date_accepted():
    first17 = "11010519000101001"
    assert ids.validate_resident_id(first17 + ref_rid_check(first17))


def test_resident_id_checksum():
    assert error_code(ids.validate_resident_id, "110105194912310021") == "rid_checksum"
    assert error_code(ids.validate_resident_id, "110105194912310020") == "rid_checksum"


# --- telephone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "8613812345678",
        "+86-13812345678",
    ],
)
def test_mobile_valid(value):
    assert ids.validate_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value",
    ["12812345678", "1381234567", "138123456789", "23812345678", "1381234567a", "", "+87 13812345678"],
)
def test_mobile_invalid(value):
    assert error_code(ids.validate_mobile, value) == "mobile_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0513-85123456", "0513-85123456"),
        ("051385123456", "0513-85123456"),
        ("0513 8512 3456", "0513-85123456"),
        ("(021)6234 5678", "021-62345678"),
        ("010-6512345", "010-6512345"),
        ("0513-85123456-801", "0513-85123456-801"),
        ("0513-85123456转801", "0513-85123456-801"),
    ],
)
def test_landline_valid(value, expected):
    assert ids.validate_landline(value) == expected


@pytest.mark.parametrize(
    "value", ["85123456", "513-85123456", "0513-851234", "0513-851234567", "13812345678", "0513-0512345", ""]
)
def test_landline_invalid(value):
    assert error_code(ids.validate_landline, value) == "landline_format"


# --- masking --------------------------------------------------------------------------------


def test_mask_mobile():
    assert ids.mask_mobile("13812345678") == "138****5678"
    assert ids.mask_mobile("+86 138-1234-5678") == "138****5678"
    assert ids.mask_mobile("") == ""
    assert ids.mask_mobile(None) == ""
    assert ids.mask_mobile("12345") == "*****"


def test_mask_resident_id():
    assert ids.mask_resident_id("11010519491231002X") == "110105********002X"
    assert ids.mask_resident_id("") == ""
    assert ids.mask_resident_id(None) == ""
    assert ids.mask_resident_id("1234567") == "*******"


# --- 统计用区划代码 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("320000000000", "province"),
        ("320600000000", "city"),
        ("320612000000", "county"),
        ("320508019000", "town"),
        ("320508019044", "village"),
        ("429004000000", "county"),  # 仙桃市, 省直辖县级 (city part 90)
    ],
)
def test_region_level(code, level):
    assert ids.validate_region_code(code) == code
    assert ids.region_level(code) == level


@pytest.mark.parametrize(
    "value",
    ["32050801904", "3205080190440", "3205080190A4", "", "000000000000", "320000001000", "320500000044"],
)
def test_region_code_format(value):
    assert error_code(ids.validate_region_code, value) == "region_code_format"


def test_region_code_strips():
    assert ids.validate_region_code(" 320508019044 ") == "320508019044"


def test_identifiers_module_is_pure():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, yingji.utilities.identifiers, yingji.orgs.catalogues; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
