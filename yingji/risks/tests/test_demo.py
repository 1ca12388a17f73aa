"""The risk app's demo data: every grade present, reports on time, late and missing, the region lists."""

from collections import Counter

import pytest

from yingji.risks import demo
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)


@pytest.mark.django_db
def test_demo_loads_and_removes(region, make_enterprise):
    flags = [["hazardous_chemicals"], ["dust_explosion"], ["ammonia_refrigeration"], ["molten_metal"], []]
    for i in range(40):
        make_enterprise(industry=("26", "33", "13", "31", "52")[i % 5], risk_flags=flags[i % 5])
    counts = Counter()
    demo.load_demo(seed=7, counts=counts)
    assert set(RiskPoint.objects.values_list("level", flat=True)) == {"major", "large", "general", "low"}
    assert RiskProfile.objects.count() == 40
    assert ControlMeasure.objects.count() >= 2 * RiskPoint.objects.count()
    assert RegionRisk.objects.count() == 1280 and RegionRiskMeasure.objects.count() == 1801
    assert RiskReport.objects.filter(late=True).exists() and RiskReport.objects.filter(late=False).exists()
    for profile in RiskProfile.objects.all():
        levels = list(RiskPoint.objects.filter(enterprise=profile.enterprise).values_list("level", flat=True))
        assert profile.major_count == levels.count("major")
    assert counts["risk_points"] == RiskPoint.objects.count()
    from yingji.risks.services import recompute_all_grades

    assert recompute_all_grades() == 0  # the demo grades follow the same rule as the services
    removed = {}
    demo.remove_demo(removed)
    assert removed["region_risks"] == 1280
    assert not RiskPoint.objects.exists() and not RegionRiskMeasure.objects.exists()
