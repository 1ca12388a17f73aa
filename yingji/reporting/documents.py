"""值班简报: the daily brief (每日简况), the weekly and the monthly analysis, built from data
(incidents of the period, their timeline in the period, incoming information by source, upward
report timeliness; week and month compared with the previous period) and written as Word (.docx,
python-docx), PDF (reportlab, CID font STSong-Light) or shown as HTML.

``build(kind, day, user)`` returns a :class:`Document` (only rows the user may view);
``render(document, fmt)`` returns ``(bytes, content_type, file name)``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.incidents.choices import Category, EventType, Grade
from yingji.incidents.models import Incident, TimelineEntry
from yingji.reporting import stats
from yingji.reporting.choices import Source
from yingji.reporting.models import IncomingInfo, UpwardReport
from yingji.reporting.rules import TZ

PDF_FONT = "STSong-Light"
KINDS = ("daily", "weekly", "monthly")
MAX_TIMELINE = 300


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


@dataclass
class Document:
    kind: str
    title: str
    subtitle: str
    start: dt.datetime
    end: dt.datetime
    sections: list[Section] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    @property
    def file_stem(self) -> str:
        return f"{self.title}_{self.start:%Y%m%d}"


#: the years a brief may cover (a date far outside would leave the calendar when the period is built)
YEARS = (1900, 2100)


def default_day() -> dt.date:
    return timezone.localdate()


def parse_day(value: str | None) -> dt.date:
    """The date of ``?date=YYYY-MM-DD``; ValueError when malformed or outside :data:`YEARS`."""
    day = dt.date.fromisoformat(value or "")
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(value)
    return day


def period(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """[first, last] dates of the day, the week (Monday–Sunday) or the month containing ``day``."""
    if kind == "daily":
        return day, day
    if kind == "weekly":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def previous_day(kind: str, first: dt.date) -> dt.date:
    return first - dt.timedelta(days=1)


def _fmt(value: dt.datetime | None) -> str:
    return timezone.localtime(value, TZ).strftime("%m-%d %H:%M") if value else ""


def figures(user, start, end) -> dict:
    """Totals of the incidents the user may see that occurred in [start, end)."""
    incidents = Incident.objects.visible_to(user).filter(occurred_at__gte=start, occurred_at__lt=end)
    return _totals(
        incidents.only("deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss_wan")
    )


def _totals(incidents) -> dict:
    totals = {"incidents": 0, "deaths": 0, "missing": 0, "injuries": 0, "loss": Decimal("0.00")}
    for i in incidents:
        totals["incidents"] += 1
        totals["deaths"] += i.deaths
        totals["missing"] += i.missing
        totals["injuries"] += i.serious_injuries + i.minor_injuries
        totals["loss"] += i.direct_loss_wan
    return totals


def _change(now: int | Decimal, before: int | Decimal) -> str:
    if before == 0:
        return _("上期为0") if now else _("持平")
    pct = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    if pct == 0:
        return _("持平")
    return (_("上升%(p).1f%%") if pct > 0 else _("下降%(p).1f%%")) % {"p": abs(pct)}


def build(kind: str, day: dt.date, user) -> Document:
    first, last = period(kind, day)
    start, end = stats.day_bounds(first, last)
    names = {"daily": _("每日简况"), "weekly": _("值班信息周分析"), "monthly": _("值班信息月分析")}
    if kind == "daily":
        subtitle = _("%(d)s（0时至24时）") % {"d": f"{first:%Y年%m月%d日}"}
    else:
        subtitle = _("%(a)s至%(b)s") % {"a": f"{first:%Y年%m月%d日}", "b": f"{last:%Y年%m月%d日}"}
    doc = Document(kind, names[kind], subtitle, start, end)
    incidents = list(
        Incident.objects.visible_to(user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("place")
        .order_by("occurred_at", "pk")
    )
    totals = _totals(incidents)
    doc.figures = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in totals.items()}

    # 1. overview (and comparison with the previous period)
    overview = Section(_("一、总体情况"))
    overview.paragraphs.append(
        _("本期共发生突发事件%(n)d起，死亡%(d)d人，失踪%(m)d人，受伤%(i)d人，直接经济损失%(l)s万元。")
        % {
            "n": totals["incidents"],
            "d": totals["deaths"],
            "m": totals["missing"],
            "i": totals["injuries"],
            "l": totals["loss"],
        }
    )
    if kind != "daily":
        p_first, p_last = period(kind, previous_day(kind, first))
        p_start, p_end = stats.day_bounds(p_first, p_last)
        before = figures(user, p_start, p_end)
        doc.figures["previous"] = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in before.items()}
        overview.paragraphs.append(
            _("与上期（%(a)s至%(b)s）相比：事件起数%(n)s（上期%(pn)d起），死亡人数%(d)s（上期%(pd)d人）。")
            % {
                "a": f"{p_first:%m月%d日}",
                "b": f"{p_last:%m月%d日}",
                "n": _change(totals["incidents"], before["incidents"]),
                "pn": before["incidents"],
                "d": _change(totals["deaths"], before["deaths"]),
                "pd": before["deaths"],
            }
        )
    doc.sections.append(overview)

    # 2. by category, type, grade
    by_type = Section(
        _("二、分类统计"),
        headers=[_("类别"), _("类型"), _("一般"), _("较大"), _("重大"), _("特别重大"), _("合计")],
    )
    counter = Counter((i.category, i.event_type, i.grade) for i in incidents)
    for cat, etype in sorted({(c, t) for c, t, _g in counter}):
        row = [str(Category(cat).label), str(EventType(etype).label)]
        row += [counter.get((cat, etype, g), 0) for g in Grade.values]
        row.append(sum(row[2:]))
        by_type.rows.append(row)
    if not by_type.rows:
        by_type.paragraphs.append(_("本期无突发事件。"))
    doc.sections.append(by_type)

    # 3. the incidents
    listing = Section(
        _("三、事件情况"),
        headers=[
            _("编号"),
            _("事件"),
            _("地点"),
            _("发生时间"),
            _("等级"),
            _("死亡/失踪/受伤"),
            _("损失（万元）"),
            _("状态"),
        ],
    )
    for i in incidents:
        listing.rows.append(
            [
                i.number or "",
                i.title,
                i.place.name,
                _fmt(i.occurred_at),
                i.get_grade_display(),
                f"{i.deaths}/{i.missing}/{i.serious_injuries + i.minor_injuries}",
                str(i.direct_loss_wan),
                i.get_status_display(),
            ]
        )
    doc.sections.append(listing)

    # 4. what happened in the period (the incidents' timelines: dispatches, tasks, reports …)
    entries = (
        TimelineEntry.objects.filter(incident__in=Incident.objects.visible_to(user).values("pk"))
        .filter(at__gte=start, at__lt=end)
        .select_related("incident")
        .order_by("incident__occurred_at", "incident_id", "at", "pk")[:MAX_TIMELINE]
    )
    progress = Section(_("四、事件处置进展"), headers=[_("事件"), _("时间"), _("类别"), _("内容")])
    for e in entries:
        progress.rows.append([e.incident.title, _fmt(e.at), e.get_kind_display(), e.text])
    if not progress.rows:
        progress.paragraphs.append(_("本期无处置记录。"))
    doc.sections.append(progress)

    # 5. incoming information by source
    infos = IncomingInfo.objects.visible_to(user).filter(received_at__gte=start, received_at__lt=end)
    sources = Counter(infos.values_list("source", flat=True))
    incoming = Section(_("五、接报情况"), headers=[_("信息来源"), _("条数")])
    for value, label in Source.choices:
        if sources.get(value):
            incoming.rows.append([str(label), sources[value]])
    incoming.paragraphs.append(_("本期共接报信息%(n)d条。") % {"n": sum(sources.values())})
    doc.sections.append(incoming)

    # 6. upward reporting timeliness
    reports = UpwardReport.objects.visible_to(user).filter(due_at__gte=start, due_at__lt=end)
    timeliness = stats.stats_for(reports)
    report_section = Section(_("六、信息报送情况"))
    report_section.paragraphs.append(
        _(
            "应报%(due)d次，按时报送%(on_time)d次，迟报%(late)d次，漏报（逾期未报）%(missing)d次，要素不全%(incomplete)d次。"
        )
        % timeliness
    )
    flagged = reports.filter(stats.flagged_q(timezone.now())).select_related(
        "incident", "from_place", "to_place"
    )
    if flagged:
        report_section.headers = [
            _("事件"),
            _("报送地区"),
            _("接收单位"),
            _("类型"),
            _("时限"),
            _("报送时间"),
            _("状态"),
        ]
        for r in flagged:
            report_section.rows.append(
                [
                    r.incident.title,
                    r.from_place.name,
                    r.recipient_name,
                    r.get_kind_display(),
                    _fmt(r.due_at),
                    _fmt(r.reported_at),
                    r.get_state_display(),
                ]
            )
    doc.figures["reports"] = timeliness
    doc.sections.append(report_section)
    return doc


def as_json(doc: Document) -> dict:
    return {
        "kind": doc.kind,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "start": doc.start.isoformat(),
        "end": doc.end.isoformat(),
        "figures": doc.figures,
        "sections": [
            {"heading": s.heading, "paragraphs": s.paragraphs, "headers": s.headers, "rows": s.rows}
            for s in doc.sections
        ],
    }


def docx_bytes(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.oxml.ns import qn

    word = Docx()
    style = word.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.subtitle)
    for section in doc.sections:
        word.add_heading(section.heading, level=1)
        for p in section.paragraphs:
            word.add_paragraph(p)
        if section.headers and section.rows:
            table = word.add_table(rows=1, cols=len(section.headers))
            table.style = "Table Grid"
            for cell, h in zip(table.rows[0].cells, section.headers, strict=False):
                cell.text = str(h)
            for row in section.rows:
                cells = table.add_row().cells
                for cell, v in zip(cells, row, strict=False):
                    cell.text = "" if v is None else str(v)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def pdf_bytes(doc: Document) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    body = ParagraphStyle("b", fontName=PDF_FONT, fontSize=10, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=PDF_FONT, fontSize=8, leading=10, wordWrap="CJK")
    h1 = ParagraphStyle("h", fontName=PDF_FONT, fontSize=12, leading=18, spaceBefore=6)
    out = BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=doc.title,
    )
    story = [
        Paragraph(
            escape(doc.title), ParagraphStyle("t", fontName=PDF_FONT, fontSize=18, leading=24, alignment=1)
        ),
        Paragraph(
            escape(doc.subtitle), ParagraphStyle("s", fontName=PDF_FONT, fontSize=10, leading=14, alignment=1)
        ),
        Spacer(1, 4 * mm),
    ]
    for section in doc.sections:
        story.append(Paragraph(escape(section.heading), h1))
        for p in section.paragraphs:
            story.append(Paragraph(escape(p), body))
        if section.headers and section.rows:
            data = [[Paragraph(escape(str(h)), cell) for h in section.headers]]
            data += [
                [Paragraph(escape("" if v is None else str(v)), cell) for v in row] for row in section.rows
            ]
            table = LongTable(data, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
    pdf.build(story)
    return out.getvalue()


def render(doc: Document, fmt: str) -> tuple[bytes, str, str]:
    if fmt == "pdf":
        return pdf_bytes(doc), "application/pdf", quote(f"{doc.file_stem}.pdf")
    return (
        docx_bytes(doc),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        quote(f"{doc.file_stem}.docx"),
    )
