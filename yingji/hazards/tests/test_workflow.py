"""The closed loop: every move allowed and refused, who may make it, the 五落实, majors, review levels,
rejection, immediate fixes, dismissal, supervision and the recorded timeline."""

import pytest

from yingji.framework.access import AccessDenied
from yingji.hazards import config, workflow
from yingji.hazards.choices import Status
from yingji.hazards.models import Hazard, RectificationPlan

from .conftest import FIVE, PLAN, future

STATES = ["reported", "confirmed", "assigned", "rectifying", "rectified", "verified", "closed", "dismissed"]

#: the loop as the regulation describes it: step → the states it may start from
ALLOWED_FROM = {
    "confirm": {"reported"},
    "dismiss": {"reported"},
    "fix_immediately": {"reported", "confirmed"},
    "assign": {"confirmed"},
    "progress": {"assigned", "rectifying"},
    "rectify": {"assigned", "rectifying"},
    "verify": {"rectified"},
    "reject": {"rectified"},
    "close": {"verified"},
}
#: and the state each successful step leads to (for a general hazard with one review level)
LEADS_TO = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "fix_immediately": "closed",
    "assign": "assigned",
    "progress": "rectifying",
    "rectify": "rectified",
    "verify": "verified",
    "reject": "rectifying",
    "close": "closed",
}


def do(step, hazard, actor, town):
    if step == "confirm":
        return workflow.confirm_hazard(hazard, actor=actor, grade="general")
    if step == "dismiss":
        return workflow.dismiss_hazard(hazard, actor=actor, reason="重复上报")
    if step == "fix_immediately":
        return workflow.fix_immediately(hazard, actor=actor, evidence="现场已整改")
    if step == "assign":
        return workflow.assign_rectification(
            hazard, actor=actor, responsible=town["person"], due_at=future(), **FIVE
        )
    if step == "progress":
        return workflow.add_progress(hazard, actor=actor, note="进展")
    if step == "rectify":
        return workflow.submit_rectification(hazard, actor=actor, evidence="已整改")
    if step == "verify":
        return workflow.verify_hazard(hazard, actor=actor, approve=True)
    if step == "reject":
        return workflow.verify_hazard(hazard, actor=actor, approve=False, note="报警器未标定")
    if step == "close":
        return workflow.close_hazard(hazard, actor=actor)
    raise AssertionError(step)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", sorted(ALLOWED_FROM))
def test_every_move_is_allowed_or_refused(step, state, make_hazard, town):
    hazard = make_hazard(state)
    events = hazard.events.count()
    if state in ALLOWED_FROM[step]:
        moved = do(step, hazard, town["admin"], town)
        assert moved.status == LEADS_TO[step]
        assert Hazard.objects.get(pk=hazard.pk).status == LEADS_TO[step]
        last = moved.events.last()
        assert (last.from_status, last.to_status) == (state, LEADS_TO[step])
        assert last.actor == town["admin"]
    else:
        with pytest.raises(workflow.WorkflowError) as info:
            do(step, hazard, town["admin"], town)
        assert info.value.code == "invalid_transition"
        assert "不能执行" in info.value.message
        assert Hazard.objects.get(pk=hazard.pk).status == state
        assert hazard.events.count() == events


