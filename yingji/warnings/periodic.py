"""Periodic job of the warning lifecycle (registered with Huey when the app loads; immediate in tests).

Kept apart from ``tasks.py`` (fan-out and call-and-respond jobs) so that each part owns its module.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from yingji.warnings.lifecycle import expire_due_warnings


@db_periodic_task(crontab(minute="*"))
def expire_warnings():
    """Every minute: published warnings whose expiry time has passed become ``expired``."""
    return expire_due_warnings()
