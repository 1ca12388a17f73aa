"""Excel export of any object list, and the import templates (F9).

Exports show values as the user sees them on the page: choice labels, related objects by name
(places as "名称（区划代码）"), flags as "危险化学品、有限空间", personal data masked for users
without clearance. They are written with openpyxl's write-only mode into a temporary file that is
streamed to the client, so 100,000 rows do not sit in memory.
"""

from __future__ import annotations

import datetime
import decimal
import json
import tempfile
from io import BytesIO
from types import SimpleNamespace

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yingji.framework.masking import display_value, personal_fields

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


# ---------------------------------------------------------------------------------------------
# Export


class ExportColumn:
    """One exported column: a model field path (``place`` or ``committee__place``) or a table column."""

    def __init__(self, model, path: str, header: str, table=None, name: str = ""):
        self.header = str(header)
        self.path = path.replace(".", "__")
        self.table, self.name = table, name
        self.fields = []  # the chain of model fields, or [] for a computed table column
        current = model
        for part in self.path.split("__"):
            try:
                f = current._meta.get_field(part)
            except Exception:  # noqa: BLE001 - not a model field: rendered by the table
                self.fields = []
                break
            self.fields.append(f)
            current = f.related_model if f.is_relation else current
        self.owner = self.fields[-1].model if self.fields else model

    @property
    def select_related(self) -> str | None:
        relations = [f.name for f in self.fields if f.is_relation and not f.many_to_many]
        return "__".join(relations) if relations else None

    def value(self, obj, user):
        if not self.fields:
            from django_tables2.rows import BoundRow

            return BoundRow(obj, table=self.table).get_cell_value(self.name)
        value = obj
        for f in self.fields:
            if value is None:
                return None
            value = getattr(value, f.name)
        last = self.fields[-1]
        if value is None or value == "":
            return None
        if hasattr(last, "display"):  # FlagsField
            value = last.display(value)
        elif last.choices:
            value = str(dict(last.flatchoices).get(value, value))
        elif last.is_relation:
            value = _related_text(value)
        elif isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        elif isinstance(value, decimal.Decimal):
            value = float(value)
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        if user is not None and last.name in personal_fields(self.owner):
            value = display_value(user, self.owner, last.name, value)
        return value


def _related_text(obj) -> str:
    code = getattr(obj, "code", None)
    if code and obj._meta.label_lower == "places.place":
        return f"{obj}（{code}）"
    return str(obj)


def export_columns(object_type, user=None) -> list[ExportColumn]:
    """``object_type.export_fields`` if set, else the columns of its list table."""
    model = object_type.model
    if object_type.export_fields:
        return [ExportColumn(model, path, header) for path, header in object_type.export_fields]
    table = object_type.table(model.objects.none())  # a queryset: headers come from verbose names
    table.request = SimpleNamespace(user=user)  # computed columns may render per user
    columns = []
    for bound in table.columns:
        accessor = str(bound.accessor) if bound.accessor else bound.name
        columns.append(ExportColumn(model, accessor, bound.header, table=table, name=bound.name))
    return columns


def write_export(object_type, queryset, user, target) -> int:
    """Write the rows of ``queryset`` to ``target`` (path or binary file); returns the row count.

    ``user`` None means the system (command line without --user): nothing is masked.
    """
    columns = export_columns(object_type, user)
    related = sorted({c.select_related for c in columns if c.select_related})
    if related:
        queryset = queryset.select_related(*related)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(str(object_type.model._meta.verbose_name_plural)))
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(c.header) * 2 + 4))
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font = _HEADER_FONT
        header.append(cell)
    ws.append(header)
    count = 0
    for obj in queryset.iterator(chunk_size=2000):
        ws.append([c.value(obj, user) for c in columns])
        count += 1
    wb.save(target)
    return count


def export_filename(object_type) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{object_type.model._meta.verbose_name_plural}-{stamp}.xlsx"


def export_response(object_type, queryset, user):
    """The list page's "导出Excel": ``queryset`` is already scoped to the user and filtered."""
    tmp = tempfile.TemporaryFile()
    write_export(object_type, queryset, user, tmp)
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=export_filename(object_type), content_type=XLSX_TYPE
    )


def _sheet_title(text: str) -> str:
    return "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "Sheet1"


# ---------------------------------------------------------------------------------------------
# Import templates

