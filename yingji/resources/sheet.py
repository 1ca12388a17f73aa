"""The shelters' "一张表" (C10; seed 003: "形成全市应急避难场所'一张表'"): one formatted Excel sheet
with a title, grouped by county, subtotals and a grand total, and the per-capita area per shelter."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from yingji.framework.masking import display_value
from yingji.resources.models import Shelter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_SUB_FILL = PatternFill("solid", fgColor="F2F2F2")


def _columns():
    return [
        (_("序号"), 6),
        (_("场所名称"), 28),
        (_("所属县（区）"), 12),
        (_("所属地区"), 16),
        (_("地址"), 28),
        (_("场所类型"), 14),
        (_("避难期"), 8),
        (_("空间类型"), 12),
        (_("分级"), 12),
        (_("有效避难面积（m²）"), 14),
        (_("可容纳人数"), 11),
        (_("人均有效面积（m²/人）"), 14),
        (_("设施设备"), 30),
        (_("启用状态"), 10),
        (_("当前安置人数"), 11),
        (_("管护责任人"), 11),
        (_("联系电话"), 14),
        (_("评估结果"), 10),
        (_("评估日期"), 12),
        (_("经度"), 11),
        (_("纬度"), 11),
    ]


def _county_of(shelter: Shelter) -> str:
    return shelter.place.path.strip("/").split("/")[1] if shelter.place.path.count("/") >= 2 else ""


def write_sheet(queryset, user, target) -> int:
    from yingji.places.models import Place

    shelters = list(queryset.select_related("place").order_by("place__path", "name"))
    county_names = dict(
        Place.objects.filter(code__in={_county_of(s) for s in shelters}).values_list("code", "name")
    )
    groups: dict[str, list[Shelter]] = defaultdict(list)
    for s in shelters:
        groups[_county_of(s)].append(s)
    columns = _columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("避难场所一张表")
    last = get_column_letter(len(columns))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = _("应急避难场所“一张表”")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = _("导出时间：%(t)s　共 %(n)s 处") % {
        "t": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "n": len(shelters),
    }
    ws["A2"].alignment = Alignment(horizontal="right")
    for i, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C4"
    row = 4
    n = 0
    facilities = Shelter._meta.get_field("facilities")
    total_area, total_cap, total_occ = Decimal("0"), 0, 0
    for county in sorted(groups):
        area, cap, occ = Decimal("0"), 0, 0
        for s in groups[county]:
            n += 1
            per_capita = s.per_capita_area
            values = [
                n,
                s.name,
                county_names.get(county, ""),
                s.place.name,
                s.address,
                s.get_shelter_type_display(),
                s.get_fixed_period_display() if s.fixed_period else "",
                s.get_space_type_display(),
                s.get_grade_display(),
                float(s.effective_area_m2),
                s.capacity,
                float(per_capita) if per_capita is not None else None,
                facilities.display(s.facilities),
                s.get_status_display(),
                s.occupancy,
                s.keeper_name,
                display_value(user, Shelter, "keeper_mobile", s.keeper_mobile),
                s.get_evaluation_display(),
                s.evaluated_on.isoformat() if s.evaluated_on else "",
                s.longitude,
                s.latitude,
            ]
            for i, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=i, value=value)
                cell.border = _BORDER
            ws.cell(row=row, column=10).number_format = "#,##0.0"
            ws.cell(row=row, column=12).number_format = "0.00"
            area += Decimal(s.effective_area_m2)
            cap += s.capacity
            occ += s.occupancy
            row += 1
        _subtotal(
            ws, row, _("%(c)s 小计") % {"c": county_names.get(county, county) or _("其他")}, area, cap, occ
        )
        row += 1
        total_area, total_cap, total_occ = total_area + area, total_cap + cap, total_occ + occ
    _subtotal(ws, row, _("合计"), total_area, total_cap, total_occ)
    wb.save(target)
    return n


def _subtotal(ws, row, label, area, cap, occ):
    ws.cell(row=row, column=2, value=label)
    ws.cell(row=row, column=10, value=float(area)).number_format = "#,##0.0"
    ws.cell(row=row, column=11, value=cap)
    if cap:
        ws.cell(row=row, column=12, value=round(float(area) / cap, 2)).number_format = "0.00"
    ws.cell(row=row, column=15, value=occ)
    for col in range(1, 22):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = _SUB_FILL
        cell.border = _BORDER


def shelter_sheet_response(queryset, user) -> FileResponse:
    handle = tempfile.TemporaryFile()
    write_sheet(queryset, user, handle)
    handle.seek(0)
    name = f"shelters-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)
