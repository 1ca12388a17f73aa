"""Periodic jobs of the risk app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.audit.context import change_context


@db_periodic_task(crontab(hour="3", minute="20"))
def recompute_risk_grades():
    """Daily safety net: recompute every enterprise grade (catches flag changes from bulk imports)."""
    from yingji.risks.services import recompute_all_grades

    with change_context("task"):
        return recompute_all_grades()
