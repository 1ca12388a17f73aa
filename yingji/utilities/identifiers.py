"""Validation, construction and masking of Chinese identifiers (pure Python, no Django).

Algorithms follow the project domain facts (§8, identifiers):

* 统一社会信用代码 (USCC), GB 32100-2015, with the embedded 组织机构代码 check of GB 11714;
* 居民身份证号码, GB 11643-1999 (ISO 7064 MOD 11-2);
* mainland mobile and landline telephone numbers;
* 12-digit 统计用区划代码 of the National Bureau of Statistics.

Every validator normalises its input and returns the normalised value, or raises
:class:`IdentifierError` whose ``code`` is a stable English token and whose ``message`` is a
Chinese sentence telling the user what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

__all__ = [
    "IdentifierError",
    "USCC_CHARSET",
    "validate_uscc",
    "uscc_check_char",
    "org_code_check_char",
    "make_uscc",
    "validate_resident_id",
    "resident_id_check_char",
    "validate_mobile",
    "validate_landline",
    "mask_mobile",
    "mask_resident_id",
    "validate_region_code",
    "region_level",
]


class IdentifierError(ValueError):
    """An identifier failed validation; ``code`` is stable English, ``message`` is user-facing Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"IdentifierError({self.code!r}, {self.message!r})"


def _normalise(value: object) -> str:
    """NFKC-fold (full-width → ASCII), strip surrounding whitespace and upper-case."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


# ---------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _uscc_check(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_check(first8: str) -> str:
    # GB 11714: digits 0-9, letters A=10 … Z=35.
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _uscc_charset_error(code: str) -> IdentifierError | None:
    for pos, ch in enumerate(code, start=1):
        if 3 <= pos <= 8 and not ("0" <= ch <= "9"):
            return IdentifierError(
                "uscc_charset",
                f"统一社会信用代码第3–8位是登记机关行政区划码，只能是数字，第{pos}位却是“{ch}”，请核对营业执照。",
            )
        if ch not in _USCC_VALUE:
            hint = "（代码中不使用字母I、O、S、V、Z，易与数字1、0、5、2混淆）" if ch in "IOSVZ" else ""
            return IdentifierError(
                "uscc_charset",
                f"统一社会信用代码第{pos}位“{ch}”不是有效字符{hint}，请核对营业执照。",
            )
    return None


def validate_uscc(value: object) -> str:
    """Validate a 统一社会信用代码 and return it normalised (stripped, upper-case).

    Checks length 18, the 31-character set (positions 3–8 digits), the GB 32100 check
    character at position 18 and the GB 11714 organisation-code check at position 17.
    """
    code = _normalise(value)
    if len(code) != 18:
        raise IdentifierError(
            "uscc_length", f"统一社会信用代码应为18位，当前为{len(code)}位，请核对营业执照。"
        )
    error = _uscc_charset_error(code)
    if error:
        raise error
    if _uscc_check(code[:17]) != code[17]:
        raise IdentifierError(
            "uscc_checksum",
            "统一社会信用代码校验位（第18位）不正确，可能有字符录入错误，请对照营业执照逐位核对。",
        )
    if _org_check(code[8:16]) != code[16]:
        raise IdentifierError(
            "uscc_org_checksum",
            "统一社会信用代码第9–17位（原组织机构代码）校验不通过，可能有字符录入错误，请对照营业执照逐位核对。",
        )
    return code


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters."""
    head = _normalise(first17)
    if len(head) != 17:
        raise IdentifierError("uscc_length", f"计算校验位需要前17位，当前为{len(head)}位。")
    bad = [c for c in head if c not in _USCC_VALUE]
    if bad:
        raise IdentifierError("uscc_charset", f"统一社会信用代码中含有无效字符“{bad[0]}”。")
    return _uscc_check(head)


def org_code_check_char(first8: str) -> str:
    """Return the GB 11714 组织机构代码 check character for its first 8 characters."""
    head = _normalise(first8)
    if len(head) != 8 or not all(c.isascii() and c.isalnum() for c in head):
        raise IdentifierError("uscc_charset", "组织机构代码本体应为8位数字或大写字母。")
    return _org_check(head)


def make_uscc(registration_dept: str, org_type: str, area6: str, body8: str) -> str:
    """Build a valid USCC: both check characters (positions 17 and 18) are computed.

    ``registration_dept`` and ``org_type`` are single characters (e.g. "9", "1"), ``area6`` is a
    6-digit GB/T 2260 code and ``body8`` the first 8 characters of the organisation code.
    """
    dept, kind, area, body = (_normalise(x) for x in (registration_dept, org_type, area6, body8))
    if len(dept) != 1 or len(kind) != 1 or dept not in _USCC_VALUE or kind not in _USCC_VALUE:
        raise IdentifierError("uscc_charset", "登记管理部门代码和机构类别代码应各为1个有效字符。")
    if len(area) != 6 or not area.isascii() or not area.isdigit():
        raise IdentifierError("uscc_charset", "登记管理机关行政区划码应为6位数字。")
    if len(body) != 8 or any(c not in _USCC_VALUE for c in body):
        raise IdentifierError("uscc_charset", "主体标识码本体应为8位有效字符（不使用I、O、S、V、Z）。")
    first17 = dept + kind + area + body + _org_check(body)
    return first17 + _uscc_check(first17)


# ---------------------------------------------------------------------------
# 居民身份证号码 (GB 11643-1999)
# ---------------------------------------------------------------------------

