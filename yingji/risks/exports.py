""" "两单": the enterprise's risk list (风险管控清单) and control-measure list as Excel and PDF.

The rows are built by :func:`risk_list_rows` / :func:`measure_list_rows` (tested directly); the
writers only lay them out. PDF uses reportlab's built-in CID font ``STSong-Light`` (no font files).
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.risks.choices import ACCIDENT_TYPES, LEVEL_COLOURS
from yingji.risks.models import ControlMeasure, RiskPoint

PDF_FONT = "STSong-Light"


def accident_labels(codes) -> str:
    labels = dict(ACCIDENT_TYPES)
    return "、".join(str(labels.get(c, c)) for c in codes)


def risk_list_headers() -> list[str]:
    return [
        _("序号"),
        _("风险点名称"),
        _("区域/场所"),
        _("单元/装置设施"),
        _("岗位"),
        _("危险有害因素"),
        _("可能导致的事故类型"),
        _("评价方法"),
        _("取值"),
        _("风险值"),
        _("风险等级"),
        _("颜色"),
        _("管控层级"),
        _("管控责任人"),
        _("下次复评日期"),
    ]


def risk_list_rows(enterprise) -> list[list]:
    """One row per risk point of the enterprise, highest risk first."""
    rows = []
    points = RiskPoint.objects.filter(enterprise=enterprise).order_by("-score", "name")
    for i, p in enumerate(points, 1):
        rows.append(
            [
                i,
                p.name,
                p.area,
                p.unit,
                p.post,
                p.hazard_factors,
                accident_labels(p.accident_types),
                "LEC" if p.method == "lec" else "LS",
                p.factors,
                f"{p.score:g}",
                str(p.get_level_display()),
                str(LEVEL_COLOURS[p.level][1]),
                str(p.get_control_level_display()),
                p.responsible_name,
                p.review_date.isoformat() if p.review_date else "",
            ]
        )
    return rows


def measure_list_headers() -> list[str]:
    return [
        _("序号"),
        _("风险点名称"),
        _("风险等级"),
        _("措施类别"),
        _("管控措施"),
        _("管控层级"),
        _("落实责任人"),
    ]


def measure_list_rows(enterprise) -> list[list]:
    """One row per control measure of the enterprise's risk points, grouped by risk point."""
    measures = (
        ControlMeasure.objects.filter(risk_point__enterprise=enterprise)
        .select_related("risk_point")
        .order_by("-risk_point__score", "risk_point__name", "kind", "id")
    )
    return [
        [
            i,
            m.risk_point.name,
            str(m.risk_point.get_level_display()),
            str(m.get_kind_display()),
            m.content,
            str(m.risk_point.get_control_level_display()),
            m.responsible_name or m.risk_point.responsible_name,
        ]
        for i, m in enumerate(measures, 1)
    ]


LISTS = {
    "risks": (_("安全风险管控清单"), risk_list_headers, risk_list_rows),
    "measures": (_("风险管控措施清单"), measure_list_headers, measure_list_rows),
}


def xlsx_bytes(title: str, headers: list, rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from yingji.risks.choices import RiskLevel

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    fills = {str(RiskLevel(lv).label): colour[2].lstrip("#") for lv, colour in LEVEL_COLOURS.items()}
    level_col = next((i for i, h in enumerate(headers) if h == _("风险等级")), None)
    for row in rows:
        ws.append(row)
        if level_col is not None and row[level_col] in fills:
            ws.cell(ws.max_row, level_col + 1).fill = PatternFill("solid", fgColor=fills[row[level_col]])
    for col in ws.iter_cols(min_row=2):
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(max(6, width * 1.8), 50)
        for c in col:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def pdf_bytes(title: str, subtitle: str, headers: list, rows: list[list]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from yingji.risks.choices import RiskLevel

    font = register_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontSize=8)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
    )
    story = [
        Paragraph(title, ParagraphStyle("t", fontName=font, fontSize=16, leading=20, alignment=1)),
        Paragraph(subtitle, ParagraphStyle("s", fontName=font, fontSize=9, leading=12, alignment=1)),
        Spacer(1, 4 * mm),
    ]
    data = [[Paragraph(str(h), head) for h in headers]]
    data += [[Paragraph(str(v if v is not None else ""), cell) for v in row] for row in rows]
    table = LongTable(data, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    fills = {str(RiskLevel(lv).label): colour[2] for lv, colour in LEVEL_COLOURS.items()}
    level_col = next((i for i, h in enumerate(headers) if h == _("风险等级")), None)
    if level_col is not None:
        for r, row in enumerate(rows, 1):
            if row[level_col] in fills:
                style.append(
                    ("BACKGROUND", (level_col, r), (level_col, r), colors.HexColor(fills[row[level_col]]))
                )
    table.setStyle(TableStyle(style))
    story.append(table)
    doc.build(story)
    return out.getvalue()


def export_list(enterprise, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one list of one enterprise in ``xlsx`` or ``pdf``."""
    title, headers_of, rows_of = LISTS[kind]
    title = str(title)
    headers, rows = headers_of(), rows_of(enterprise)
    stamp = timezone.localdate().isoformat()
    name = f"{enterprise.name}-{title}-{stamp}.{fmt}"
    if fmt == "xlsx":
        from yingji.exchange.excel import XLSX_TYPE

        return xlsx_bytes(title, headers, rows), XLSX_TYPE, name
    subtitle = _("企业：%(name)s    统一社会信用代码：%(uscc)s    导出日期：%(date)s") % {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "date": stamp,
    }
    return pdf_bytes(title, subtitle, headers, rows), "application/pdf", name
