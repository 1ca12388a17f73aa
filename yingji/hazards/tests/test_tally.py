"""The statistics' tallies (``yingji.hazards.tally``): kept equal to a recount from the hazards after
every step of the loop, every kind of write and delete; and the figures read from them equal the
figures counted from the hazards, for every scope and filter they answer."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from yingji.framework.roles import Role
from yingji.hazards import stats, tally, workflow
from yingji.hazards.models import Hazard, HazardCloseHours, HazardTally

from .conftest import FIVE, future


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setattr(stats, "CACHE_SECONDS", 0)


def snapshot():
    """The tallies as {key: measures}, rows with nothing counted left out (a count taken back to 0
    leaves its row; the statistics read only rows with n > 0)."""
    rows = {}
    for t in HazardTally.objects.all():
        measures = (t.n, t.with_deadline, t.overdue_closed, t.timed, t.close_hours)
        if any(measures[:4]):  # a float sum taken back may leave a residue of 1e-9 h
            rows[(t.town_path, t.kind, t.section, t.status, t.grade, t.source)] = measures
    hist = {(h.town_path, h.kind, h.hours): h.n for h in HazardCloseHours.objects.all() if h.n}
    return rows, hist


def assert_consistent():
    """The tallies kept by the writes equal a recount from the hazards."""
    kept, kept_hist = snapshot()
    tally.rebuild()
    counted, counted_hist = snapshot()
    assert kept_hist == counted_hist
    assert kept.keys() == counted.keys()
    for key, measures in kept.items():
        assert measures[:4] == counted[key][:4], key
        # the sum of closing hours: SQLite's julianday() arithmetic is exact to about 0.1 s
        assert measures[4] == pytest.approx(counted[key][4], abs=1e-3), key


def from_scan(monkeypatch, user, **params):
    with monkeypatch.context() as m:
        m.setattr(stats, "_from_tallies", lambda *a, **k: None)
        return stats.hazard_statistics(user, stats.parse_filters(user, params))


def from_tallies(monkeypatch, user, **params):
    used = []
    real = stats._from_tallies

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        used.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(stats, "_from_tallies", spy)
        figures = stats.hazard_statistics(user, stats.parse_filters(user, params))
    assert used == [True], "the tallies were not used"
    return figures


def same(a, b):
    a, b = dict(a), dict(b)
    a.pop("generated_at"), b.pop("generated_at")
    assert a == b


STATES = ("reported", "dismissed", "confirmed", "assigned", "rectifying", "rectified", "verified", "closed")


@pytest.mark.parametrize("grade", ["general", "major"])
def test_consistent_after_every_step_of_the_loop(make_hazard, town, grade):
    for state in STATES:
        if state == "dismissed" and grade == "major":
            continue
        make_hazard(state, grade=grade)
        assert_consistent()
    assert HazardTally.objects.filter(status="closed", grade=grade).get().n == 1


def test_consistent_after_each_single_move(town, photo):
    """One hazard walked through the loop, checked after every move, including a rejection, the
    supervision listing, 立查立改 and a deletion."""
    t = town
    h = workflow.report_hazard(
        actor=t["grid"], source="grid", title="消防通道堵塞", enterprise=t["enterprise"]
    )
    assert_consistent()
    h = workflow.confirm_hazard(
        h, actor=t["officer"], grade="major", major_standard="chemicals", major_criterion="第十条"
    )
    assert_consistent()
    from .conftest import PLAN

    h = workflow.assign_rectification(
        h, actor=t["officer"], responsible=t["person"], due_at=future(), plan=PLAN, **FIVE
    )
    assert_consistent()
    h = workflow.list_for_supervision(
        h, actor=t["county_officer"], level_place=t["region"]["county0"], due_at=future(20), note="限期"
    )
    assert_consistent()
    h = workflow.submit_rectification(h, actor=t["company"], evidence="已更换")
    h = workflow.verify_hazard(h, actor=t["company"], approve=False, note="未标定")  # back to rectifying
    assert_consistent()
    h = workflow.submit_rectification(h, actor=t["company"], evidence="已标定")
    for actor in (t["company"], t["officer"]):
        h = workflow.verify_hazard(h, actor=actor, approve=True)
        assert_consistent()
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):  # closed after the deadline
        h = workflow.close_hazard(h, actor=t["county_officer"])
    assert_consistent()
    assert HazardTally.objects.get(status="closed").overdue_closed == 1

    quick = workflow.report_hazard(
        actor=t["grid"], source="grid", title="灭火器过期", enterprise=t["enterprise"], photos=[photo()]
    )
    workflow.fix_immediately(quick, actor=t["officer"], evidence="已更换灭火器")
    assert_consistent()
    assert sum(HazardCloseHours.objects.values_list("n", flat=True)) == 2

    Hazard.objects.get(pk=quick.pk).delete()
    assert_consistent()
    Hazard.objects.filter(pk=h.pk).delete()  # a queryset delete, too
    assert_consistent()
    assert snapshot() == ({}, {})


def test_edits_and_partial_loads_keep_the_counts(make_hazard, town):
    from yingji.hazards.services import save_hazard

    h = make_hazard("assigned")
    h.title = "改正后的名称"
    save_hazard(h, actor=town["officer"])
    assert_consistent()
    partial = Hazard.objects.only("id", "title").get(pk=h.pk)  # saved without its counted fields loaded
    partial.title = "再次改正"
    partial.save()
    assert_consistent()
    assert HazardTally.objects.get(status="assigned").n == 1


def test_reports_of_one_town_share_a_row(town):
    for n in range(3):
        workflow.report_hazard(
            actor=town["grid"], source="grid", title=f"隐患{n}", enterprise=town["enterprise"]
        )
    row = HazardTally.objects.get()
    assert (row.n, row.status, row.source, row.section) == (3, "reported", "grid", "C")
    assert row.town_path == town["region"]["town00"].path


def test_industry_is_copied_from_the_enterprise(town):
    h = workflow.report_hazard(actor=town["grid"], source="grid", title="隐患", enterprise=town["enterprise"])
    assert h.industry == town["enterprise"].industry != ""
    d = workflow.report_hazard(
        actor=town["info"], source="info_officer", title="积水", kind="disaster", disaster_type="waterlogging",
        place=town["region"]["village001"],
    )  # fmt: skip
    assert d.industry == ""


def test_town_path():
    assert tally.town_path("320600000000/320602000000/320602001000/320602001001/") == (
        "320600000000/320602000000/320602001000/"
    )
    assert tally.town_path("320600000000/320602000000/") == "320600000000/320602000000/"


# --- the figures from the tallies equal the figures from the hazards --------------------------------


@pytest.fixture
def mixed(town, make_hazard, make_enterprise):
    """Hazards in every state, of both kinds, in two towns of county 0 and in county 1, one placed at
    a county itself, one overdue and one closed late."""
    r = town["region"]
    for state in STATES:
        make_hazard(state)
    make_hazard("closed", grade="major")
    make_hazard("assigned", grade="major")
    workflow.report_hazard(
        actor=town["info"], source="info_officer", title="积水", kind="disaster", disaster_type="waterlogging",
        place=r["village001"],
    )  # fmt: skip
    far = workflow.report_hazard(
        actor=town["admin"], source="inspection", title="远处", enterprise=town["other_enterprise"]
    )
    Hazard.objects.create(
        number="T-COUNTY", title="县级", source="supervision", kind="disaster", disaster_type="geological",
        place=r["county1"], found_at=timezone.now() - dt.timedelta(days=3), due_at=timezone.now() - dt.timedelta(days=1),
        status="rectifying",
    )  # fmt: skip
    late = make_hazard("assigned")
    Hazard.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))  # overdue now
    tally.rebuild()  # the queryset update above bypassed save()
    return {"far": far}


@pytest.mark.parametrize(
    "who,params",
    [
        ("admin", {}),
        ("admin", {"kind": "disaster"}),
        ("admin", {"kind": "work_safety"}),
        ("admin", {"place": "county0"}),
        ("city_officer", {}),
        ("city_officer", {"place": "county1"}),
        ("county_officer", {}),
        ("county_officer", {"kind": "work_safety"}),
    ],
)
def test_tally_figures_equal_scanned_figures(mixed, town, monkeypatch, who, params):
    user = town[who]
    if "place" in params:
        params = {**params, "place": town["region"][params["place"]].code}
    fast = from_tallies(monkeypatch, user, **params)
    same(fast, from_scan(monkeypatch, user, **params))
    assert fast["summary"]["total"] > 0


def test_two_towns_of_two_counties(mixed, town, make_user, monkeypatch):
    r = town["region"]
    user = make_user(Role.BUREAU_OFFICER, place=r["town00"])
    from yingji.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.BUREAU_OFFICER, place=r["town10"])
    user = type(user).objects.get(pk=user.pk)
    fast = from_tallies(monkeypatch, user)
    same(fast, from_scan(monkeypatch, user))
    assert fast["area_level"] == "county"


@pytest.mark.parametrize(
    "who,params",
    [
        ("officer", {}),  # a town: the table is drawn per village
        ("grid", {}),  # a village
        ("company", {}),  # an enterprise
        ("admin", {"date_from": "2020-01-01"}),
        ("admin", {"source": "grid"}),
        ("admin", {"grade": "major"}),
        ("admin", {"industry": "C"}),
        ("admin", {"place": "town00"}),
    ],
)
def test_other_scopes_and_filters_are_counted_from_the_hazards(mixed, town, who, params):
    user = town[who]
    if "place" in params:
        params = {**params, "place": town["region"][params["place"]].code}
    f = stats.parse_filters(user, params)
    assert not f.errors
    place, depth = stats.area_of(f, user)
    assert stats._from_tallies(user, f, depth, timezone.now()) is None


def test_the_overdue_count_follows_the_clock(mixed, town, monkeypatch):
    """Not tallied: an open hazard becomes overdue when its deadline passes, with no write."""
    user = town["admin"]
    now_overdue = from_tallies(monkeypatch, user)["summary"]["overdue_open"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        later = from_tallies(monkeypatch, user)
        same(later, from_scan(monkeypatch, user))
    assert later["summary"]["overdue_open"] > now_overdue
