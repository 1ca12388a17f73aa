"""Background jobs of the deadline engine (run by the Huey consumer; immediate in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.deadlines.services import check_deadlines

__all__ = ["check_deadlines", "check_deadlines_periodically"]


@db_periodic_task(crontab(minute="*/5"))
def check_deadlines_periodically():
    """Every 5 minutes: overdue flags, reminders, escalations (``services.check_deadlines``)."""
    return check_deadlines()
