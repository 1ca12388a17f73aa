"""Recording checks, reporting problems as hazards, scope, pages and API."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from yingji.checklists import services
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord, CheckResult
from yingji.checklists.tests.conftest import at
from yingji.framework.access import AccessDenied

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 25, 10)  # a Wednesday


def results(plan, bad=(), report=()):
    return [
        {
            "item": i,
            "ok": i.text not in bad,
            "note": "压力表指针在红区" if i.text in bad else "",
            "report_hazard": i.text in report,
        }
        for i in plan.items.all()
    ]


@time_machine.travel(NOW, tick=False)
def test_record_a_check_and_report_a_problem_as_a_hazard(shop, make_plan):
    plan = make_plan("weekly")
    record = services.record_check(
        plan, actor=shop["user"], results=results(plan, bad=("灭火器压力正常",), report=("灭火器压力正常",))
    )
    assert record.period_start == dt.date(2026, 11, 23)
    assert record.problems == 1
    assert record.performed_by == shop["user"]
    bad = record.results.get(ok=False)
    hazard = bad.hazard
    assert hazard is not None
    assert (hazard.source, hazard.category, hazard.enterprise) == (
        "self_check",
        "灭火器压力正常",
        shop["enterprise"],
    )
    assert hazard.place == shop["enterprise"].place
    assert record.results.get(ok=True).hazard is None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"period": dt.date(2026, 11, 30)}, "period_in_future"),
        ({"period": dt.date(2026, 10, 25)}, "period_before_start"),  # 11-01 is a Sunday: its week began 10-26
    ],
)
def test_periods_outside_the_plan_are_refused(shop, make_plan, kwargs, code):
    plan = make_plan("weekly", start=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_check(plan, actor=shop["user"], results=results(plan), **kwargs)
    assert exc.value.error_dict["period"][0].code == code
    assert not CheckRecord.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_duplicates_missing_and_unknown_items_are_refused_without_partial_writes(shop, make_plan):
    plan = make_plan("monthly")
    other = make_plan("monthly", name="另一个计划", items=("配电箱完好",))
    services.record_check(plan, actor=shop["user"], results=results(plan), period=dt.date(2026, 11, 2))
    with pytest.raises(ValidationError, match="已登记"):
        services.record_check(plan, actor=shop["user"], results=results(plan), period=dt.date(2026, 11, 20))
    plan2 = make_plan("daily", name="日检")
    with pytest.raises(ValidationError, match="尚缺"):
        services.record_check(plan2, actor=shop["user"], results=results(plan2)[:1])
    with pytest.raises(ValidationError, match="不属于该计划"):
        services.record_check(plan2, actor=shop["user"], results=[*results(plan2), *results(other)])
    assert CheckRecord.objects.count() == 1
    plan2.active = False
    plan2.save()
    with pytest.raises(ValidationError, match="已停用"):
        services.record_check(plan2, actor=shop["user"], results=results(plan2))


@time_machine.travel(NOW, tick=False)
def test_only_the_enterprise_records_its_checks(shop, make_plan):
    plan = make_plan("daily")
    for who in ("other_user", "officer", "leader"):
        with pytest.raises(AccessDenied):
            services.record_check(plan, actor=shop[who], results=results(plan))
    visible = CheckPlan.objects.visible_to
    assert list(visible(shop["officer"])) == [plan]
    assert list(visible(shop["leader"])) == [plan]
    assert not visible(shop["other_user"]).exists()
    assert not visible(shop["grid"]).exists()


@time_machine.travel(NOW, tick=False)
def test_perform_check_page(client, shop, make_plan):
    plan = make_plan("daily", start=dt.date(2026, 11, 20))
    items = list(plan.items.all())
    client.force_login(shop["user"])
    page = client.get(reverse("checklists:checkrecord_add"), {"plan": plan.pk})
    assert page.status_code == 200 and "灭火器压力正常" in page.content.decode()
    data = {"plan": plan.pk, "period": "2026-11-25", "performer_name": "张三", f"ok_{items[0].pk}": "1"}
    incomplete = client.post(reverse("checklists:checkrecord_add"), data)
    assert incomplete.status_code == 400
    data.update({f"ok_{items[1].pk}": "0", f"note_{items[1].pk}": "堆放纸箱", f"hazard_{items[1].pk}": "on"})
    response = client.post(reverse("checklists:checkrecord_add"), data)
    assert response.status_code == 302
    record = CheckRecord.objects.get()
    assert record.performer_name == "张三" and record.problems == 1
    assert record.results.get(item=items[1]).hazard.source == "self_check"
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="missed-total">5<' in detail  # 20–24 November; today is recorded
    client.force_login(shop["officer"])
    assert client.get(reverse("checklists:checkrecord_add"), {"plan": plan.pk}).status_code == 403
    client.force_login(shop["other_user"])
    assert client.get(reverse("checklists:checkrecord_add"), {"plan": plan.pk}).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_missed_page_for_officers_in_scope(client, shop, make_plan):
    make_plan("daily", start=dt.date(2026, 11, 20))
    make_plan("daily", start=dt.date(2026, 11, 20), enterprise=shop["other"])
    client.force_login(shop["officer"])
    html = client.get(reverse("checklists:missed")).content.decode()
    assert "甲化工" in html and "乙物流" not in html
    assert '<span class="badge text-bg-danger">5</span>' in html
    filtered = client.get(
        reverse("checklists:missed"), {"place": shop["region"]["town01"].code}
    ).content.decode()
    assert "甲化工" not in filtered
    client.force_login(shop["grid"])
    assert client.get(reverse("checklists:missed")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_api_plans_items_records_and_missed(api, shop):
    client = api(shop["user"])
    plan = client.post(
        "/api/v1/check-plans/",
        {
            "enterprise": shop["enterprise"].pk,
            "name": "配电房检查",
            "post": "电工",
            "frequency": "weekly",
            "start_date": "2026-11-02",
        },
        format="json",
    )
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    item = client.post(
        "/api/v1/check-items/", {"plan": plan_id, "text": "配电箱门关闭", "order": 1}, format="json"
    )
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]
    bad = client.post("/api/v1/check-records/", {"plan": plan_id, "results": []}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["results"][0]["code"] == "missing_items"
    created = client.post(
        "/api/v1/check-records/",
        {"plan": plan_id, "period": "2026-11-10", "results": [{"item": item_id, "ok": True}]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["period_label"] == "2026-W46"
    missed = client.get(f"/api/v1/check-plans/{plan_id}/missed/").json()
    assert (
        missed["missed"] == ["2026-W45", "2026-W47"]
        and missed["current"] == "2026-W48"
        and not missed["current_done"]
    )
    # another enterprise's plan, officers' writes and out-of-scope reads
    other = api(shop["other_user"])
    assert other.get(f"/api/v1/check-plans/{plan_id}/").status_code == 404
    refused = other.post(
        "/api/v1/check-records/", {"plan": plan_id, "results": [{"item": item_id, "ok": True}]}, format="json"
    )
    assert refused.status_code == 404
    officer = api(shop["officer"])
    assert (
        officer.post("/api/v1/check-plans/", {"enterprise": shop["enterprise"].pk}, format="json").status_code
        == 403
    )
    rows = officer.get("/api/v1/check-plans/missed-by-enterprise/").json()
    assert rows == [
        {
            "enterprise": shop["enterprise"].pk,
            "name": "甲化工",
            "place": shop["enterprise"].place.code,
            "plans": 1,
            "active": 1,
            "missed": 2,  # W45 and W47 (W46 recorded, W48 is running)
            "last_check": rows[0]["last_check"],
        }
    ]
    assert rows[0]["last_check"] is not None


def test_a_plan_names_only_a_responsible_person_the_enterprise_may_see(api, shop):
    from yingji.accounts.models import Person

    own = Person.objects.create(name="赵安全", place=shop["enterprise"].place, enterprise=shop["enterprise"])
    foreign = Person.objects.create(name="钱外人", place=shop["other"].place, enterprise=shop["other"])
    client = api(shop["user"])
    body = {"enterprise": shop["enterprise"].pk, "name": "日检", "post": "保管员", "frequency": "daily"}
    refused = client.post("/api/v1/check-plans/", {**body, "responsible": foreign.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["responsible"][0]["code"] == "does_not_exist"
    assert (
        client.post("/api/v1/check-plans/", {**body, "responsible": own.pk}, format="json").status_code == 201
    )


@time_machine.travel(NOW, tick=False)
def test_a_checked_item_cannot_be_deleted_and_keeps_its_results(client, api, shop, make_plan):
    plan = make_plan("daily", start=dt.date(2026, 11, 20))
    checked, spare = plan.items.all()
    services.record_check(plan, actor=shop["user"], results=results(plan, bad=(checked.text,)))
    spare_result = CheckResult.objects.get(item=spare)
    CheckResult.objects.filter(pk=spare_result.pk).delete()  # as if ``spare`` were added after the check
    client.force_login(shop["user"])
    page = client.post(reverse("checklists:checkitem_delete", args=[checked.pk]), follow=True)
    assert "仍被其他记录引用，不能删除" in page.content.decode()
    what = f"{CheckResult._meta.verbose_name} 1 条"  # the refusal says what still refers to the item
    assert what in page.content.decode()
    assert CheckItem.objects.filter(pk=checked.pk).exists()
    assert CheckResult.objects.filter(item=checked, ok=False).exists()
    refused = api(shop["user"]).delete(f"/api/v1/check-items/{checked.pk}/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "protected"
    assert what in refused.json()["error"]["message"]
    assert CheckResult.objects.filter(item=checked).count() == 1
    # the plan, whose items carry the record, is refused too; an item never checked goes
    assert api(shop["user"]).delete(f"/api/v1/check-plans/{plan.pk}/").status_code == 409
    assert CheckRecord.objects.filter(plan=plan).count() == 1
    assert api(shop["user"]).delete(f"/api/v1/check-items/{spare.pk}/").status_code == 204
