"""The evaluation formula at its boundaries, the ranking, and the data behind it."""

import datetime as dt
from decimal import Decimal

import pytest

from yingji.deadlines.calendar import tz
from yingji.duty import evaluation
from yingji.duty.evaluation import Figures, rank, score
from yingji.duty.models import RollCall

FULL_REPORTS = {"due": 4, "on_time": 4, "late": 0, "missing": 0, "incomplete": 0}


@pytest.mark.parametrize(
    ("figures", "total"),
    [
        (Figures(calls=10, answered=10, mean_answer_seconds=60, reports=FULL_REPORTS), Decimal("100.0")),
        (Figures(calls=10, answered=10, mean_answer_seconds=59, reports=FULL_REPORTS), Decimal("100.0")),
        (Figures(calls=10, answered=10, mean_answer_seconds=180, reports=FULL_REPORTS), Decimal("90.0")),
        (Figures(calls=10, answered=10, mean_answer_seconds=300, reports=FULL_REPORTS), Decimal("80.0")),
        (Figures(calls=10, answered=10, mean_answer_seconds=301, reports=FULL_REPORTS), Decimal("80.0")),
        # nothing answered: no rate points and no speed points
        (Figures(calls=10, answered=0, reports=FULL_REPORTS), Decimal("40.0")),
        # roll-calls only: (40 × 0.5 + 20) scaled from 60 to 100
        (Figures(calls=10, answered=5, mean_answer_seconds=60), Decimal("66.7")),
        # reports only: (30 × 3/4 + 10) × 100/40 = 81.25 → 81.3 (half-up)
        (
            Figures(reports={"due": 4, "on_time": 3, "late": 1, "missing": 0, "incomplete": 0}),
            Decimal("81.3"),
        ),
        # completeness never below zero
        (Figures(reports={"due": 2, "on_time": 0, "late": 0, "missing": 2, "incomplete": 1}), Decimal("0.0")),
        # no report due counts as no data
        (Figures(calls=4, answered=4, mean_answer_seconds=30, reports={"due": 0}), Decimal("100.0")),
    ],
)
def test_score_formula(figures, total):
    assert score(figures).total == total


def test_no_data_no_score_and_parts():
    assert score(Figures()).total is None
    s = score(Figures(calls=4, answered=3, mean_answer_seconds=120, reports=FULL_REPORTS))
    assert s.rollcall_points == 30 and s.speed_points == 15 and s.timeliness_points == 30
    assert s.completeness_points == 10 and s.total == Decimal("85.0")
    with pytest.raises(ValueError):
        score(Figures(), window_seconds=60, full_seconds=60)


def _row(order, **kwargs):
    f = Figures(**kwargs)
    return {"figures": f, "score": score(f), "order": order}


def test_ranking_ties_and_unscored():
    rows = rank(
        [
            _row("d", calls=10, answered=5, mean_answer_seconds=60),  # 66.7
            _row("c"),  # no data
            _row("b", calls=10, answered=10, mean_answer_seconds=60),  # 100
            _row("a", calls=10, answered=10, mean_answer_seconds=60),  # 100, same figures as b
            _row("e", calls=2, answered=2, mean_answer_seconds=45),  # 100 but a faster answer
        ]
    )
    assert [r["order"] for r in rows] == ["e", "a", "b", "d", "c"]
    assert [r["rank"] for r in rows] == [1, 2, 2, 4, None]


