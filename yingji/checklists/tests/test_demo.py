import pytest

from yingji.audit.context import change_context
from yingji.checklists import demo, services
from yingji.checklists.models import CheckPlan, CheckRecord, CheckResult

pytestmark = pytest.mark.django_db


def test_demo_loads_deterministically_with_some_missed_checks_and_removes(region, make_enterprise):
    for n in range(30):
        make_enterprise(place=region[f"village{n % 2}{n // 2 % 2}{n // 4 % 2}"])
    with change_context("command"):
        counts = {}
        demo.load_demo(seed=7, counts=counts)
        first = list(CheckPlan.objects.order_by("id").values_list("enterprise_id", "frequency", "start_date"))
        assert counts["check_plans"] == len(first) >= 30
        assert CheckResult.objects.count() == counts["check_results"] > 0
        assert CheckRecord.objects.filter(problems__gt=0).exists()
        assert sum(services.missed_counts(CheckPlan.objects.all()).values()) > 0
        removed = {}
        demo.remove_demo(removed)
        assert removed["check_plans"] == counts["check_plans"]
        assert not CheckPlan.objects.exists() and not CheckResult.objects.exists()
        demo.load_demo(seed=7, counts={})
        again = list(CheckPlan.objects.order_by("id").values_list("enterprise_id", "frequency", "start_date"))
        assert again == first
