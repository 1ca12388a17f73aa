"""Configurable defaults of public reports, each overridable with ``settings.YINGJI_REPORTS_<NAME>``.

Sources (see ``docs/reports.md``):

* 受理 within ``ACCEPT_WORKING_DAYS`` working days — no national number was found; a default [U].
* 核查处理（办结）within ``HANDLE_DAYS`` days of acceptance — local 安全生产举报奖励办法 第十条
  ("受理举报的部门应当自受理之日起30日内完成举报事项的核查处理工作 … 最长不能超过90日") [P].
"""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, f"YINGJI_REPORTS_{name}", default)


#: working days to accept or reject a report after it was submitted [U: default]
ACCEPT_WORKING_DAYS: int = _get("ACCEPT_WORKING_DAYS", 5)
#: calendar days to finish checking and handling an accepted report [P: local 举报奖励办法 第十条]
HANDLE_DAYS: int = _get("HANDLE_DAYS", 30)
#: public submissions accepted per client IP per hour (abuse protection)
SUBMISSIONS_PER_HOUR: int = _get("SUBMISSIONS_PER_HOUR", 5)
#: tracking-code look-ups per client IP per hour (guessing protection)
LOOKUPS_PER_HOUR: int = _get("LOOKUPS_PER_HOUR", 60)
#: photos per report
MAX_PHOTOS: int = _get("MAX_PHOTOS", 6)
#: largest photo accepted from the public, in bytes
MAX_PHOTO_BYTES: int = _get("MAX_PHOTO_BYTES", 8 * 1024 * 1024)
#: place levels whose emergency department receives a report, tried in order (属地管理)
ROUTE_LEVELS: tuple = tuple(_get("ROUTE_LEVELS", ("county", "town", "city")))
#: alphabet of tracking codes: no 0/O, 1/I/L, so that a code read aloud or typed is unambiguous
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
