from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from yingji.audit.models import ObjectChange
from yingji.conftest import new_uscc
from yingji.exchange.tests.conftest import upload_for
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise


@pytest.fixture
def workbook(tmp_path):
    def write(rows, kind="enterprises"):
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(upload_for(kind, rows).read())
        return str(path)

    return write


def run(*args) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_import_validates_then_commits_only_with_commit(region, make_user, workbook, media):
    officer = make_user(Role.BUREAU_OFFICER, place=region["town00"], username="zhen")
    path = workbook([{"name": "命令行企业", "uscc": new_uscc(), "industry": "26", "place": "320602001201"}])

    assert "校验通过" in run("enterprises", path, "--user", "zhen")
    assert not Enterprise.objects.exists()

    assert "已导入：新增 1" in run("enterprises", path, "--user", "zhen", "--commit")
    entry = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(Enterprise))
    assert (entry.source, entry.actor) == ("import", officer)


def test_import_prints_the_report_and_fails(region, make_user, workbook, media):
    make_user(Role.BUREAU_OFFICER, place=region["town00"], username="zhen")
    path = workbook([{"name": "外镇企业", "uscc": new_uscc(), "industry": "26", "place": "320602002201"}])
    out = StringIO()
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("import", "enterprises", path, "--user", "zhen", "--commit", stdout=out)
    assert "第2行\t属地（村/社区）\tout_of_scope" in out.getvalue()
    assert not Enterprise.objects.exists()


def test_import_as_the_system_is_not_limited_by_scope(region, workbook, media):
    path = workbook([{"name": "任意企业", "uscc": new_uscc(), "industry": "26", "place": "320612002201"}])
    assert "已导入" in run("enterprises", path, "--commit")
    assert Enterprise.objects.get().place == region["village110"]


def test_import_refuses_unknown_users_and_files(region, tmp_path, media):
    with pytest.raises(CommandError, match="不存在"):
        run("enterprises", str(tmp_path / "missing.xlsx"))
    bad = tmp_path / "bad.xlsx"
    bad.write_text("plain text")
    with pytest.raises(CommandError, match="只支持 Excel"):
        run("enterprises", str(bad))
    with pytest.raises(CommandError, match="nobody"):
        run("enterprises", str(bad), "--user", "nobody")
