from io import BytesIO
from urllib.parse import quote

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from yingji.accounts.models import Person
from yingji.framework.roles import Role


def sheet_rows(content) -> list[list]:
    ws = openpyxl.load_workbook(BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def as_dicts(content) -> list[dict]:
    header, *rows = sheet_rows(content)
    return [dict(zip(header, r, strict=False)) for r in rows]


@pytest.fixture
def enterprises(region, make_enterprise):
    return {
        "mine": make_enterprise(
            name="本镇化工",
            place=region["village000"],
            industry="26",
            scale="medium",
            risk_flags=["hazardous_chemicals", "confined_space"],
        ),
        "mine_other_industry": make_enterprise(name="本镇纺织", place=region["village001"], industry="17"),
        "other_town": make_enterprise(name="外镇化工", place=region["village010"], industry="26"),
    }


def test_export_honours_scope_filters_and_shows_labels(client, region, make_user, enterprises):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    client.force_login(officer)
    url = reverse("orgs:enterprise_list")

    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"filename*=utf-8''{quote('企业-')}" in disposition
    rows = as_dicts(b"".join(response.streaming_content))
    assert {r["企业名称"] for r in rows} == {"本镇化工", "本镇纺织"}  # not the other town's enterprise

    rows = as_dicts(b"".join(client.get(url, {"export": "xlsx", "industry": "26"}).streaming_content))
    assert [r["企业名称"] for r in rows] == ["本镇化工"]
    row = rows[0]
    assert row["国民经济行业（大类）"] == "C 26 化学原料和化学制品制造业"
    assert row["企业规模"] == "中型"
    assert row["属地（村/社区）"] == "崇川区0镇0村（320602001201）"
    assert row["风险标记"] == "危险化学品、有限空间"
    assert row["统一社会信用代码"] == enterprises["mine"].uscc


@pytest.mark.parametrize(("role", "masked"), [(Role.GRID_WORKER, True), (Role.BUREAU_OFFICER, False)])
def test_export_masks_mobiles_without_clearance(client, region, make_user, role, masked):
    Person.objects.create(name="孙八", mobile="13812345678", place=region["village000"])
    client.force_login(make_user(role, place=region["town00"]))
    response = client.get(reverse("accounts:person_list"), {"export": "xlsx"})
    (row,) = as_dicts(b"".join(response.streaming_content))
    assert row["手机"] == ("138****5678" if masked else "13812345678")


def test_export_of_an_empty_list_has_the_header(client, region, make_user):
    client.force_login(make_user(Role.BUREAU_OFFICER, place=region["town00"]))
    response = client.get(reverse("orgs:department_list"), {"export": "xlsx"})
    assert sheet_rows(b"".join(response.streaming_content)) == [
        ["名称", "简称", "类别", "所属地区", "值班电话"]
    ]


def test_cli_export_with_user_and_filters(tmp_path, region, make_user, enterprises):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"], username="town-officer")
    target = tmp_path / "out.xlsx"
    call_command("export", "enterprises", str(target), "--user", officer.username, "industry=26")
    assert [r["企业名称"] for r in as_dicts(target.read_bytes())] == ["本镇化工"]

    call_command("export", "enterprises", str(target))  # the system: everything
    assert len(as_dicts(target.read_bytes())) == 3

    from django.core.management import CommandError

    with pytest.raises(CommandError, match="未知的过滤条件"):
        call_command("export", "enterprises", str(target), "colour=red")