# step, state, actor, expected: "ok" | AccessDenied code
WHO_CASES = [
    ("confirm", "reported", "officer", "ok"),
    ("confirm", "reported", "enforcer", "ok"),
    ("confirm", "reported", "county_officer", "ok"),
    ("confirm", "reported", "grid", "step_not_allowed"),
    ("confirm", "reported", "company", "step_not_allowed"),
    ("confirm", "reported", "leader", "step_not_allowed"),
    ("confirm", "reported", "other_officer", "out_of_scope"),
    ("dismiss", "reported", "company", "step_not_allowed"),
    ("fix_immediately", "reported", "company", "ok"),
    ("fix_immediately", "reported", "grid", "step_not_allowed"),
    ("fix_immediately", "reported", "other_company", "out_of_scope"),
    ("assign", "confirmed", "officer", "ok"),
    ("assign", "confirmed", "company", "step_not_allowed"),
    ("progress", "assigned", "company", "ok"),
    ("progress", "assigned", "officer", "step_not_allowed"),
    ("progress", "assigned", "other_company", "out_of_scope"),
    ("rectify", "rectifying", "company", "ok"),
    ("rectify", "rectifying", "grid", "step_not_allowed"),
    ("verify", "rectified", "company", "ok"),
    ("verify", "rectified", "officer", "step_not_allowed"),
    ("reject", "rectified", "company", "ok"),
    ("close", "verified", "officer", "ok"),
    ("close", "verified", "company", "step_not_allowed"),
    ("close", "verified", "grid", "step_not_allowed"),
]


@pytest.mark.parametrize("step,state,who,expected", WHO_CASES)
def test_who_may_make_each_step(step, state, who, expected, make_hazard, town):
    hazard = make_hazard(state)
    if expected == "ok":
        assert do(step, hazard, town[who], town).status == LEADS_TO[step]
    else:
        with pytest.raises(AccessDenied) as info:
            do(step, hazard, town[who], town)
        assert info.value.code == expected
        assert Hazard.objects.get(pk=hazard.pk).status == state


def test_the_responsible_person_may_rectify(make_hazard, town, make_user):
    from yingji.framework.roles import Role

    # a read-only account (a town leader) named 整改责任人 may carry out the rectification
    responsible = make_user(Role.LEADER, place=town["region"]["town00"])
    hazard = make_hazard("assigned")
    with pytest.raises(AccessDenied):
        workflow.submit_rectification(hazard, actor=responsible, evidence="已更换")
    responsible.person = town["person"]
    responsible.save()
    hazard = workflow.submit_rectification(hazard, actor=responsible, evidence="已更换")
    assert hazard.status == Status.RECTIFIED


def test_next_steps_offer_only_what_the_user_may_do(make_hazard, town):
    hazard = make_hazard("reported")
    assert workflow.next_steps(town["officer"], hazard) == ["confirm", "dismiss", "fix_immediately", "photo"]
    assert workflow.next_steps(town["company"], hazard) == ["fix_immediately", "photo"]
    assert workflow.next_steps(town["leader"], hazard) == []
    hazard = make_hazard("rectifying")
    assert workflow.next_steps(town["company"], hazard) == ["progress", "rectify", "photo"]
    assert "rectify" not in workflow.next_steps(town["officer"], hazard)


@pytest.mark.parametrize("missing", ["responsible", "measures", "funds", "due_at", "contingency_plan"])
def test_assignment_needs_all_five_items(missing, make_hazard, town):
    hazard = make_hazard("confirmed")
    items = {"responsible": town["person"], "due_at": future(), **FIVE}
    items[missing] = None if missing in ("responsible", "funds", "due_at") else "  "
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(hazard, actor=town["officer"], **items)
    assert info.value.code == "missing_five_items"
    assert list(info.value.fields) == [missing]
    assert Hazard.objects.get(pk=hazard.pk).status == Status.CONFIRMED


def test_assignment_refuses_a_past_deadline_and_negative_funds(make_hazard, town):
    hazard = make_hazard("confirmed")
    base = {"responsible": town["person"], **FIVE}
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(hazard, actor=town["officer"], **{**base, "due_at": "2020-01-01"})
    assert info.value.code == "due_in_past"
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(
            hazard, actor=town["officer"], **{**base, "due_at": future(), "funds": "-1"}
        )
    assert info.value.code == "invalid_value"
    assert list(info.value.fields) == ["funds"]
    # zero funds is a stated amount (nothing needed), not a missing item
    ok = workflow.assign_rectification(
        hazard, actor=town["officer"], **{**base, "due_at": future(), "funds": "0"}
    )
    assert ok.status == Status.ASSIGNED and ok.responsible_unit == town["enterprise"].name


