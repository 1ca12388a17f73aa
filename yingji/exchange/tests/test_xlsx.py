"""The streaming reader against hand-written SpreadsheetML (as Excel and WPS save it)."""

import zipfile
from io import BytesIO

import pytest

from yingji.exchange.tests.conftest import xlsx_bytes
from yingji.exchange.xlsx import SheetError, cell_text, iter_rows

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(sheets: dict[str, str], shared: str | None = None, prefix: str = "") -> BytesIO:
    """A minimal .xlsx: ``sheets`` maps titles to <sheetData> contents."""
    buf = BytesIO()
    p = f"{prefix}:" if prefix else ""
    ns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    with zipfile.ZipFile(buf, "w") as z:
        entries = "".join(f'<sheet name="{t}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", f"<workbook {NS} {R_NS}><sheets>{entries}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        if shared is not None:
            rels += (
                '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            )
            z.writestr("xl/sharedStrings.xml", f"<sst {NS}>{shared}</sst>")
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>",
        )
        for i, data in enumerate(sheets.values(), 1):
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f"<{p}worksheet {ns}><{p}sheetData>{data}</{p}sheetData></{p}worksheet>",
            )
    buf.seek(0)
    return buf


def test_shared_strings_rich_text_numbers_gaps_and_row_numbers():
    shared = (
        "<si><t>企业名称</t></si>"
        '<si><r><rPr><b/></rPr><t>南通</t></r><r><t xml:space="preserve">甲公司 </t></r>'
        '<rPh sb="0" eb="2"><t>ナントン</t></rPh></si>'
    )
    data = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>手机</t></is></c></row>'
        '<row r="4"><c r="A4" t="s"><v>1</v></c><c r="B4"><v>320602001201</v></c>'
        '<c r="C4" t="n"><v>13812345678</v></c><c r="D4"><v>120.894</v></c><c r="E4"><v>5.0</v></c>'
        '<c r="F4" t="b"><v>1</v></c><c r="G4" t="str"><f>A4</f><v>公式结果</v></c><c r="H4"/>'
        '<c r="I4" t="e"><v>#N/A</v></c></row>'
    )
    rows = list(iter_rows(workbook({"Sheet1": data}, shared)))
    assert rows == [
        (1, ["企业名称", None, "手机"]),
        (4, ["南通甲公司", "320602001201", "13812345678", "120.894", "5", "是", "公式结果", None, "#N/A"]),
    ]


def test_sheet_chosen_by_title_and_prefixed_namespaces():
    book = workbook(
        {
            "填写说明": '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>说明</x:t></x:is></x:c></x:row>',
            "企业": '<x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>名称</x:t></x:is></x:c></x:row>',
        },
        prefix="x",
    )
    assert list(iter_rows(book, "企业")) == [(1, [None, "名称"])]
    book.seek(0)
    assert list(iter_rows(book, "没有这个表")) == [(1, ["说明"])]


def test_reads_what_openpyxl_writes():
    data = xlsx_bytes(["代码", "数量"], [["320602001201", 12], [None, 3.5]])
    assert list(iter_rows(BytesIO(data))) == [
        (1, ["代码", "数量"]),
        (2, ["320602001201", "12"]),
        (3, [None, "3.5"]),
    ]


def test_document_type_declarations_are_refused():
    book = workbook({"S": ""})
    out = BytesIO()
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>'
                    b'<worksheet><sheetData><row><c t="inlineStr"><is><t>&lol;</t></is></c></row>'
                    b"</sheetData></worksheet>"
                )
            dst.writestr(item, content)
    out.seek(0)
    with pytest.raises(SheetError) as exc:
        list(iter_rows(out))
    assert exc.value.code == "file_unreadable"


def test_damaged_files():
    with pytest.raises(SheetError):
        list(iter_rows(BytesIO(b"PK\x03\x04 broken")))
    with pytest.raises(SheetError):
        list(iter_rows(workbook({})))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("  a ", "a"),
        ("  ", None),
        (12, "12"),
        (12.0, "12"),
        (0.1, "0.1"),
        (True, "是"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
