import pytest
from django.contrib.contenttypes.models import ContentType

from yingji.audit.models import ObjectChange
from yingji.conftest import new_uscc
from yingji.exchange import importers, services
from yingji.exchange.tests.conftest import report_codes
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise

USCC, PLACE, NAME, MOBILE, INDUSTRY = (
    "统一社会信用代码",
    "属地（村/社区）",
    "企业名称",
    "主要负责人手机",
    "国民经济行业（大类）",
)


def enterprise_changes():
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Enterprise))


@pytest.fixture
def town_officer(region, make_user):
    """A bureau officer of 崇川区0镇 (villages 320602001201 and 320602001202)."""
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def row(**kw):
    base = {"name": "南通甲化工有限公司", "uscc": new_uscc(), "industry": "26", "place": "320602001201"}
    base.update(kw)
    return base


def test_bad_rows_are_reported_by_row_column_and_code_and_nothing_is_written(
    town_officer, make_enterprise, run_import
):
    make_enterprise()  # an existing row, to see that counts do not move
    before = Enterprise.objects.count()
    good = new_uscc()
    broken = new_uscc()
    broken = broken[:-1] + ("0" if broken[-1] != "0" else "1")
    rows = [
        row(uscc=good),  # 2: fine
        row(uscc=broken),  # 3: check digit wrong
        row(place="320602009201"),  # 4: no such village
        row(uscc=good, name="重复的企业"),  # 5: same USCC as row 2
        row(principal_mobile="1381234"),  # 6: bad mobile
        row(name=None),  # 7: required name missing
        row(place="320602002201"),  # 8: a village of another town
    ]
    job = run_import(town_officer, "enterprises", rows)

    assert job.status == "invalid"
    codes = report_codes(job)
    assert (3, USCC, "uscc_checksum") in codes
    assert (4, PLACE, "place_unknown") in codes
    assert (5, USCC, "duplicate_in_file") in codes
    assert (6, MOBILE, "mobile_format") in codes
    assert (7, NAME, "required") in codes
    assert (8, PLACE, "out_of_scope") in codes
    assert not any(r == 2 for r, _c, _code in codes)
    assert job.error_count == len(job.report) == 6
    messages = {item["code"]: item["message"] for item in job.report}
    assert "校验位" in messages["uscc_checksum"] and "第2行" in messages["duplicate_in_file"]
    assert Enterprise.objects.count() == before
    assert not enterprise_changes().filter(source="import").exists()
    with pytest.raises(services.ImportStateError):
        services.confirm_import(job, actor=town_officer, schedule=False)


def test_valid_file_commits_every_row_with_audit_entries(region, town_officer, run_import):
    lon, lat = 120.05, 32.07  # inside 崇川区0镇1村 (320602001202)
    rows = [
        row(
            name="甲",
            industry="C 26 化学原料和化学制品制造业",
            scale="中型",
            operating_status="停产整顿",
            risk_flags="危险化学品、有限空间",
            employees="120",
            principal_mobile="138 1234 5678",
        ),
        row(name="乙", industry="26", place=None, longitude=str(lon), latitude=str(lat)),
        row(name="丙", industry="化学原料和化学制品制造业", place="崇川区0镇0村（320602001201）"),
    ]
    job = run_import(town_officer, "enterprises", rows, commit=True)

    assert job.status == "done", job.report
    assert (job.created_count, job.updated_count, job.total_rows) == (3, 0, 3)
    a, b, c = (Enterprise.objects.get(name=n) for n in "甲乙丙")
    assert (a.industry, a.scale, a.operating_status, a.employees) == ("26", "medium", "suspended", 120)
    assert a.risk_flags == ["hazardous_chemicals", "confined_space"]
    assert a.principal_mobile == "13812345678"  # normalised like the validator reads it
    assert b.place == region["village001"]  # derived from the location
    assert c.place == region["village000"] and c.industry == "26"
    entries = enterprise_changes()
    assert entries.count() == 3
    assert set(entries.values_list("source", "action", "actor")) == {("import", "create", town_officer.pk)}
    assert entries.get(object_id=str(a.pk)).after["name"] == "甲"