def test_a_responsible_person_outside_the_officers_scope_counts_as_missing(make_hazard, town):
    from yingji.accounts.models import Person

    stranger = Person.objects.create(name="外地人", place=town["region"]["village100"])
    hazard = make_hazard("confirmed")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(
            hazard, actor=town["officer"], responsible=stranger, due_at=future(), **FIVE
        )
    assert info.value.code == "missing_five_items" and "responsible" in info.value.fields


def test_major_grading_needs_a_standard_and_its_clause(make_hazard, town):
    hazard = make_hazard("reported")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.confirm_hazard(hazard, actor=town["officer"], grade="major")
    assert info.value.code == "major_standard_required"
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.confirm_hazard(hazard, actor=town["officer"], grade="major", major_standard="chemicals")
    assert info.value.code == "major_criterion_required"
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.confirm_hazard(hazard, actor=town["officer"], grade="")
    assert info.value.code == "grade_required"
    hazard = workflow.confirm_hazard(
        hazard,
        actor=town["officer"],
        grade="major",
        major_standard="industry_trade",
        major_criterion="第四条第（一）项",
    )
    assert (hazard.grade, hazard.major_standard, hazard.review_levels) == ("major", "industry_trade", 2)


def test_a_major_hazard_needs_its_plan_and_the_regulators_verification(make_hazard, town):
    hazard = make_hazard("confirmed", grade="major")
    args = {"responsible": town["person"], "due_at": future(60), **FIVE}
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(hazard, actor=town["officer"], **args)
    assert info.value.code == "missing_plan"
    assert len(info.value.fields) == 6
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.assign_rectification(hazard, actor=town["officer"], plan={**PLAN, "funding": ""}, **args)
    assert list(info.value.fields) == ["plan.funding"]
    hazard = workflow.assign_rectification(hazard, actor=town["officer"], plan=PLAN, **args)
    assert RectificationPlan.objects.get(hazard=hazard).safety_measures == PLAN["safety_measures"]
    hazard = workflow.submit_rectification(hazard, actor=town["company"], evidence="联锁已恢复")
    # level 1: the enterprise accepts its own work; the hazard waits for the regulator
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    assert (hazard.status, hazard.reviews_passed) == (Status.RECTIFIED, 1)
    with pytest.raises(AccessDenied):
        workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    with pytest.raises(workflow.WorkflowError):
        workflow.close_hazard(hazard, actor=town["officer"])
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=True, note="现场复核合格")
    assert (hazard.status, hazard.reviews_passed) == (Status.VERIFIED, 2)
    assert workflow.close_hazard(hazard, actor=town["officer"]).status == Status.CLOSED


def test_major_hazards_cannot_be_fixed_immediately(make_hazard, town):
    hazard = make_hazard("confirmed", grade="major")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.fix_immediately(hazard, actor=town["officer"], evidence="已处理")
    assert info.value.code == "only_general"


def test_review_levels_follow_the_settings_and_the_third_needs_a_county_officer(
    make_hazard, town, monkeypatch
):
    monkeypatch.setitem(config.REVIEW_LEVELS, "general", 3)
    hazard = make_hazard("rectified")
    assert hazard.review_levels == 3
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=True)
    assert (hazard.status, hazard.reviews_passed) == (Status.RECTIFIED, 2)
    with pytest.raises(AccessDenied) as info:
        workflow.verify_hazard(hazard, actor=town["officer"], approve=True)
    assert info.value.code == "step_not_allowed"
    hazard = workflow.verify_hazard(hazard, actor=town["county_officer"], approve=True)
    assert hazard.status == Status.VERIFIED


@pytest.mark.parametrize(
    "grade,configured,expected", [("general", 0, 1), ("general", 5, 3), ("major", 1, 2), ("major", 3, 3)]
)
def test_review_levels_are_clamped(grade, configured, expected, monkeypatch):
    monkeypatch.setitem(config.REVIEW_LEVELS, grade, configured)
    assert config.review_levels(grade) == expected


