"""Background work of fan-out and call-and-respond (Huey; tests run tasks immediately).

* :func:`run_fanout_task` — queued by ``fanout.start_fanout`` after a publish commits.
* :func:`send_batch` — one try of each delivery of a batch through ``messaging.services.attempt_delivery``
  (status check + lease: never sent twice); a transient failure is retried by the messaging task
  ``send_delivery`` after its back-off.
* :func:`resume_fanouts` — every minute: jobs whose worker died (lease ran out) are run again.
* :func:`check_responses_task` — every minute: repeat / voice call / escalation of unanswered calls.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from yingji.audit.context import change_context


@db_task(retries=3, retry_delay=30)
def run_fanout_task(job_id: int) -> str:
    from yingji.warnings.fanout import run_fanout

    with change_context("task"):
        return run_fanout(job_id)


@db_task(retries=3, retry_delay=60)
def send_batch(delivery_ids: list[int]) -> dict:
    from yingji.messaging import services
    from yingji.messaging.models import Delivery
    from yingji.messaging.tasks import send_delivery

    outcomes: dict[str, int] = {}
    with change_context("task"):
        for delivery_id in delivery_ids:
            outcome = services.attempt_delivery(delivery_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == services.RETRY:
                attempts = (
                    Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
                )
                send_delivery.schedule((delivery_id,), delay=services.retry_delay(attempts))
    return outcomes


@db_periodic_task(crontab(minute="*"))
def resume_fanouts() -> int:
    from yingji.warnings.fanout import resumable_jobs

    ids = resumable_jobs()
    for job_id in ids:
        run_fanout_task(job_id)
    return len(ids)


@db_periodic_task(crontab(minute="*"))
def check_responses_task() -> dict:
    from yingji.warnings.response import check_responses

    with change_context("task"):
        return check_responses()
