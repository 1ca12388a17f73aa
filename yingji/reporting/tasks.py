"""Background jobs of information reporting (run by the Huey consumer; immediate in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.reporting.services import check_reports

__all__ = ["check_reports", "check_reports_periodically"]


@db_periodic_task(crontab(minute="*/5"))
def check_reports_periodically():
    """Every 5 minutes: 漏报 flags on reports past their due time, the day's natural-disaster 续报
    (``services.check_reports``)."""
    return check_reports()
