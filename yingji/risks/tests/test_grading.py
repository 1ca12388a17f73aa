"""Grading rules at every threshold (domain-facts §3.1, §3.2) and the enterprise grade rule."""

import pytest
from django.core.exceptions import ValidationError

from yingji.risks import grading
from yingji.risks.choices import RiskLevel


@pytest.mark.parametrize(
    ("d", "level"),
    [
        (320.5, RiskLevel.MAJOR),
        (320, RiskLevel.LARGE),  # boundary belongs to the lower band by default (D > 320 is 重大)
        (160.1, RiskLevel.LARGE),
        (160, RiskLevel.GENERAL),
        (70.1, RiskLevel.GENERAL),
        (70, RiskLevel.LOW),
        (20, RiskLevel.LOW),
        (0.01, RiskLevel.LOW),
        (6000, RiskLevel.MAJOR),
    ],
)
def test_lec_bands_default_boundary(d, level):
    assert grading.level_for_score("lec", d) == level


def test_lec_boundary_can_be_inclusive(settings):
    settings.YINGJI_RISKS_LEC_BOUNDARY = "ge"
    assert grading.level_for_score("lec", 320) == RiskLevel.MAJOR
    assert grading.level_for_score("lec", 160) == RiskLevel.LARGE
    assert grading.level_for_score("lec", 70) == RiskLevel.GENERAL
    assert grading.level_for_score("lec", 69.9) == RiskLevel.LOW


def test_lec_cuts_from_settings(settings):
    settings.YINGJI_RISKS_LEC_CUTS = ((400, "major"), (200, "large"), (100, "general"))
    assert grading.level_for_score("lec", 360) == RiskLevel.LARGE
    assert grading.level_for_score("lec", 180) == RiskLevel.GENERAL


@pytest.mark.parametrize(
    ("r", "level"),
    [
        (25, RiskLevel.MAJOR),
        (20, RiskLevel.MAJOR),
        (16, RiskLevel.LARGE),
        (15, RiskLevel.LARGE),
        (12, RiskLevel.GENERAL),
        (10, RiskLevel.GENERAL),
        (9, RiskLevel.GENERAL),
        (8, RiskLevel.LOW),
        (1, RiskLevel.LOW),
    ],
)
def test_ls_cuts(r, level):
    assert grading.level_for_score("ls", r) == level


def test_ls_cuts_per_settings(settings):
    settings.YINGJI_RISKS_LS_CUTS = ((17, "major"), (10, "large"), (5, "general"))
    assert grading.level_for_score("ls", 16) == RiskLevel.LARGE
    assert grading.level_for_score("ls", 9) == RiskLevel.GENERAL
    assert grading.level_for_score("ls", 4) == RiskLevel.LOW


def test_lec_score_multiplies_table_values():
    result = grading.assess("lec", l=6, e=6, c=15)
    assert result.score == 540
    assert result.level == RiskLevel.MAJOR
    assert grading.assess("lec", l=3, e=6, c=15).level == RiskLevel.LARGE  # 270
    assert grading.assess("lec", l=3, e=6, c=7).level == RiskLevel.GENERAL  # 126
    assert grading.assess("lec", l=1, e=6, c=7).level == RiskLevel.LOW  # 42
    assert grading.assess("lec", l=0.1, e=0.5, c=1).score == 0.05
    assert grading.assess("lec", l="0.5", e="2", c="40").score == 40


@pytest.mark.parametrize(
    ("factors", "field"),
    [
        ({"l": 5, "e": 6, "c": 15}, "lec_l"),
        ({"l": 6, "e": 4, "c": 15}, "lec_e"),
        ({"l": 6, "e": 6, "c": 50}, "lec_c"),
    ],
)
def test_lec_refuses_values_outside_the_tables(factors, field):
    with pytest.raises(ValidationError) as info:
        grading.assess("lec", **factors)
    error = info.value.error_dict[field][0]
    assert error.code == "not_in_table"
    assert "标准取值表" in error.message


def test_lec_refuses_missing_factor():
    with pytest.raises(ValidationError) as info:
        grading.assess("lec", l=6, e=None, c=15)
    assert "lec_e" in info.value.error_dict


@pytest.mark.parametrize(
    ("l", "s", "field"), [(0, 3, "ls_l"), (6, 3, "ls_l"), (3, 2.5, "ls_s"), (3, None, "ls_s")]
)
def test_ls_refuses_factors_outside_1_to_5(l, s, field):  # noqa: E741
    with pytest.raises(ValidationError) as info:
        grading.assess("ls", l=l, s=s)
    assert info.value.error_dict[field][0].code == "not_in_table"


def test_ls_score():
    assert grading.assess("ls", l=4, s=5).score == 20
    assert grading.assess("ls", l=4, s=5).level == RiskLevel.MAJOR
    assert grading.assess("ls", l=3, s=5).level == RiskLevel.LARGE
    assert grading.assess("ls", l=2, s=4).level == RiskLevel.LOW


def test_unknown_method_is_refused():
    with pytest.raises(ValidationError) as info:
        grading.assess("xyz", l=1, s=1)
    assert info.value.error_dict["method"][0].code == "method_required"


def test_enterprise_grade_is_the_highest_point():
    grade = grading.enterprise_grade(["low", "general", "large"], [])
    assert grade.level == RiskLevel.LARGE
    assert grade.raised_by == ()


def test_enterprise_grade_raised_one_level_by_a_major_hazard_source():
    grade = grading.enterprise_grade(["general", "low"], ["major_hazard_source", "confined_space"])
    assert grade.base_level == RiskLevel.GENERAL
    assert grade.level == RiskLevel.LARGE
    assert grade.raised_by == ("major_hazard_source",)
    assert "重大危险源" in grade.reason


def test_enterprise_grade_is_capped_at_major():
    grade = grading.enterprise_grade(["major"], ["major_hazard_source", "hazardous_process"])
    assert grade.level == RiskLevel.MAJOR


def test_enterprise_without_points_is_low_or_raised():
    assert grading.enterprise_grade([], []).level == RiskLevel.LOW
    assert grading.enterprise_grade([], ["hazardous_process"]).level == RiskLevel.GENERAL


def test_other_flags_do_not_raise_and_the_list_is_a_setting(settings):
    assert grading.enterprise_grade(["low"], ["dust_explosion"]).level == RiskLevel.LOW
    settings.YINGJI_RISKS_ESCALATING_FLAGS = ("dust_explosion",)
    assert grading.enterprise_grade(["low"], ["dust_explosion"]).level == RiskLevel.GENERAL
    assert grading.enterprise_grade(["low"], ["major_hazard_source"]).level == RiskLevel.LOW
