import pytest

from yingji.audit.context import change_context
from yingji.deadlines.models import Deadline
from yingji.reports import demo
from yingji.reports.models import PublicReport

pytestmark = pytest.mark.django_db


def test_demo_reports_in_every_state_with_deadlines(region, make_department):
    for key in ("village000", "village001", "village100", "town00"):
        place = region[key]
        place.centroid_lon, place.centroid_lat = 120.05, 32.02
        place.save()
    make_department(place=region["county0"], kind="emergency")
    with change_context("command"):
        counts = {}
        demo.load_demo(seed=3, counts=counts)
        assert counts["public_reports"] == PublicReport.objects.count() == demo.REPORTS
        assert set(PublicReport.objects.values_list("status", flat=True)) == {
            "submitted",
            "accepted",
            "closed",
            "rejected",
        }
        assert PublicReport.objects.filter(hazard__isnull=False).exists()
        open_reports = PublicReport.objects.filter(status__in=("submitted", "accepted")).count()
        assert Deadline.objects.filter(rule__startswith="reports.").count() == open_reports
        demo.remove_demo({})
        assert not PublicReport.objects.exists()
        assert not Deadline.objects.filter(rule__startswith="reports.").exists()