def test_monthly_rows_from_roll_calls_and_reports(rooms, monkeypatch):
    base = dt.datetime(2026, 5, 4, 10, 0, tzinfo=tz())
    for i, (room, answered_after) in enumerate(
        [("town00", 30), ("town00", 90), ("town01", None), ("town01", 60)]
    ):
        called = base + dt.timedelta(hours=i)
        RollCall.objects.create(
            caller=rooms["county0"],
            room=rooms[room],
            called_at=called,
            due_at=called + dt.timedelta(minutes=5),
            status="answered" if answered_after is not None else "missed",
            answered_at=called + dt.timedelta(seconds=answered_after) if answered_after is not None else None,
        )
    # a call of another month does not count
    RollCall.objects.create(
        caller=rooms["county0"],
        room=rooms["town01"],
        called_at=base.replace(month=6),
        due_at=base.replace(month=6),
    )
    from yingji.reporting import stats

    seen = []

    def report_stats_by_place(places, month):
        seen.extend((place.code, month) for place in places)
        return {
            place.pk: {"due": 2, "on_time": 2, "late": 0, "missing": 0, "incomplete": 0} for place in places
        }

    monkeypatch.setattr(stats, "report_stats_by_place", report_stats_by_place)
    rooms_qs = [rooms["town00"], rooms["town01"]]
    rows = evaluation.monthly_rows(rooms_qs, 2026, 5, with_warnings=False)
    by_room = {r["room"].pk: r for r in rows}
    town00, town01 = by_room[rooms["town00"].pk], by_room[rooms["town01"].pk]
    assert town00["figures"].calls == 2 and town00["figures"].answered == 2
    assert town00["figures"].mean_answer_seconds == 60
    assert town00["score"].total == Decimal("100.0")
    # town01: 1 of 2 answered in 60 s: 20 + 20 + 40 = 80
    assert town01["figures"].calls == 2 and town01["score"].total == Decimal("80.0")
    assert [r["rank"] for r in rows] == [1, 2]
    assert seen[0][1] == dt.date(2026, 5, 1)


def test_a_month_without_due_reports_leaves_the_report_part_out(rooms):
    rows = evaluation.monthly_rows([rooms["town00"]], 2026, 5, with_warnings=False)
    assert rows[0]["figures"].reports == {"due": 0, "on_time": 0, "late": 0, "missing": 0, "incomplete": 0}


def test_warning_figures_of_all_rooms_in_one_query_match_answer_stats(region, django_assert_num_queries):
    """The 叫应 rate beside the score: one query for every room, the same counts as the warnings
    app's per-place ``answer_stats`` (a place counts its whole subtree)."""
    from yingji.warnings.models_response import Acknowledgement
    from yingji.warnings.response import answer_stats
    from yingji.warnings.tests.test_response_support import make_warning

    warning = make_warning(region)
    called = dt.datetime(2026, 5, 3, 9, 0, tzinfo=tz())
    for place, answered in (
        ("village000", True),
        ("village001", False),
        ("town00", True),
        ("town11", False),
        ("county0", True),
    ):
        Acknowledgement.objects.create(
            warning=warning,
            place=region[place],
            tier="village",
            called_at=called,
            due_at=called + dt.timedelta(minutes=10),
            acknowledged_at=called + dt.timedelta(minutes=3) if answered else None,
        )
    Acknowledgement.objects.create(  # another month
        warning=warning, place=region["town00"], tier="town", called_at=called.replace(month=6), due_at=called
    )
    places = [region[k] for k in ("city", "county0", "county1", "town00", "town01", "town11")]
    with django_assert_num_queries(1):
        figures = evaluation.warning_figures_by_place(places, 2026, 5)
    for place in places:
        expected = answer_stats(place, (2026, 5))
        got = figures[place.pk]
        assert (got["total"], got["answered"], got["answer_rate"]) == (
            expected["total"],
            expected["answered"],
            expected["answer_rate"],
        ), place.name
    assert figures[region["town00"].pk]["total"] == 3 and figures[region["town01"].pk]["answer_rate"] is None


def test_a_call_still_inside_its_window_is_not_counted_yet(rooms):
    """The evaluation of the running month must not count a call the room may still answer as
    unanswered; once its window has passed unanswered, it counts (as missed)."""
    import time_machine

    called = dt.datetime(2026, 5, 20, 10, 0, tzinfo=tz())
    RollCall.objects.create(
        caller=rooms["county0"],
        room=rooms["town00"],
        called_at=called,
        due_at=called + dt.timedelta(minutes=5),
    )
    with time_machine.travel(called + dt.timedelta(minutes=5), tick=False):
        row = evaluation.monthly_rows([rooms["town00"]], 2026, 5, with_warnings=False)[0]
    assert row["figures"].calls == 0 and row["score"].total is None
    with time_machine.travel(called + dt.timedelta(minutes=5, seconds=1), tick=False):
        row = evaluation.monthly_rows([rooms["town00"]], 2026, 5, with_warnings=False)[0]
    assert row["figures"].calls == 1 and row["figures"].answered == 0
    assert row["score"].rollcall_rate == 0
