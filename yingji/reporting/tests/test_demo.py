import time
from collections import Counter

import pytest

from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_incidents", [True, False])
def test_demo_loads_fast_with_late_and_missing_reports(region, with_incidents):
    from yingji.incidents import demo as incidents_demo
    from yingji.reporting import demo

    counts = Counter()
    if with_incidents:
        incidents_demo.load_demo(seed=1, counts=counts)
    started = time.monotonic()
    demo.load_demo(seed=1, counts=counts)
    assert time.monotonic() - started < 10
    assert IncomingInfo.objects.exists()
    assert not IncomingInfo.objects.filter(incident__isnull=True).exists()
    made = UpwardReport.objects.filter(reported_at__isnull=False)
    assert made.filter(late=False).exists() and made.filter(late=True).exists()
    assert UpwardReport.objects.filter(required=True, reported_at__isnull=True, missed=True).count() == 1
    if with_incidents:
        assert MisReport.objects.count() == 1
    demo.remove_demo(counts)
    assert not UpwardReport.objects.exists() and not IncomingInfo.objects.exists()