def test_rejection_returns_to_rectifying_and_restarts_verification(make_hazard, town):
    from yingji.deadlines.models import Deadline

    hazard = make_hazard("rectified", grade="major")
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.verify_hazard(hazard, actor=town["officer"], approve=False, note=" ")
    assert info.value.code == "reason_required"
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=False, note="联锁测试不合格")
    assert (hazard.status, hazard.reviews_passed, hazard.rectified_at) == (Status.RECTIFYING, 0, None)
    active = Deadline.objects.filter(object_id=str(hazard.pk), rule="hazards.rectify_major", status="open")
    assert active.count() == 1  # the rectification deadline runs again
    hazard = workflow.submit_rectification(hazard, actor=town["company"], evidence="重新测试合格")
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=True)
    assert hazard.status == Status.VERIFIED
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions == [
        "report",
        "confirm",
        "assign",
        "progress",
        "rectify",
        "verify",
        "reject",
        "rectify",
        "verify",
        "verify",
    ]


def test_immediate_fix_closes_at_once_with_evidence_and_photo(make_hazard, town, photo):
    hazard = make_hazard("reported")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.fix_immediately(hazard, actor=town["company"], evidence="")
    assert info.value.code == "evidence_required"
    hazard = workflow.fix_immediately(
        hazard, actor=town["company"], evidence="已当场更换灭火器", photos=[photo()]
    )
    assert hazard.status == Status.CLOSED and hazard.immediate and hazard.grade == "general"
    assert hazard.closed_at is not None
    assert [p.stage for p in hazard.photos.all()] == ["rectification"]
    assert hazard.photos.get().event.action == "fix_immediately"


def test_dismissal_needs_a_reason(make_hazard, town):
    hazard = make_hazard("reported")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.dismiss_hazard(hazard, actor=town["officer"], reason="")
    assert info.value.code == "reason_required"
    hazard = workflow.dismiss_hazard(hazard, actor=town["officer"], reason="经核实为正常作业")
    assert hazard.status == Status.DISMISSED and hazard.dismiss_reason == "经核实为正常作业"


