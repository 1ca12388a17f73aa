"""Every write is in the change log with actor, source, address and before/after values."""

import pytest
from django.contrib.contenttypes.models import ContentType

from yingji.audit.context import change_context
from yingji.audit.models import ObjectChange
from yingji.framework.roles import Role
from yingji.orgs.models import Enterprise


def entries_for(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id")


def test_api_create_update_delete_are_logged_with_actor_source_and_ip(region, make_user, api):
    officer = make_user(Role.BUREAU_OFFICER, username="officer", place=region["county0"])
    client = api(officer)
    from yingji.conftest import new_uscc

    created = client.post(
        "/api/v1/enterprises/",
        {"name": "审计企业", "uscc": new_uscc(), "industry": "26", "place": region["village000"].code},
        format="json",
        REMOTE_ADDR="10.1.2.3",
    )
    assert created.status_code == 201, created.content
    enterprise = Enterprise.objects.get(pk=created.json()["id"])
    client.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"employees": 42}, format="json")
    client.delete(f"/api/v1/enterprises/{enterprise.pk}/")
    log = list(entries_for(enterprise))
    assert [e.action for e in log] == ["create", "update", "delete"]
    assert {e.source for e in log} == {"api"}
    assert {e.actor_name for e in log} == {"officer"}
    assert log[0].ip == "10.1.2.3"
    assert log[0].before is None and log[0].after["name"] == "审计企业"
    assert log[1].before["employees"] == 0 and log[1].after["employees"] == 42
    assert log[1].changed_fields == ["employees"]
    assert log[2].after is None and log[2].before["employees"] == 42
    assert log[0].place == region["village000"]


def test_ui_form_write_is_logged_with_source_ui(region, make_user, client, make_enterprise):
    officer = make_user(Role.BUREAU_OFFICER, username="ui-officer", place=region["county0"])
    enterprise = make_enterprise(name="页面企业", place=region["village000"])
    client.force_login(officer)
    data = {
        "name": "页面企业（改名）",
        "uscc": enterprise.uscc,
        "industry": "26",
        "scale": "small",
        "place": region["village000"].pk,
        "employees": 5,
        "operating_status": "operating",
    }
    response = client.post(f"/orgs/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_for(enterprise).last()
    assert (entry.action, entry.source, entry.actor_name) == ("update", "ui", "ui-officer")
    assert entry.before["name"] == "页面企业" and entry.after["name"] == "页面企业（改名）"


def test_command_and_unattributed_writes_are_logged(region, make_enterprise):
    with change_context("command"):
        enterprise = make_enterprise(name="命令企业")
    assert entries_for(enterprise).get().source == "command"
    enterprise.employees = 3
    enterprise.save()
    assert entries_for(enterprise).last().source == "system"


def test_saving_without_changes_writes_no_entry(region, make_enterprise):
    enterprise = make_enterprise()
    enterprise.save()
    assert entries_for(enterprise).count() == 1


def test_passwords_never_reach_the_log(make_user):
    user = make_user(username="secretive")
    user.set_password("another-long-password")
    user.save()
    for entry in ObjectChange.objects.filter(content_type__model="user"):
        assert "password" not in (entry.after or {}) and "password" not in (entry.before or {})


def test_history_tab_and_global_log_pages(region, make_user, client, make_enterprise):
    officer = make_user(Role.BUREAU_OFFICER, place=region["county0"])
    enterprise = make_enterprise(name="历史企业", place=region["village000"])
    client.force_login(officer)
    page = client.get(enterprise.get_absolute_url()).content.decode()
    assert 'id="history-table"' in page and "新建" in page
    log = client.get("/audit/changes/", {"q": "历史企业"}).content.decode()
    assert "历史企业" in log


@pytest.mark.parametrize("role,masked", [(Role.LEADER, True), (Role.BUREAU_OFFICER, False)])
def test_personal_data_is_masked_in_the_log_for_roles_without_clearance(role, masked, region, make_user, api):
    from yingji.accounts.models import Person

    person = Person.objects.create(name="张三", place=region["village000"], mobile="13812345678")
    person.mobile = "13987654321"
    person.save()
    viewer = make_user(role, place=region["county0"])  # leaders read the log but have no clearance
    rows = api(viewer).get("/api/v1/audit/", {"object_type": "accounts.person"}).json()["results"]
    update = next(r for r in rows if r["action"] == "update")
    expected_after = "139****4321" if masked else "13987654321"
    assert update["after"]["mobile"] == expected_after


def test_demo_loader_style_bulk_writes_are_logged(region):
    from yingji.audit.services import record_bulk
    from yingji.conftest import new_uscc

    with change_context("import"):
        objs = Enterprise.objects.bulk_create(
            [
                Enterprise(name=f"批量{i}", uscc=new_uscc(), industry="26", place=region["village000"])
                for i in range(3)
            ]
        )
        record_bulk(objs)
    assert ObjectChange.objects.filter(source="import", action="create").count() == 3


def test_snapshot_of_file_fields_keeps_the_stored_name_and_survives_an_empty_file():
    from yingji.audit.services import snapshot
    from yingji.exchange.models import ImportJob

    assert snapshot(ImportJob(kind="enterprises", file=""))["file"] is None
    assert (
        snapshot(ImportJob(kind="enterprises", file="imports/2026/a.xlsx"))["file"] == "imports/2026/a.xlsx"
    )
