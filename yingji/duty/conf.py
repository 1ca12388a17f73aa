"""Settings of the duty app, each with a default in code (``settings.YINGJI_DUTY_<NAME>`` overrides).

None of these numbers is a national rule: they are local practice and configurable defaults
(docs/duty.md, "Settings").
"""

import datetime as dt

from django.conf import settings

#: local time at which a 24-hour shift hands over (值班交接时间)
HANDOVER_TIME = "08:30"
#: minutes a lower room has to answer a roll-call before it counts as missed
ROLLCALL_WINDOW_MINUTES = 5
#: random roll-calls each upper room places per day
ROLLCALLS_PER_DAY = 2
#: local hours [start, end) inside which random roll-calls are placed
ROLLCALL_HOURS = (8, 22)
#: a scheduled call whose time passed less than this many minutes ago is still placed (worker restarts)
ROLLCALL_CATCH_UP_MINUTES = 10
#: seconds between refreshes of the overview's live fragment
OVERVIEW_REFRESH_SECONDS = 5
#: mean answer time that still earns the full speed points of the evaluation
SPEED_FULL_SECONDS = 60


def get(name: str):
    return getattr(settings, f"YINGJI_DUTY_{name}", globals()[name])


def handover_time() -> dt.time:
    value = get("HANDOVER_TIME")
    if isinstance(value, dt.time):
        return value
    hours, minutes = str(value).split(":")
    return dt.time(int(hours), int(minutes))


def rollcall_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(get("ROLLCALL_WINDOW_MINUTES")))