_GENERAL_RULES = [
    gettext_lazy(
        "第1行是表头（列名），请勿修改列名（列的顺序可以调整，不需要的选填列可以删除）；从第2行起每行填写一条记录。"
    ),
    gettext_lazy("红色列名为必填列；其余列可留空。更新已有记录时，留空的单元格保持原值不变。"),
    gettext_lazy("下拉列表列请从列表中选择；也可填写代码（如行业大类“26”）。"),
    gettext_lazy("代码、手机号等列已设为文本格式，请不要改为数字格式，以免前导0丢失或变成科学计数法。"),
    gettext_lazy(
        "上传后系统先校验全部数据并给出错误清单（行号、列名、原因），此时不会写入任何数据；"
        "确认后一次性全部导入，任何一行失败则全部不导入。"
    ),
    gettext_lazy("只能导入您管辖范围内的数据。"),
]
_FORMATS = [
    (
        gettext_lazy("统一社会信用代码"),
        gettext_lazy("18位，数字或大写字母（不使用 I、O、S、V、Z），第18位为校验码（GB 32100-2015）。"),
    ),
    (
        gettext_lazy("区划代码"),
        gettext_lazy("12位数字的统计用区划代码，如 320602001201（村/社区）、320602001000（镇/街道）。"),
    ),
    (gettext_lazy("手机"), gettext_lazy("11位数字，以13–19开头，如 13812345678。")),
    (gettext_lazy("固定电话"), gettext_lazy("区号-号码，如 0513-85123456。")),
    (gettext_lazy("风险标记"), gettext_lazy("填写中文名称，多个用顿号“、”分隔，如：危险化学品、有限空间。")),
    (gettext_lazy("经纬度"), gettext_lazy("WGS84 坐标，小数形式，如 经度 120.894、纬度 31.981。")),
]


def build_template(importer_cls) -> bytes:
    """The .xlsx template of one import kind: data sheet, instructions (with an example) and
    the hidden option lists behind the dropdowns."""
    wb = Workbook()
    ws = wb.active
    ws.title = importer_cls.sheet_title
    options = wb.create_sheet("选项")
    guide = wb.create_sheet("填写说明")
    columns = importer_cls.columns

    option_col = 0
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=str(col.header))
        cell.font = _REQUIRED_FONT if col.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.note:
            cell.comment = Comment(str(col.note), "应急管理综合应用平台")
        ws.column_dimensions[letter].width = col.width
        if col.text:
            ws.column_dimensions[letter].number_format = "@"
        if col.choices:
            option_col += 1
            opt_letter = get_column_letter(option_col)
            options.cell(row=1, column=option_col, value=str(col.header))
            for r, (_code, label) in enumerate(col.choices, start=2):
                options.cell(row=r, column=option_col, value=str(label))
            dv = DataValidation(
                type="list",
                formula1=f"'选项'!${opt_letter}$2:${opt_letter}${len(col.choices) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=_("不在下拉列表中"),
                error=_("请从下拉列表中选择，或填写有效的代码。"),
            )
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    options.sheet_state = "hidden"

    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 30
    kind_label = str(importer_cls.model._meta.verbose_name)
    guide.append([_("%(kind)s导入模板 · 填写说明") % {"kind": kind_label}])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([])
    for n, rule in enumerate(_GENERAL_RULES, start=1):
        guide.append([f"{n}. {rule}"])
    guide.append([])
    guide.append([_("列名"), _("是否必填"), _("格式要求"), _("示例")])
    for cell in guide[guide.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for col in columns:
        note = str(col.note)
        if col.choices and len(col.choices) <= 12:
            note = (
                (note + "；" if note else "")
                + _("可选：")
                + "、".join(str(label) for _c, label in col.choices)
            )
        elif col.choices:
            note = note or _("从下拉列表中选择")
        guide.append([str(col.header), _("必填") if col.required else _("选填"), note, col.example])
        if col.required:
            guide.cell(row=guide.max_row, column=1).font = _REQUIRED_FONT
    flags = _flag_labels(importer_cls.model)
    if flags:
        guide.append([])
        guide.append([_("风险标记可选值"), "", "、".join(flags)])
    guide.append([])
    guide.append([_("常用格式")])
    guide.cell(row=guide.max_row, column=1).font = _HEADER_FONT
    for name, text in _FORMATS:
        guide.append([str(name), "", str(text)])
    guide.append([])
    guide.append([_("示例（请在“%(s)s”工作表中填写，本表内容不会被导入）") % {"s": importer_cls.sheet_title}])
    guide.cell(row=guide.max_row, column=1).font = _HEADER_FONT
    guide.append([str(c.header) for c in columns])
    guide.append([c.example for c in columns])
    for row in guide.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _flag_labels(model) -> list[str]:
    from yingji.framework.fields import FlagsField

    for f in model._meta.concrete_fields:
        if isinstance(f, FlagsField):
            return [str(label) for _c, label in f.flag_choices]
    return []


def template_filename(importer_cls) -> str:
    return f"{importer_cls.model._meta.verbose_name_plural}导入模板.xlsx"
