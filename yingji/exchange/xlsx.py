"""Reading uploaded .xlsx files: upload checks and a streaming row reader.

Only the Office Open XML workbook format (.xlsx, Excel 2007+ / WPS) is accepted. Cells come back
as stripped strings (numbers without a spurious ".0", so that a code typed as a number survives)
or ``None`` for empty cells.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Largest accepted upload (bytes); 100,000 enterprises take about 7 MB.
MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)
#: Largest accepted uncompressed workbook (guards against "zip bombs").
MAX_UNCOMPRESSED_BYTES = getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
#: Most data rows one import may hold.
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 200_000)


def check_upload(upload) -> None:
    """Refuse anything that is not a reasonably sized .xlsx workbook, with a message saying why."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("文件过大（%(size).1f MB），单次导入不超过 %(max)d MB：请拆分为多个文件分批导入。")
                    % {"size": upload.size / 1024 / 1024, "max": MAX_UPLOAD_BYTES // 1024 // 1024},
                    code="file_too_large",
                )
            }
        )
    if upload.size == 0:
        raise ValidationError(
            {"file": ValidationError(_("文件是空的，请选择填好的 Excel 文件。"), code="file_empty")}
        )
    type_error = ValidationError(
        {
            "file": ValidationError(
                _(
                    "只支持 Excel 2007 及以上版本的 .xlsx 文件：请用导入模板填写，在 Excel 或 WPS 中“另存为”.xlsx 格式后再上传"
                    "（不支持 .xls、.csv 等格式）。"
                ),
                code="file_type",
            )
        }
    )
    if not name.endswith(".xlsx"):
        raise type_error
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as zf:
            names = set(zf.namelist())
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise type_error from None
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise type_error
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("文件解压后过大，无法导入：请拆分为多个文件分批导入。"), code="file_too_large"
                )
            }
        )


def cell_text(value) -> str | None:
    """A cell value as the text the user typed: ``None`` for empty, integers without ".0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


class SheetError(Exception):
    """The workbook cannot be read at all (damaged file, no worksheet)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------
# Streaming reader
#
# openpyxl's read-only mode spends ~300 µs per 16-cell row building objects for every cell (and
# twice as long for inline strings, which openpyxl itself writes): 100,000 rows took 28–35 s of CPU,
# most of the time budget of an import. The reader below streams the worksheet XML through expat
# and keeps only the cell texts (~9 s for the same file). It understands the parts of
# SpreadsheetML that carry values: shared strings (with rich-text runs, without phonetic guides),
# inline strings, numbers, booleans, errors and formula results; styles, dates and merged cells
# are not needed by the importers. Document type declarations are refused (no entity tricks).

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_READ_BYTES = 1 << 17
_DIGITS = "0123456789"


def _parser(start, end, data):
    from xml.parsers import expat

    def refuse(*_args):
        raise SheetError("file_unreadable", _("该 Excel 文件包含不允许的文档类型声明，无法读取。"))

    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = True
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, data
    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    return p


def _parse_stream(zf, name, start, end, data, after_chunk):
    """Feed a zip member through expat chunk by chunk, yielding what ``after_chunk`` yields."""
    p = _parser(start, end, data)
    with zf.open(name) as f:
        while chunk := f.read(_READ_BYTES):
            p.Parse(chunk, False)
            yield from after_chunk()
        p.Parse(b"", True)
    yield from after_chunk()


