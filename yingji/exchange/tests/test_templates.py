from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.utils import get_column_letter

from yingji.exchange.choices import ImportKind
from yingji.exchange.excel import XLSX_TYPE
from yingji.exchange.importers import IMPORTERS
from yingji.framework.roles import Role


def _guide_text(wb) -> str:
    return "\n".join(str(v) for row in wb["填写说明"].iter_rows(values_only=True) for v in row if v)


@pytest.mark.parametrize("kind", ImportKind.values)
def test_template_download_has_headers_dropdowns_and_instructions(client, make_user, kind):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    response = client.get(reverse("exchange:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]

    importer = IMPORTERS[kind]
    wb = openpyxl.load_workbook(BytesIO(response.content))
    ws = wb[importer.sheet_title]
    headers = [c.value for c in ws[1]]
    assert headers == [str(c.header) for c in importer.columns]
    index, problems = importer.header_map(headers)
    assert problems == [] and set(index) == {c.key for c in importer.columns}
    assert ws.max_row == 1  # no example data in the sheet that is imported

    ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    for i, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(i)
        assert (f"{letter}2:" in ranges) == bool(column.choices), column.key
    assert wb["选项"].sheet_state == "hidden"

    guide = _guide_text(wb)
    for column in importer.columns:
        assert str(column.header) in guide
    assert "必填" in guide and "18位" in guide and "12位" in guide and "11位" in guide and "、" in guide


def test_enterprise_template_offers_labels_and_marks_required(client, make_user):
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    wb = openpyxl.load_workbook(
        BytesIO(client.get(reverse("exchange:import_template", args=["enterprises"])).content)
    )
    options = [v for (v,) in wb["选项"].iter_rows(min_col=1, max_col=1, values_only=True) if v]
    assert "C 26 化学原料和化学制品制造业" in options
    guide = _guide_text(wb)
    assert "危险化学品" in guide  # risk flag labels are listed
    ws = wb["企业"]
    assert ws["B1"].value == "统一社会信用代码" and ws["B1"].font.color.rgb.endswith(
        "C00000"
    )  # required: red
    assert ws["D1"].value == "企业规模" and not (
        ws["D1"].font.color and ws["D1"].font.color.rgb.endswith("C00000")
    )


def test_template_via_api(api, make_user):
    response = api(make_user(Role.PLATFORM_ADMIN)).get("/api/v1/imports/templates/persons/")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(BytesIO(response.content))
    assert wb["人员"]["A1"].value == "姓名"


def test_unknown_template_kind_is_not_found(client, api, make_user):
    user = make_user(Role.PLATFORM_ADMIN)
    client.force_login(user)
    assert client.get(reverse("exchange:import_template", args=["hazards"])).status_code == 404
    response = api(user).get("/api/v1/imports/templates/hazards/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["kind"][0]["code"] == "invalid_kind"