# Position k (1-based from the left) has weight 2^(18-k) mod 11: 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
_RID_WEIGHTS = [pow(2, 18 - k, 11) for k in range(1, 18)]
_RID_CHECK = "10X98765432"
_RID_RE = re.compile(r"\d{17}[\dX]")


def resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits."""
    head = _normalise(first17)
    if len(head) != 17 or not head.isascii() or not head.isdigit():
        raise IdentifierError("rid_format", "计算校验码需要身份证号码前17位数字。")
    return _RID_CHECK[sum(int(c) * w for c, w in zip(head, _RID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: object, *, today: datetime.date | None = None) -> str:
    """Validate an 18-character 居民身份证号码 and return it upper-cased.

    Accepts a lower-case ``x``. The birth date must be a real date between 1900-01-01 and
    ``today`` (defaults to the current date).
    """
    rid = _normalise(value)
    if len(rid) != 18:
        hint = "15位旧号码请换用18位新号码，" if len(rid) == 15 else ""
        raise IdentifierError(
            "rid_length", f"居民身份证号码应为18位，当前为{len(rid)}位，{hint}请核对身份证。"
        )
    if not (rid.isascii() and _RID_RE.fullmatch(rid)):
        raise IdentifierError(
            "rid_format", "居民身份证号码前17位应为数字，最后一位为数字或字母X，请核对身份证。"
        )
    try:
        born = datetime.date(int(rid[6:10]), int(rid[10:12]), int(rid[12:14]))
    except ValueError:
        born = None
    today = today or datetime.date.today()
    if born is None or born < datetime.date(1900, 1, 1) or born > today:
        raise IdentifierError(
            "rid_birthdate",
            f"居民身份证号码第7–14位出生日期“{rid[6:14]}”不是有效日期，请核对身份证。",
        )
    if _RID_CHECK[sum(int(c) * w for c, w in zip(rid[:17], _RID_WEIGHTS, strict=True)) % 11] != rid[17]:
        raise IdentifierError(
            "rid_checksum",
            "居民身份证号码校验位（最后一位）不正确，可能有数字录入错误，请对照身份证逐位核对。",
        )
    return rid


# ---------------------------------------------------------------------------
# Telephone numbers
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})", re.ASCII)
# Area codes: 010 and 020–029 have three digits, all others (03xx–09xx) four.
_LANDLINE_RE = re.compile(
    r"\(?(0(?:[12]\d|[3-9]\d{2}))\)?-?([2-9]\d{6,7})(?:(?:-|#|转|EXT\.?|X)(\d{1,6}))?", re.ASCII
)
_SEPARATORS = re.compile(r"[\s\-]+")


def validate_mobile(value: object) -> str:
    """Validate a mainland mobile number and return its 11 digits.

    An optional +86 / 86 / 0086 prefix, spaces and dashes are accepted.
    """
    raw = _normalise(value)
    m = _MOBILE_RE.fullmatch(_SEPARATORS.sub("", raw))
    if not m:
        raise IdentifierError(
            "mobile_format", "手机号码格式不正确：应为以13–19开头的11位数字，如13812345678，请核对。"
        )
    return m.group(1)


def validate_landline(value: object) -> str:
    """Validate a landline number and return it as ``area-number`` or ``area-number-ext``.

    Requires an area code (010, 02x or a 4-digit 0xxx), a 7–8 digit local number and allows an
    extension after "-", "#", "转", "ext" or "x".
    """
    raw = re.sub(r"\s+", "", _normalise(value))
    m = _LANDLINE_RE.fullmatch(raw)
    if not m:
        raise IdentifierError(
            "landline_format",
            "固定电话格式不正确：应为区号加7–8位号码，如0513-85123456，分机号可写在“-”后，请核对。",
        )
    area, number, ext = m.groups()
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


def mask_mobile(value: object) -> str:
    """Mask a mobile number: ``13812345678`` → ``138****5678``; short input is fully starred."""
    try:
        text = validate_mobile(value)
    except IdentifierError:
        text = _SEPARATORS.sub("", _normalise(value))
    if len(text) < 11:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_resident_id(value: object) -> str:
    """Mask a resident ID to its first 6 and last 4 characters with 8 stars between."""
    text = _normalise(value).replace(" ", "")
    if len(text) < 14:
        return "*" * len(text)
    return text[:6] + "********" + text[-4:]


# ---------------------------------------------------------------------------
# 统计用区划代码 (12 digits)
# ---------------------------------------------------------------------------

# (level, slice of the digits that identify that level)
_REGION_GROUPS = (("province", 0, 2), ("city", 2, 4), ("county", 4, 6), ("town", 6, 9), ("village", 9, 12))


def validate_region_code(value: object) -> str:
    """Validate a 12-digit 统计用区划代码 and return it.

    The province part must be non-zero and a level may only be non-zero if all higher levels are.
    """
    code = _normalise(value)
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        raise IdentifierError(
            "region_code_format",
            f"统计用区划代码应为12位数字，当前为“{code}”，请按国家统计局区划代码填写。",
        )
    nonzero = [int(code[a:b]) != 0 for _, a, b in _REGION_GROUPS]
    if not nonzero[0] or any(nonzero[i] and not nonzero[i - 1] for i in range(1, len(nonzero))):
        raise IdentifierError(
            "region_code_format",
            f"统计用区划代码“{code}”的省、市、县、乡、村层级不连续，请按国家统计局区划代码填写。",
        )
    return code


def region_level(code: object) -> str:
    """Return "province", "city", "county", "town" or "village" from the trailing zero groups."""
    code = validate_region_code(code)
    level = "province"
    for name, a, b in _REGION_GROUPS:
        if int(code[a:b]):
            level = name
    return level
