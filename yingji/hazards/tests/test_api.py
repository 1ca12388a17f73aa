"""The hazard API: report (create), the POST actions of the loop, photos, the timeline, error codes."""

import pytest

from yingji.hazards.models import Hazard

from .conftest import FIVE, PLAN, future, png_bytes


def url(pk=None, action=None):
    out = "/api/v1/hazards/"
    if pk:
        out += f"{pk}/"
    if action:
        out += f"{action}/"
    return out


def test_report_through_the_api(town, api):
    client = api(town["grid"])
    payload = {
        "title": "配电箱门缺失",
        "description": "仓库东侧配电箱门缺失，带电部位外露",
        "source": "grid",
        "enterprise": town["enterprise"].pk,
        "found_at": "2026-11-20T09:30:00+08:00",
        "category": "电气安全",
        "longitude": 120.02,
        "latitude": 32.01,
        "address": "仓库东侧",
    }
    response = client.post(url(), payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "reported" and body["place"] == town["enterprise"].place.code
    assert body["number"].startswith("YH20261120")
    assert body["next_steps"] == ["photo"]
    hazard = Hazard.objects.get(pk=body["id"])
    assert hazard.finder == town["grid"] and hazard.events.get().action == "report"


def test_report_a_disaster_hazard_at_a_point(town, api):
    response = api(town["info"]).post(
        url(),
        {
            "title": "低洼路段积水",
            "source": "info_officer",
            "kind": "disaster",
            "disaster_type": "waterlogging",
            "longitude": 120.05,
            "latitude": 32.07,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["place"] == town["region"]["village001"].code


def test_report_errors_have_the_standard_shape(town, api):
    response = api(town["officer"]).post(url(), {"source": "inspection", "title": ""}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["title"][0]["code"] == "required"
    assert error["fields"]["place"][0]["code"] == "place_required"
    response = api(town["grid"]).post(
        url(), {"source": "grid", "title": "x", "place": town["region"]["village100"].code}, format="json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "out_of_scope"


def test_the_whole_loop_through_the_actions(town, api):
    officer, company = api(town["officer"]), api(town["company"])
    pk = (
        api(town["grid"])
        .post(
            url(),
            {"title": "液氨管道腐蚀", "source": "grid", "enterprise": town["enterprise"].pk},
            format="json",
        )
        .json()["id"]
    )
    r = officer.post(
        url(pk, "confirm"),
        {"grade": "major", "major_standard": "industry_trade", "major_criterion": "涉氨制冷 第二条"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["review_levels"] == 2
    # the five items and, for a major hazard, the plan
    r = officer.post(url(pk, "assign"), {"measures": "更换管道"}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "missing_five_items"
    assert set(r.json()["error"]["fields"]) == {"responsible", "funds", "due_at", "contingency_plan"}
    five = {**FIVE, "responsible": town["person"].pk, "due_at": future(45)}
    r = officer.post(url(pk, "assign"), five, format="json")
    assert r.json()["error"]["code"] == "missing_plan"
    r = officer.post(url(pk, "assign"), {**five, "plan": PLAN}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "assigned" and r.json()["funds"] == "2.50"
    # the enterprise rectifies; an officer may not
    r = officer.post(url(pk, "progress"), {"note": "x"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "step_not_allowed"
    assert (
        company.post(url(pk, "progress"), {"note": "管道已到货"}, format="json").json()["status"]
        == "rectifying"
    )
    r = company.post(url(pk, "rectify"), {"evidence": ""}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "evidence_required"
    assert (
        company.post(url(pk, "rectify"), {"evidence": "管道已更换"}, format="json").json()["status"]
        == "rectified"
    )
    assert company.post(url(pk, "verify"), {"approve": True}, format="json").json()["reviews_passed"] == 1
    r = officer.post(url(pk, "verify"), {"approve": False, "note": "焊缝未检测"}, format="json")
    assert r.json()["status"] == "rectifying"
    company.post(url(pk, "rectify"), {"evidence": "焊缝已检测合格"}, format="json")
    company.post(url(pk, "verify"), {"approve": True}, format="json")
    r = officer.post(url(pk, "verify"), {"approve": True}, format="json")
    assert r.json()["status"] == "verified"
    r = officer.post(url(pk, "close"), {"note": "同意销号"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    # once closed, nothing moves
    r = officer.post(url(pk, "close"), {}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    events = officer.get(url(pk, "events")).json()
    assert [e["action"] for e in events][:3] == ["report", "confirm", "assign"]
    assert events[-1]["action"] == "close" and events[-1]["actor_name"] == town["officer"].username


def test_fix_immediately_dismiss_and_supervise(make_hazard, town, api):
    officer = api(town["officer"])
    quick = make_hazard("reported")
    r = api(town["company"]).post(url(quick.pk, "fix-immediately"), {"evidence": "已清理通道"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["immediate"] is True
    wrong = make_hazard("reported")
    r = officer.post(url(wrong.pk, "dismiss"), {}, format="json")
    assert r.json()["error"]["code"] == "reason_required"
    assert (
        officer.post(url(wrong.pk, "dismiss"), {"reason": "重复"}, format="json").json()["status"]
        == "dismissed"
    )
    major = make_hazard("assigned", grade="major")
    r = officer.post(
        url(major.pk, "supervise"),
        {"level_place": town["region"]["town00"].code, "due_at": future(20), "note": "挂牌督办"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["supervised_by"] == town["region"]["town00"].code
    listed = officer.get(url(), {"supervised": "true"}).json()
    assert [row["id"] for row in listed["results"]] == [major.pk]


def test_photos_are_uploaded_listed_and_served_only_in_scope(make_hazard, town, api, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hazard = make_hazard("reported")
    grid = api(town["grid"])
    r = grid.post(
        url(hazard.pk, "photos"),
        {"stage": "found", "caption": "现场", "image": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    photo_url = r.json()["url"]
    r = grid.post(
        url(hazard.pk, "photos"),
        {"stage": "found", "image": SimpleUploadedFile("a.jpg", b"not an image", "image/jpeg")},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "image_invalid"
    listed = grid.get(url(hazard.pk, "photos")).json()
    assert [p["stage"] for p in listed] == ["found"]
    client.force_login(town["officer"])
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    client.force_login(town["other_officer"])
    assert client.get(photo_url).status_code == 404


def test_out_of_scope_and_read_only_rules(make_hazard, town, api):
    hazard = make_hazard("reported")
    r = api(town["other_officer"]).post(url(hazard.pk, "confirm"), {"grade": "general"}, format="json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api(town["officer"]).patch(url(hazard.pk), {"status": "closed", "grade": "major"}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["status"][0]["code"] == "not_editable"
    r = api(town["officer"]).patch(url(hazard.pk), {"address": "二号仓库"}, format="json")
    assert r.status_code == 200 and r.json()["address"] == "二号仓库"
    r = api(town["company"]).patch(url(hazard.pk), {"address": "x"}, format="json")
    assert r.status_code == 403


@pytest.mark.parametrize(
    "who,visible",
    [
        ("officer", {"in0", "in1", "mine"}),
        ("company", {"mine"}),
        ("grid", {"in0", "mine"}),
        ("other_officer", {"far"}),
    ],
)
def test_lists_follow_the_scope(who, visible, town, api):
    from yingji.hazards import workflow

    region = town["region"]
    admin = town["admin"]
    made = {
        "mine": workflow.report_hazard(
            actor=admin, source="self_check", title="a", enterprise=town["enterprise"]
        ),
        "in0": workflow.report_hazard(actor=admin, source="grid", title="b", place=region["village000"]),
        "in1": workflow.report_hazard(actor=admin, source="grid", title="c", place=region["village001"]),
        "far": workflow.report_hazard(actor=admin, source="grid", title="d", place=region["village100"]),
    }
    ids = {row["id"] for row in api(town[who]).get(url()).json()["results"]}
    assert ids == {made[k].pk for k in visible}


def test_filters(make_hazard, town, api):
    import datetime as dt

    import time_machine

    hazard = make_hazard("assigned")
    make_hazard("reported")
    client = api(town["officer"])
    assert client.get(url(), {"overdue": "true"}).json()["count"] == 0
    assert client.get(url(), {"status": "assigned"}).json()["count"] == 1
    assert client.get(url(), {"enterprise": town["enterprise"].pk}).json()["count"] == 2
    assert client.get(url(), {"place": town["region"]["village100"].code}).json()["count"] == 0
    with time_machine.travel(hazard.due_at + dt.timedelta(seconds=1), tick=False):
        assert client.get(url(), {"overdue": "true"}).json()["count"] == 1


def test_a_report_costs_a_bounded_number_of_queries(town, api, django_assert_max_num_queries):
    """One report through the API: authentication, the place, the hazard, its event, its confirmation
    deadline, their change-log entries and the statistics' count — no query per anything else."""
    client = api(town["grid"])
    payload = {
        "title": "消防通道堵塞",
        "source": "grid",
        "place": town["region"]["village000"].code,
        "found_at": "2026-11-20T09:30:00+08:00",
        "longitude": 120.02,
        "latitude": 32.01,
    }
    assert client.post(url(), payload, format="json").status_code == 201  # warm (content types, rules)
    # authentication 1, place 1, user name 1, hazard + event + deadline and their change-log entries 6,
    # the deadline's calendar, lookup and checks 4, the tally 1; savepoints of the nested atomic
    # blocks 6 (in the test's transaction; in production the outer one is BEGIN/COMMIT)
    with django_assert_max_num_queries(20) as captured:
        response = client.post(url(), {**payload, "title": "消防通道再次堵塞"}, format="json")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum(s.startswith('INSERT INTO "hazards_hazard"') for s in sql) == 1
    assert sum("hazards_hazardtally" in s for s in sql) == 1
    assert not any("boundary" in s for s in sql), "the place's outline was read"


def test_a_step_body_that_is_not_an_object_is_a_clear_error(town, api, make_hazard):
    hazard = make_hazard("confirmed")
    response = api(town["officer"]).post(url(hazard.pk, "assign"), [1, 2], format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [e["code"] for errs in error["fields"].values() for e in errs] == ["invalid"]
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
