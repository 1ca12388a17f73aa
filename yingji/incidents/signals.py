"""Signals other apps listen to, so that incidents need not import them.

``incident_changed(sender=Incident, incident=...)`` is sent inside the transaction of every service
that changes what the reporting rules depend on (type, counts, grade, status); ``yingji.reporting``
re-computes the incident's required upward reports at once instead of waiting for its periodic job."""

from django.dispatch import Signal

incident_changed = Signal()
