"""The validation stages the cleaned values of every row; the commit writes them without converting
the cells again, but still re-checks everything that depends on the database."""

import json

import pytest

from yingji.conftest import new_uscc
from yingji.exchange import services
from yingji.exchange.tests.conftest import upload_for
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise


@pytest.fixture
def officer(region, make_user):
    return make_user(Role.BUREAU_OFFICER, place=region["town00"])


def _validated(user, rows):
    job = services.create_import_job(
        actor=user, kind="enterprises", upload=upload_for("enterprises", rows), schedule=False
    )
    return services.validate_import(job.pk)


def _commit(job, user):
    services.confirm_import(job, actor=user, schedule=False)
    return services.commit_import(job.pk)


def test_validation_stages_cleaned_values_and_commit_writes_them(officer, media):
    uscc = new_uscc()
    rows = [
        {
            "name": "南通甲化工有限公司",
            "uscc": uscc.lower(),
            "industry": "C 26 化学原料和化学制品制造业",
            "place": "320602001201",
            "employees": "120",
            "longitude": "120.05",
            "risk_flags": "危险化学品、有限空间",
            "principal_mobile": "138 1234 5678",
        }
    ]
    job = _validated(officer, rows)
    assert job.status == "validated"
    lines = services._cleaned_path(job).read_text(encoding="utf-8").splitlines()
    number, cleaned = json.loads(lines[0])
    assert len(lines) == 1 and number == 2
    assert cleaned["uscc"] == uscc
    assert cleaned["industry"] == "26"
    assert cleaned["employees"] == 120 and cleaned["longitude"] == 120.05
    assert cleaned["risk_flags"] == ["hazardous_chemicals", "confined_space"]
    assert cleaned["principal_mobile"] == "13812345678"

    job = _commit(job, officer)
    assert job.status == "done", job.message
    e = Enterprise.objects.get(uscc=uscc)
    assert (e.industry, e.employees, e.longitude, e.principal_mobile) == ("26", 120, 120.05, "13812345678")
    assert e.risk_flags == ["hazardous_chemicals", "confined_space"]
    assert not services._cleaned_path(job).exists() and not services._staged_path(job).exists()


def test_commit_without_staged_cleaned_values_converts_the_cells(officer, media):
    uscc = new_uscc()
    job = _validated(
        officer, [{"name": "乙", "uscc": uscc, "industry": "26", "place": "320602001201", "employees": "7"}]
    )
    services._cleaned_path(job).unlink()
    job = _commit(job, officer)
    assert job.status == "done", job.message
    assert Enterprise.objects.get(uscc=uscc).employees == 7


def test_invalid_file_keeps_no_staged_values(officer, media):
    job = _validated(officer, [{"name": "丙", "uscc": "123", "industry": "26", "place": "320602001201"}])
    assert job.status == "invalid"
    assert not services._cleaned_path(job).exists()


def test_commit_still_rechecks_the_database(officer, media, make_enterprise, region):
    """A key registered elsewhere after validation fails the commit although its values were staged."""
    uscc = new_uscc()
    job = _validated(officer, [{"name": "丁", "uscc": uscc, "industry": "26", "place": "320602001201"}])
    assert job.status == "validated"
    make_enterprise(uscc=uscc, place=region["village100"])  # another county: out of this officer's scope
    job = _commit(job, officer)
    assert job.status == "failed"
    assert {item["code"] for item in job.report} == {"out_of_scope"}
    assert Enterprise.objects.filter(uscc=uscc).count() == 1
