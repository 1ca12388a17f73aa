"""493号令 第三条: the three criteria apply independently, "以上" includes the number, the highest wins."""

from decimal import Decimal

import pytest

from yingji.incidents.grading import accident_grade, is_graded_by_rule

ORD, L, M, P = "ordinary", "larger", "major", "particularly_major"


@pytest.mark.parametrize(
    ("deaths", "expected"), [(0, ORD), (2, ORD), (3, L), (9, L), (10, M), (29, M), (30, P), (31, P)]
)
def test_deaths(deaths, expected):
    assert accident_grade(deaths, 0, 0) == expected


@pytest.mark.parametrize(("injuries", "expected"), [(9, ORD), (10, L), (49, L), (50, M), (99, M), (100, P)])
def test_serious_injuries(injuries, expected):
    assert accident_grade(0, injuries, 0) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("999.99", ORD),
        ("1000", L),
        ("4999.99", L),
        ("5000", M),
        ("9999.99", M),
        ("10000", P),
    ],
)
def test_direct_loss(loss, expected):
    assert accident_grade(0, 0, Decimal(loss)) == expected


def test_highest_criterion_wins():
    assert accident_grade(2, 50, Decimal("10")) == M  # injuries reach 重大, deaths only 一般
    assert accident_grade(3, 0, Decimal("10000")) == P  # loss reaches 特别重大
    assert accident_grade(30, 10, Decimal("0")) == P


def test_environment_is_not_graded_by_the_rule():
    assert not is_graded_by_rule("environment")
    assert is_graded_by_rule("hazmat")
    assert not is_graded_by_rule("flood")


def test_environmental_incident_keeps_its_hand_set_grade(make_incident):
    incident = make_incident(event_type="environment", grade="major", deaths=0)
    assert incident.grade == "major"
    assert incident.category == "accident"
