"""两单 (risk list and measure list as Excel and PDF) and 三卡 (post cards)."""

import io
import re

import pytest
from openpyxl import load_workbook

from yingji.risks import cards, exports


@pytest.fixture
def enterprise(make_point, make_enterprise):
    enterprise = make_enterprise(name="江海化工", safety_manager_name="周安全")
    make_point(
        enterprise,
        level="major",
        name="液氨储罐区",
        post="储运工",
        area="罐区",
        accident_types=["poisoning", "vessel_explosion"],
        hazard_factors="液氨泄漏\n储罐超压",
        measures=[
            ("engineering", "设置氨气泄漏报警并联锁喷淋"),
            ("ppe", "佩戴防毒面具"),
            ("emergency", "泄漏时立即撤离至上风向"),
            ("training", "持证上岗"),
        ],
    )
    make_point(
        enterprise,
        level="general",
        name="叉车作业",
        post="储运工",
        accident_types=["vehicle"],
        measures=[("management", "限速5公里/小时")],
    )
    make_point(enterprise, level="low", name="办公区", post="", measures=[("management", "定期检查插座")])
    return enterprise


def test_risk_list_rows_highest_first(enterprise):
    rows = exports.risk_list_rows(enterprise)
    assert [r[1] for r in rows] == ["液氨储罐区", "叉车作业", "办公区"]
    first = dict(zip(exports.risk_list_headers(), rows[0], strict=True))
    assert first["风险等级"] == "重大风险"
    assert first["颜色"] == "红"
    assert first["可能导致的事故类型"] == "中毒和窒息、容器爆炸"
    assert first["取值"] == "L=5 S=5"
    assert first["风险值"] == "25"


def test_measure_list_rows(enterprise):
    rows = exports.measure_list_rows(enterprise)
    assert len(rows) == 6
    assert rows[0][1] == "液氨储罐区"
    assert {r[3] for r in rows if r[1] == "液氨储罐区"} == {
        "工程技术措施",
        "个体防护措施",
        "应急处置措施",
        "培训教育措施",
    }
    assert rows[-1][1:5] == ["办公区", "低风险", "管理措施", "定期检查插座"]


def test_xlsx_opens_with_the_rows(enterprise):
    content, content_type, name = exports.export_list(enterprise, "risks", "xlsx")
    assert name.endswith(".xlsx") and "江海化工" in name
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "安全风险管控清单"
    assert [c.value for c in sheet[2]][:3] == ["序号", "风险点名称", "区域/场所"]
    assert sheet["B3"].value == "液氨储罐区"
    assert sheet.max_row == 5
    assert sheet["K3"].fill.fgColor.rgb.upper().endswith("DC3545")  # 重大 in red


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s])", pdf))


def test_pdf_lists(enterprise):
    for kind in ("risks", "measures"):
        content, content_type, _name = exports.export_list(enterprise, kind, "pdf")
        assert content.startswith(b"%PDF")
        assert content_type == "application/pdf"
        assert _pages(content) == 1
        assert b"STSong-Light" in content


def test_card_contents(enterprise):
    notice = cards.card_content(enterprise, "储运工", "risk_notice")
    assert notice["level"] == "major"
    sections = dict(notice["sections"])
    assert sections["主要风险"][0].startswith("液氨储罐区（重大风险/红）")
    assert sections["危险有害因素"] == ["液氨泄漏", "储罐超压"]
    assert sections["主要管控措施"] == ["设置氨气泄漏报警并联锁喷淋", "限速5公里/小时"]
    operation = dict(cards.card_content(enterprise, "储运工", "operation")["sections"])
    assert operation["上岗要求"] == ["持证上岗"]
    assert operation["个体防护"] == ["佩戴防毒面具"]
    emergency = dict(cards.card_content(enterprise, "储运工", "emergency")["sections"])
    assert emergency["可能发生的事故"] == ["中毒和窒息、容器爆炸、车辆伤害"]
    assert emergency["应急处置措施"] == ["泄漏时立即撤离至上风向"]
    assert "企业安全管理人员：周安全" in emergency["应急联系"]
    assert "火警 119" in emergency["应急联系"]


def test_cards_pdf_has_one_page_per_card_per_post(enterprise, settings):
    assert cards.posts_of(enterprise) == ["储运工"]
    assert _pages(cards.cards_pdf(enterprise)) == 3
    settings.YINGJI_RISKS_CARDS = ("emergency",)
    assert _pages(cards.cards_pdf(enterprise)) == 1
    settings.YINGJI_RISKS_CARDS = ("nonsense",)
    with pytest.raises(ValueError):
        cards.card_set()


def test_cards_pdf_reads_the_points_once_whatever_the_number_of_posts(
    enterprise, make_point, django_assert_num_queries
):
    with django_assert_num_queries(3):  # posts, points, their measures
        assert _pages(cards.cards_pdf(enterprise)) == 3
    for post in ("电工", "焊工", "司机"):
        make_point(enterprise, level="large", post=post, measures=[("emergency", f"{post}应急处置")])
    with django_assert_num_queries(3):
        pdf = cards.cards_pdf(enterprise)
    assert _pages(pdf) == 12
    with django_assert_num_queries(2):  # posts given: points and measures only
        assert _pages(cards.cards_pdf(enterprise, ["焊工"], ["emergency"])) == 1
    emergency = dict(cards.card_content(enterprise, "焊工", "emergency")["sections"])
    assert emergency["应急处置措施"] == ["焊工应急处置"]