def test_every_step_is_on_the_timeline_with_who_and_when(make_hazard, town):
    hazard = make_hazard("closed")
    rows = list(hazard.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert rows == [
        ("report", "", "reported", town["grid"].username),
        ("confirm", "reported", "confirmed", town["officer"].username),
        ("assign", "confirmed", "assigned", town["officer"].username),
        ("progress", "assigned", "rectifying", town["company"].username),
        ("rectify", "rectifying", "rectified", town["company"].username),
        ("verify", "rectified", "verified", town["company"].username),
        ("close", "verified", "closed", town["officer"].username),
    ]
    assert all(e.at is not None for e in hazard.events.all())


# --- reporting ----------------------------------------------------------------------------------------


def test_an_enterprise_hazard_is_placed_at_the_enterprise(town):
    hazard = workflow.report_hazard(
        actor=town["grid"], source="grid", title="消防通道堵塞", enterprise=town["enterprise"].pk
    )
    assert hazard.place == town["enterprise"].place
    assert hazard.number.startswith("YH") and hazard.finder == town["grid"]
    assert hazard.events.get().action == "report"


def test_a_point_is_located_in_its_village(town):
    region = town["region"]
    hazard = workflow.report_hazard(
        actor=town["officer"], source="inspection", title="路边广告牌松动", longitude=120.05, latitude=32.07
    )
    assert hazard.place == region["village001"]
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.report_hazard(
            actor=town["officer"], source="inspection", title="x", longitude=100.0, latitude=20.0
        )
    assert info.value.code == "validation_error" and info.value.fields["longitude"][0]["code"] == "outside"


@pytest.mark.parametrize(
    "fields,field,code",
    [
        ({"title": "", "place": "320602001201"}, "title", "required"),
        ({"title": "x"}, "place", "place_required"),
        ({"title": "x", "place": "999999999999"}, "place", "does_not_exist"),
        ({"title": "x", "place": "320602001201", "kind": "disaster"}, "disaster_type", "required"),
        (
            {"title": "x", "place": "320602001201", "found_at": "2999-01-01T00:00:00+08:00"},
            "found_at",
            "in_future",
        ),
        ({"title": "x", "place": "320602001201", "longitude": 120.0}, "latitude", "invalid_value"),
    ],
)
def test_bad_reports_are_refused_per_field(fields, field, code, town):
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.report_hazard(actor=town["officer"], source="inspection", **fields)
    assert info.value.fields[field][0]["code"] == code
    assert Hazard.objects.count() == 0


def test_a_report_outside_the_reporters_area_is_refused(town):
    with pytest.raises(AccessDenied) as info:
        workflow.report_hazard(
            actor=town["grid"], source="grid", title="x", place=town["region"]["village100"]
        )
    assert info.value.code == "out_of_scope"
    assert Hazard.objects.count() == 0


def test_disaster_hazards_by_information_officers(town):
    hazard = workflow.report_hazard(
        actor=town["info"],
        source="info_officer",
        title="山体裂缝",
        kind="disaster",
        disaster_type="geological",
        place=town["region"]["village001"],
    )
    assert hazard.number.startswith("ZH") and hazard.kind == "disaster"
    hazard = workflow.confirm_hazard(hazard, actor=town["officer"], grade="general")
    hazard = workflow.assign_rectification(
        hazard, actor=town["officer"], responsible=town["person"], due_at=future(), **FIVE
    )
    # without an enterprise, the local officers carry out and accept the rectification
    hazard = workflow.submit_rectification(hazard, actor=town["officer"], evidence="已设置警示并监测")
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=True)
    assert workflow.close_hazard(hazard, actor=town["officer"]).status == Status.CLOSED


# --- supervision ----------------------------------------------------------------------------------------


def test_a_major_hazard_listed_by_the_county_is_closed_only_by_the_county(make_hazard, town):
    region = town["region"]
    hazard = make_hazard("assigned", grade="major")
    with pytest.raises(AccessDenied):
        workflow.list_for_supervision(
            hazard, actor=town["enforcer"], level_place=region["town00"], due_at=future(30)
        )
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.list_for_supervision(
            hazard, actor=town["county_officer"], level_place=region["county0"], due_at="2020-01-01"
        )
    assert info.value.code == "due_in_past"
    hazard = workflow.list_for_supervision(
        hazard,
        actor=town["county_officer"],
        level_place=region["county0"],
        due_at=future(30),
        note="限期治理",
    )
    assert hazard.supervised_by == region["county0"] and hazard.supervision_due_at is not None
    with pytest.raises(workflow.WorkflowError) as info:  # a lower level cannot re-list it
        workflow.list_for_supervision(
            hazard, actor=town["officer"], level_place=region["town00"], due_at=future(20)
        )
    assert info.value.code == "listed_higher"
    hazard = workflow.submit_rectification(hazard, actor=town["company"], evidence="完成")
    hazard = workflow.verify_hazard(hazard, actor=town["company"], approve=True)
    hazard = workflow.verify_hazard(hazard, actor=town["officer"], approve=True)
    with pytest.raises(AccessDenied) as denied:
        workflow.close_hazard(hazard, actor=town["officer"])
    assert denied.value.code == "supervised_elsewhere"
    assert workflow.close_hazard(hazard, actor=town["county_officer"]).status == Status.CLOSED


def test_only_major_hazards_are_listed_for_supervision(make_hazard, town):
    hazard = make_hazard("assigned")
    with pytest.raises(workflow.WorkflowError) as info:
        workflow.list_for_supervision(
            hazard, actor=town["officer"], level_place=town["region"]["town00"], due_at=future()
        )
    assert info.value.code == "only_major"