def _parse_all(zf, name, start, end=None, data=None) -> None:
    for _item in _parse_stream(
        zf, name, start, end or (lambda tag: None), data or (lambda text: None), lambda: ()
    ):
        pass


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _sheet_part(zf, sheet_title: str | None) -> tuple[str, str | None]:
    """(worksheet part name, shared-strings part name) from the workbook and its relationships."""
    sheets: list[tuple[str, str]] = []
    rels: dict[str, tuple[str, str]] = {}

    def wb_start(name, attrs):
        if name == f"{_MAIN_NS}}}sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL_NS}}}id", "")))

    def rel_start(name, attrs):
        if _local(name) == "Relationship":
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    _parse_all(zf, "xl/workbook.xml", wb_start)
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        _parse_all(zf, "xl/_rels/workbook.xml.rels", rel_start)

    def part(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else "xl/" + target

    if not sheets:
        raise SheetError("file_unreadable", _("该 Excel 文件中没有工作表。"))
    chosen = next((rid for title, rid in sheets if title == sheet_title), sheets[0][1])
    if chosen not in rels:
        raise SheetError("file_unreadable", _("无法读取该 Excel 文件：找不到工作表内容。"))
    shared = next((part(t) for typ, t in rels.values() if typ.endswith("/sharedStrings")), None)
    return part(rels[chosen][1]), shared


def _shared_strings(zf, name: str) -> list[str]:
    strings: list[str] = []
    state = {"parts": None, "in_t": False, "skip": 0}

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            state["parts"] = []
        elif local == "rPh":  # phonetic guide: not part of the value
            state["skip"] += 1
        elif local == "t" and not state["skip"]:
            state["in_t"] = True

    def end(tag):
        local = _local(tag)
        if local == "si":
            strings.append("".join(state["parts"]))
            state["parts"] = None
        elif local == "rPh":
            state["skip"] -= 1
        elif local == "t":
            state["in_t"] = False

    def data(text):
        if state["in_t"]:
            state["parts"].append(text)

    _parse_all(zf, name, start, end, data)
    return strings


def _column_number(ref: str) -> int:
    """1-based column number of a cell reference such as "AB12"."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n


def _number_text(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    if "." not in text and "E" not in text and "e" not in text:
        return text  # an integer as typed (keeps all digits of a long code)
    return cell_text(value)


def iter_rows(path, sheet_title: str | None = None) -> Iterator[tuple[int, list[str | None]]]:
    """Yield ``(row number, cell texts)`` for every row of the worksheet ``sheet_title`` (else the
    first one); empty cells are None. Streams the sheet, so memory does not grow with its size."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SheetError("file_unreadable", _("无法读取该 Excel 文件（文件可能已损坏）。")) from exc
    with zf:
        try:
            sheet, shared_name = _sheet_part(zf, sheet_title)
            shared = _shared_strings(zf, shared_name) if shared_name and shared_name in zf.namelist() else []
            if sheet not in zf.namelist():
                raise SheetError("file_unreadable", _("无法读取该 Excel 文件：找不到工作表内容。"))
            yield from _sheet_rows(zf, sheet, shared)
        except (KeyError, ValueError, IndexError, zipfile.BadZipFile) as exc:
            raise SheetError(
                "file_unreadable", _("无法读取该 Excel 文件（文件可能已损坏）：%(e)s") % {"e": exc}
            ) from exc
        except SheetError:
            raise
        except Exception as exc:  # expat.ExpatError and friends
            raise SheetError(
                "file_unreadable", _("无法读取该 Excel 文件（内容格式错误）：%(e)s") % {"e": exc}
            ) from exc


def _sheet_rows(zf, sheet: str, shared: list[str]):
    done: list[tuple[int, list]] = []
    # the current row / cell, as locals of the handlers (this loop runs for every cell of the file)
    row: list = []
    row_number = 0
    cell_type = "n"
    column = 0
    text: list | None = None
    value: str | None = None
    skip = 0

    locals_: dict[str, str] = {}  # tag → local name
    columns: dict[str, int] = {}  # cell reference letters → column number

    def start(tag, attrs):
        nonlocal row, row_number, cell_type, column, value, text, skip
        local = locals_.get(tag)
        if local is None:
            local = locals_[tag] = tag[tag.rfind("}") + 1 :]
        if local == "c":
            cell_type = attrs.get("t", "n")
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column_number(letters)
            else:
                column = len(row) + 1
            value = None
        elif local == "v" or (local == "t" and not skip):
            text = []
        elif local == "row":
            r = attrs.get("r")
            row_number = int(r) if r else row_number + 1
            row = []
        elif local == "rPh":
            skip += 1

    def end(tag):
        nonlocal value, text, skip
        local = locals_[tag]
        if local == "v" or (local == "t" and text is not None):
            joined = "".join(text)
            value = joined if value is None else value + joined
            text = None
        elif local == "c":
            if value is not None:
                if cell_type == "s":
                    v = shared[int(value)]
                elif cell_type == "n":
                    v = _number_text(value)
                elif cell_type == "b":
                    v = "是" if value == "1" else "否"
                else:  # inlineStr, str (formula result), e (error), d (ISO date)
                    v = value
                v = v.strip() or None
            else:
                v = None
            if column > len(row) + 1:
                row.extend([None] * (column - 1 - len(row)))
            row.append(v)
        elif local == "row":
            done.append((row_number, row))
        elif local == "rPh":
            skip -= 1

    def data(chunk):
        if text is not None:
            text.append(chunk)

    def flush():
        if done:
            out = done[:]
            done.clear()
            yield from out

    yield from _parse_stream(zf, sheet, start, end, data, flush)
