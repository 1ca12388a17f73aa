"""Background work of duty (Huey; tests run tasks immediately).

* :func:`roll_call_task` — every minute: places the random roll-calls whose time has come
  (``services.scheduled_times``: ``YINGJI_DUTY_ROLLCALLS_PER_DAY`` per upper room inside
  ``YINGJI_DUTY_ROLLCALL_HOURS``) and marks unanswered calls past their window as missed.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.audit.context import change_context


@db_periodic_task(crontab(minute="*"))
def roll_call_task() -> int:
    from yingji.duty.services import run_scheduled_roll_calls

    with change_context("task"):
        return run_scheduled_roll_calls()
