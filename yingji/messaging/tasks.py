"""Background sending (Huey). Tests run these immediately; the worker (`yingji worker`) runs them with
retries and the periodic sweep.

* :func:`dispatch_message` — queued after a message commits: one :func:`send_delivery` per queued delivery.
* :func:`send_delivery` — one try of one delivery; a transient failure is tried again after 1, 2 and
  4 minutes (``services.RETRY_DELAYS``) until ``services.MAX_ATTEMPTS`` tries; the database row, not the
  queue, counts the tries, so a lost or repeated task can neither send twice nor retry forever.
* :func:`requeue_stale_deliveries` — every 5 minutes, queues again deliveries that stayed queued and
  untouched for ``services.STALE_AFTER`` (a task lost in a restart, a crash during a send).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from yingji.audit.context import change_context
from yingji.messaging import services
from yingji.messaging.choices import DeliveryStatus
from yingji.messaging.models import Delivery


@db_task()
def dispatch_message(message_id: int) -> int:
    ids = list(
        Delivery.objects.filter(message_id=message_id, status=DeliveryStatus.QUEUED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for delivery_id in ids:
        send_delivery(delivery_id)
    return len(ids)


# ``retries`` here covers unexpected errors (database unavailable …); send failures are retried with
# RetryTask, which the delivery's own attempt counter bounds.
@db_task(retries=3, retry_delay=60)
def send_delivery(delivery_id: int) -> str:
    with change_context("task"):
        outcome = services.attempt_delivery(delivery_id)
    if outcome == services.RETRY:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise RetryTask(delay=services.retry_delay(attempts))
    return outcome


@db_periodic_task(crontab(minute="*/5"))
def requeue_stale_deliveries() -> int:
    ids = services.stale_delivery_ids()
    for delivery_id in ids:
        send_delivery(delivery_id)
    return len(ids)