def test_reimport_updates_by_uscc_instead_of_duplicating(town_officer, run_import):
    uscc = new_uscc()
    run_import(town_officer, "enterprises", [row(uscc=uscc, name="旧名称", employees="5")], commit=True)
    job = run_import(
        town_officer,
        "enterprises",
        [
            row(
                uscc=uscc.lower(), name="新名称", industry=None
            ),  # lower case is the same code; empty cell keeps
            row(name="新增企业"),
        ],
        commit=True,
    )

    assert job.status == "done", job.report
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Enterprise.objects.filter(uscc=uscc).count() == 1
    updated = Enterprise.objects.get(uscc=uscc)
    assert (updated.name, updated.employees, updated.industry) == ("新名称", 5, "26")
    change = enterprise_changes().get(action="update")
    assert (change.source, change.actor_id) == ("import", town_officer.pk)
    assert (change.before["name"], change.after["name"]) == ("旧名称", "新名称")

    again = run_import(town_officer, "enterprises", [row(uscc=uscc, name="新名称")], commit=True)
    assert (again.status, again.updated_count, again.unchanged_count) == ("done", 0, 1)
    assert enterprise_changes().filter(action="update").count() == 1


def test_a_failure_in_the_middle_of_the_commit_writes_nothing(town_officer, run_import, monkeypatch):
    monkeypatch.setattr(importers, "CHUNK", 2)
    real = importers.record_bulk
    calls = []

    def failing_on_second_chunk(objs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("磁盘已满")
        return real(objs)

    monkeypatch.setattr(importers, "record_bulk", failing_on_second_chunk)
    job = run_import(town_officer, "enterprises", [row(name=f"企业{i}") for i in range(5)], commit=True)

    assert calls == [2, 2]  # the first chunk had been written before the failure
    assert job.status == "failed"
    assert "磁盘已满" in job.message and "未写入任何数据" in job.message
    assert Enterprise.objects.count() == 0
    assert not enterprise_changes().exists()


def test_rows_changed_after_validation_fail_the_whole_commit(
    town_officer, make_enterprise, region, run_import, media
):
    from yingji.exchange.tests.conftest import upload_for

    uscc = new_uscc()
    job = services.create_import_job(
        actor=town_officer,
        kind="enterprises",
        schedule=False,
        upload=upload_for("enterprises", [row(name="甲"), row(uscc=uscc, name="乙")]),
    )
    job = services.validate_import(job.pk)
    assert job.status == "validated"
    make_enterprise(uscc=uscc, place=region["village010"])  # meanwhile registered in another town
    services.confirm_import(job, actor=town_officer, schedule=False)
    job = services.commit_import(job.pk)

    assert job.status == "failed"
    assert (3, USCC, "out_of_scope") in report_codes(job)
    assert not Enterprise.objects.filter(name="甲").exists()


def test_existing_enterprise_of_another_town_cannot_be_changed(
    town_officer, make_enterprise, region, run_import
):
    other = make_enterprise(place=region["village010"])
    job = run_import(town_officer, "enterprises", [row(uscc=other.uscc, place="320602001201")])
    assert (2, USCC, "out_of_scope") in report_codes(job)


def test_department_officer_may_update_regulated_enterprises_but_not_create(
    region, make_user, make_department, make_enterprise, run_import
):
    dept = make_department(name="崇川区应急管理局", place=region["county0"])
    officer = make_user(Role.DEPARTMENT_OFFICER, place=region["county0"], department=dept)
    mine = make_enterprise(regulator=dept)
    job = run_import(
        officer,
        "enterprises",
        [row(uscc=mine.uscc, name="改名", regulator="崇川区应急管理局"), row(name="新企业")],
    )
    assert report_codes(job) == {(3, USCC, "permission_denied")}

    job = run_import(
        officer, "enterprises", [row(uscc=mine.uscc, name="改名", regulator="崇川区应急管理局")], commit=True
    )
    assert job.status == "done"
    mine.refresh_from_db()
    assert mine.name == "改名" and mine.regulator == dept


def test_choices_flags_and_regulator_are_checked(town_officer, make_department, region, run_import):
    make_department(name="通州区应急管理局", place=region["county1"])
    job = run_import(
        town_officer,
        "enterprises",
        [
            row(industry="99"),
            row(risk_flags="危险化学品、会飞"),
            row(regulator="通州区应急管理局"),
            row(place=None),
        ],
    )
    codes = {(r, code) for r, _c, code in report_codes(job)}
    assert codes == {
        (2, "invalid_choice"),
        (3, "invalid_flag"),
        (4, "department_unknown"),
        (5, "place_required"),
    }


def test_missing_required_column_and_empty_file(town_officer, run_import):
    job = run_import(town_officer, "enterprises", [{"name": "甲"}], headers=["企业名称", "地址"])
    assert job.status == "invalid"
    assert {(item["code"], item["column"]) for item in job.report} >= {
        ("missing_column", USCC),
        ("missing_column", INDUSTRY),
    }

    job = run_import(town_officer, "enterprises", [])
    assert job.status == "invalid" and job.report[0]["code"] == "no_rows"
