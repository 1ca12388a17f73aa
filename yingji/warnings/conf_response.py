"""Defaults of fan-out, coverage and call-and-respond (叫应, W4), in one place.

Every value can be overridden from settings as ``YINGJI_WARNINGS_<NAME>`` (read through :func:`get`
at call time, so tests may use ``settings`` overrides). None of these numbers is fixed by a national
rule (domain-facts §5/§6 give the levels and the 灾害信息员 organisation, not answer times): they are
documented defaults [U], see docs/warning-response.md.
"""

from django.conf import settings

from yingji.framework.roles import Role

#: Who is "responsible" (责任人) per tier: role assignments at the tier's place, and persons of that
#: place whose position is one of the listed ones (the demo's positions, catalogue.TOWN_POSITIONS …).
RESPONSIBLE_ROLES = {
    "district": (Role.BUREAU_OFFICER, Role.DUTY_OFFICER, Role.LEADER),
    "town": (Role.BUREAU_OFFICER, Role.DUTY_OFFICER, Role.LEADER),
    "village": (Role.GRID_WORKER,),
}
RESPONSIBLE_POSITIONS = {
    "district": ("区长", "县长", "分管应急副区长", "分管应急副县长", "应急管理局局长"),
    "town": (
        "镇长",
        "分管安全生产副镇长",
        "应急管理办公室主任",
        "街道办事处主任",
        "分管安全生产副主任",
    ),
    "village": ("网格员", "村党组织书记", "村委会主任", "社区党组织书记", "社区居委会主任"),
}
#: 灾害信息员 (domain-facts §6): the role, and persons whose position starts with this text
#: (“灾害信息员”, “灾害信息员（A角）”, “灾害信息员（B角）”).
INFO_OFFICER_ROLES = (Role.DISASTER_INFO_OFFICER,)
INFO_OFFICER_POSITION_PREFIX = "灾害信息员"

#: Call-and-respond per warning level, minutes after the call: answer within (due), repeat the call,
#: place a voice call, escalate to the superior place. [U] — local duty rules decide; configurable.
RESPONSE_RULES = {
    "red": {"answer_within": 10, "repeat_after": 10, "voice_after": 15, "escalate_after": 20},
    "orange": {"answer_within": 15, "repeat_after": 15, "voice_after": 25, "escalate_after": 30},
    "yellow": {"answer_within": 30, "repeat_after": 30, "voice_after": 45, "escalate_after": 60},
    "blue": {"answer_within": 60, "repeat_after": 60, "voice_after": 90, "escalate_after": 120},
}
#: Channels of the call (叫) and of its repeat; the voice stage uses "voice".
CALL_CHANNELS = ("inapp", "sms")
ESCALATION_CHANNELS = ("inapp", "sms")

#: Fan-out: recipients written per transaction, and the worker's lease on a job.
FANOUT_BATCH = 200_000
FANOUT_LEASE_SECONDS = 600
#: Public subscribers are written in address order, cut into tiles of this many rows, each tile
#: ordered by place (fanout.send_order; 0 = address order only). Measured on 1,000,000 rows.
FANOUT_SORT_TILE = 25_000
#: SQLite page cache while a fan-out writes (KiB; 0 keeps the connection's default of 2 MB).
FANOUT_SQLITE_CACHE_KIB = 262_144
#: Deliveries handed to the senders per task.
DISPATCH_BATCH = 1000

#: Coverage: share of a place's population one reached place channel reaches [U]; a reached person
#: counts as one person. Public coverage = Σ population × (1 − Π(1 − reach)) (docs).
CHANNEL_REACH = {"broadcast": 0.85, "screen": 0.2}
#: 气象灾害预警信息公众覆盖率 target (SPEC W3).
COVERAGE_TARGET = 0.95

#: Board auto-refresh (seconds).
BOARD_REFRESH_SECONDS = 5


def get(name: str):
    return getattr(settings, f"YINGJI_WARNINGS_{name}", globals()[name])
