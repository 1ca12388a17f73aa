"""Tests for yingji.orgs.catalogues (GB/T 4754-2017 and enterprise choices)."""

import re
import string

import pytest

from yingji.orgs import catalogues as cat

# Section → division range, as published in GB/T 4754-2017 (independent of the module).
EXPECTED_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def test_section_count_and_letters():
    assert len(cat.SECTIONS) == 20
    assert list(cat.SECTIONS) == list(string.ascii_uppercase[:20])
    assert cat.SECTIONS["C"] == "制造业"
    assert cat.SECTIONS["D"] == "电力、热力、燃气及水生产和供应业"


def test_division_count_and_codes():
    assert len(cat.DIVISIONS) == 97
    assert set(cat.DIVISIONS) == {f"{i:02d}" for i in range(1, 98)}
    assert len({name for _, name in cat.DIVISIONS.values()}) == 97  # names are unique


def test_section_ranges():
    for code, (section, _name) in cat.DIVISIONS.items():
        low, high = EXPECTED_RANGES[section]
        assert low <= int(code) <= high, (code, section)
    for section, (low, high) in EXPECTED_RANGES.items():
        assert {c for c, (s, _) in cat.DIVISIONS.items() if s == section} == {
            f"{i:02d}" for i in range(low, high + 1)
        }


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("26", "化学原料和化学制品制造业"),
        ("43", "金属制品、机械和设备修理业"),
        ("54", "道路运输业"),
        ("87", "广播、电视、电影和录音制作业"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_division_names(code, name):
    assert cat.DIVISIONS[code][1] == name


def test_industry_choices():
    assert len(cat.INDUSTRY_CHOICES) == 97
    assert [c for c, _ in cat.INDUSTRY_CHOICES] == [f"{i:02d}" for i in range(1, 98)]
    assert dict(cat.INDUSTRY_CHOICES)["26"] == "C 26 化学原料和化学制品制造业"
    for code, label in cat.INDUSTRY_CHOICES:
        assert re.fullmatch(rf"[A-T] {code} \S+", label)
    assert len(cat.INDUSTRY_GROUPED_CHOICES) == 20
    assert sum(len(group) for _, group in cat.INDUSTRY_GROUPED_CHOICES) == 97
    assert cat.INDUSTRY_GROUPED_CHOICES[2][0] == "C 制造业"


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("01", "A"),
        ("12", "B"),
        ("26", "C"),
        (26, "C"),
        ("2614", "C"),
        ("C2614", "C"),
        ("70", "K"),
        ("97", "T"),
    ],
)
def test_division_section(code, section):
    assert cat.division_section(code) == section


@pytest.mark.parametrize("code", ["00", "98", "", "X", "26145"])
def test_division_section_unknown(code):
    with pytest.raises(KeyError):
        cat.division_section(code)


def test_risk_flags():
    assert 12 <= len(cat.RISK_FLAGS) <= 16
    codes = [c for c, _ in cat.RISK_FLAGS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z_]*", c) for c in codes)
    flags = dict(cat.RISK_FLAGS)
    for code, label in {
        "hazardous_chemicals": "危险化学品",
        "major_hazard_source": "重大危险源",
        "dust_explosion": "粉尘涉爆",
        "ammonia_refrigeration": "涉氨制冷",
        "confined_space": "有限空间",
        "molten_metal": "金属熔融",
        "crowded_place": "人员密集场所",
        "fireworks": "烟花爆竹",
        "mine": "非煤矿山",
        "hazardous_process": "重点监管危险化工工艺",
        "gas": "燃气",
        "construction": "建筑施工",
    }.items():
        assert flags[code] == label
    assert "道路运输" in flags["road_transport"]
