import base64
import datetime as dt
import io
import re
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document as Docx

from yingji.incidents.services import add_timeline
from yingji.reporting import documents
from yingji.reporting.documents import period

TZ = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 6, 10, 10, 0, tzinfo=TZ)

pytestmark = pytest.mark.django_db


def test_periods():
    day = dt.date(2026, 6, 10)  # a Wednesday
    assert period("daily", day) == (day, day)
    assert period("weekly", day) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert period("monthly", day) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert period("monthly", dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.fixture
def day_data(record, county_duty):
    with time_machine.travel(T0, tick=False):
        info = record(
            occurred_at=T0 - dt.timedelta(minutes=30), received_at=T0, deaths=2, title="某化工厂爆炸事故"
        )
        add_timeline(info.incident, "dispatch", "调派消防救援队伍3支", actor=county_duty)
    with time_machine.travel(T0 - dt.timedelta(days=7), tick=False):
        record(
            occurred_at=T0 - dt.timedelta(days=7, hours=1),
            received_at=T0 - dt.timedelta(days=7),
            title="上周事件",
        )
    return info


def test_daily_brief_is_built_from_data(day_data, county_duty):
    doc = documents.build("daily", dt.date(2026, 6, 10), county_duty)
    assert doc.figures["incidents"] == 1 and doc.figures["deaths"] == 2
    text = str(documents.as_json(doc))
    assert "某化工厂爆炸事故" in text and "调派消防救援队伍3支" in text and "电话报告" in text
    assert "上周事件" not in text


def test_weekly_compares_with_the_previous_week(day_data, county_duty):
    doc = documents.build("weekly", dt.date(2026, 6, 10), county_duty)
    assert doc.figures["incidents"] == 1 and doc.figures["previous"]["incidents"] == 1
    assert "与上期" in doc.sections[0].paragraphs[1]


def test_word_and_pdf(day_data, county_duty):
    doc = documents.build("daily", dt.date(2026, 6, 10), county_duty)
    body, content_type, name = documents.render(doc, "docx")
    word = Docx(io.BytesIO(body))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "每日简况" in text and "某化工厂爆炸事故" in cells
    pdf, content_type, name = documents.render(doc, "pdf")
    assert pdf.startswith(b"%PDF") and content_type == "application/pdf"
    text = pdf_text(pdf)
    assert "每日简况" in text and "某化工厂爆炸事故" in text and "调派消防救援队伍3支" in text


def pdf_text(pdf: bytes) -> str:
    """The text shown by the PDF: its content streams inflated and the UTF-16 strings (CID font
    STSong-Light, UniGB-UCS2-H) decoded."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = m.group(1)
        for inflate in (zlib.decompress, lambda x: zlib.decompress(base64.a85decode(x.strip(), adobe=True))):
            try:
                content = inflate(raw)
                break
            except Exception:  # noqa: BLE001 - not this encoding (or not a content stream)
                content = b""
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            data = re.sub(rb"\\([0-7]{1,3})", lambda g: bytes([int(g.group(1), 8)]), literal)
            data = re.sub(rb"\\(.)", rb"\1", data)
            out.append(data.decode("utf-16-be", errors="ignore"))
    return "".join(out)


def test_documents_only_show_the_users_scope(day_data, make_user, region):
    from yingji.framework.roles import Role

    other = make_user(Role.DUTY_OFFICER, place=region["county1"])
    doc = documents.build("daily", dt.date(2026, 6, 10), other)
    assert doc.figures["incidents"] == 0
    assert "某化工厂爆炸事故" not in str(documents.as_json(doc))


def test_town_user_sees_only_its_town_in_every_document(record, make_user, region, city_duty, api):
    """A town duty officer's brief holds its own town's incidents, timeline, incoming information and
    reports — not another county's, not a sibling town's (the city's brief holds all three)."""
    from yingji.framework.roles import Role

    with time_machine.travel(T0, tick=False):
        record(received_at=T0, title="本镇事故", deaths=1)
        record(received_at=T0, title="他县事故", place=region["village100"], actor=city_duty, deaths=2)
        record(received_at=T0, title="同县他镇事故", place=region["village010"], deaths=3)
    town = make_user(Role.DUTY_OFFICER, place=region["town00"])
    for kind in ("daily", "weekly", "monthly"):
        doc = documents.build(kind, T0.date(), town)
        text = str(documents.as_json(doc))
        assert "本镇事故" in text and "他县事故" not in text and "同县他镇事故" not in text
        assert (doc.figures["incidents"], doc.figures["deaths"]) == (1, 1)
        incoming = next(s for s in doc.sections if s.heading.startswith("五"))
        assert incoming.paragraphs == ["本期共接报信息1条。"]
        city = documents.build(kind, T0.date(), city_duty)
        assert (city.figures["incidents"], city.figures["deaths"]) == (3, 6)
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        body = api(town).get("/api/v1/reporting/documents/daily/", {"date": "2026-06-10"}).json()
    assert body["figures"]["incidents"] == 1 and body["figures"]["reports"]["due"] == 1
    assert "他县事故" not in str(body) and "同县他镇事故" not in str(body)
