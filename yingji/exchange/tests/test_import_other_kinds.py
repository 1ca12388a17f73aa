import pytest

from yingji.accounts.models import Person
from yingji.conftest import new_uscc
from yingji.exchange import services
from yingji.exchange.tests.conftest import report_codes, upload_for
from yingji.framework.access import AccessDenied
from yingji.framework.roles import Role
from yingji.orgs.models import Department
from yingji.places.models import Place


def test_places_parent_may_be_an_earlier_row(region, make_user, run_import):
    admin = make_user(Role.PLATFORM_ADMIN)
    job = run_import(
        admin,
        "places",
        [
            {"code": "320602003000", "name": "新设街道", "population": "12000"},
            {"code": "320602003201", "name": "新设社区", "parent": "320602003000", "centroid_lon": "120.3"},
            {"code": "320602001201", "name": "改名村"},  # exists: updated
        ],
        commit=True,
    )
    assert job.status == "done", job.report
    assert (job.created_count, job.updated_count) == (2, 1)
    town = Place.objects.get(code="320602003000")
    village = Place.objects.get(code="320602003201")
    assert (town.level, town.parent, town.population) == ("town", region["county0"], 12000)
    assert village.parent == town and village.level == "village"
    assert village.path == "320600000000/320602000000/320602003000/320602003201/"
    assert Place.objects.get(code="320602001201").name == "改名村"


def test_places_child_before_parent_or_moved_is_an_error(region, make_user, run_import):
    admin = make_user(Role.PLATFORM_ADMIN)
    job = run_import(
        admin,
        "places",
        [
            {"code": "320602004201", "name": "早到的村"},
            {"code": "320602004000", "name": "晚到的镇"},
            {"code": "320602001201", "name": "搬家", "parent": "320602002000"},
            {"code": "3206", "name": "短代码"},
        ],
    )
    assert report_codes(job) == {
        (2, "上级区划代码", "parent_unknown"),
        (4, "上级区划代码", "parent_change"),
        (5, "统计用区划代码", "region_code_format"),
    }


def test_roles_that_may_not_write_places_cannot_import_them(region, make_user, media):
    officer = make_user(Role.BUREAU_OFFICER, place=region["city"])
    with pytest.raises(AccessDenied) as exc:
        services.create_import_job(
            actor=officer, kind="places", upload=upload_for("places", []), schedule=False
        )
    assert exc.value.code == "kind_not_allowed"


def test_departments_by_place_and_name(region, make_user, make_department, run_import):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    existing = make_department(name="崇川区应急管理局", place=region["county0"])
    job = run_import(
        officer,
        "departments",
        [
            {
                "place": "320602000000",
                "name": "崇川区应急管理局",
                "short_name": "区应急局",
                "phone": "0513 8512 3456",
            },
            {"place": "320602001000", "name": "崇川区0镇安监办", "kind": "人民政府（含乡镇街道）"},
            {"place": "320612000000", "name": "通州区应急管理局"},
            {"place": "320602000000", "name": "电话错的局", "phone": "12345"},
        ],
    )
    assert report_codes(job) == {(4, "所属地区", "out_of_scope"), (5, "值班电话", "landline_format")}

    job = run_import(
        officer,
        "departments",
        [
            {
                "place": "320602000000",
                "name": "崇川区应急管理局",
                "short_name": "区应急局",
                "phone": "0513 8512 3456",
            },
            {"place": "320602001000", "name": "崇川区0镇安监办", "kind": "人民政府（含乡镇街道）"},
        ],
        commit=True,
    )
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1)
    existing.refresh_from_db()
    assert (existing.short_name, existing.phone) == ("区应急局", "0513-85123456")
    assert Department.objects.get(name="崇川区0镇安监办").kind == "government"


def test_persons_by_id_or_mobile_with_their_organisation(
    region, make_user, make_enterprise, make_department, run_import
):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    enterprise = make_enterprise(place=region["village001"])
    county_dept = make_department(name="应急管理局", place=region["county0"])
    make_department(name="应急管理局", place=region["county1"])  # same name elsewhere
    rows = [
        {"name": "王五", "mobile": "13712345678", "enterprise": enterprise.uscc, "position": "安全员"},
        {"name": "赵六", "mobile": "13612345678", "department": "应急管理局", "place": "320602001201"},
    ]
    job = run_import(officer, "persons", rows, commit=True)
    assert job.status == "done", job.report
    wang, zhao = Person.objects.get(name="王五"), Person.objects.get(name="赵六")
    assert (wang.enterprise, wang.place) == (enterprise, region["village001"])  # place from the enterprise
    assert (zhao.department, zhao.place) == (county_dept, region["village000"])

    rows[0]["position"] = "安全总监"
    job = run_import(officer, "persons", rows, commit=True)
    assert (job.updated_count, job.unchanged_count, Person.objects.count()) == (1, 1, 2)
    wang.refresh_from_db()
    assert wang.position == "安全总监"


def test_person_rows_are_checked(region, make_user, make_enterprise, make_department, run_import):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    enterprise = make_enterprise()
    make_department(name="应急管理局", place=region["county0"])
    job = run_import(
        officer,
        "persons",
        [
            {"name": "无联系方式", "place": "320602001201"},
            {
                "name": "两个单位",
                "mobile": "13712345678",
                "enterprise": enterprise.uscc,
                "department": "应急管理局",
            },
            {"name": "身份证错", "id_number": "320602199001011234", "place": "320602001201"},
            {"name": "无地区", "mobile": "13512345678"},
            {"name": "找不到企业", "mobile": "13412345678", "enterprise": new_uscc()},
        ],
    )
    codes = {(r, code) for r, _c, code in report_codes(job)}
    assert (2, "person_key_required") in codes
    assert (3, "two_organisations") in codes
    assert any(r == 4 and code.startswith("rid_") for r, code in codes)
    assert (5, "required") in codes
    assert (6, "enterprise_unknown") in codes
    assert Person.objects.count() == 0


def test_masked_mobile_from_an_export_keeps_the_stored_number(region, make_user, run_import):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    person = Person.objects.create(
        name="钱七", mobile="13812345678", id_number="", place=region["village000"]
    )
    dept_officer = make_user(
        Role.DEPARTMENT_OFFICER, place=region["county0"]
    )  # no clearance: sees 138****5678
    job = run_import(
        dept_officer,
        "persons",
        [{"name": "钱七", "mobile": "13812345678", "position": "村主任"}],
        commit=True,
    )
    assert job.status == "done"
    job = run_import(
        officer,
        "persons",
        [{"name": "钱七", "mobile": "13812345678", "landline": "0513-85123456"}],
        commit=True,
    )
    person.refresh_from_db()
    assert (person.mobile, person.position, person.landline) == ("13812345678", "村主任", "0513-85123456")
