"""The task lifecycle: every transition, who may take each step, the timeline and the messages."""

import datetime as dt

import pytest
from django.utils import timezone

from yingji.dispatch import workflow
from yingji.dispatch.choices import TaskAction, TaskStatus
from yingji.dispatch.models import Task, TaskUpdate
from yingji.framework.access import AccessDenied
from yingji.incidents.models import TimelineEntry

pytestmark = pytest.mark.django_db

ALL_STATUSES = [s.value for s in TaskStatus]
ARGS = {
    TaskAction.ACKNOWLEDGE: {},
    TaskAction.PROGRESS: {"percent": 10, "note": "已到位"},
    TaskAction.DEPART: {"headcount": 20},
    TaskAction.ARRIVE: {},
    TaskAction.COMPLETE: {"result": "明火扑灭"},
    TaskAction.CANCEL: {"reason": "力量充足"},
}


def test_dispatch_writes_task_update_timeline_and_notifies(
    dispatch, incident, team, fire_dept, dept_user, duty
):
    from yingji.messaging.models import Delivery

    task = dispatch(due_at=timezone.now() + dt.timedelta(hours=2))
    assert task.status == TaskStatus.DISPATCHED
    assert task.department == fire_dept  # the team's 主管部门 answers for it
    assert task.dispatched_by == duty
    assert list(task.updates.values_list("action", flat=True)) == ["dispatch"]
    entry = TimelineEntry.objects.get(incident=incident, kind="dispatch")
    assert entry.link == task.get_absolute_url() and team.name in entry.text and entry.actor == duty
    # the department's officer gets an in-app message, the team's duty mobile an SMS, both linking the task
    assert Delivery.objects.filter(
        channel="inapp", user=dept_user, message__link=task.get_absolute_url()
    ).exists()
    assert Delivery.objects.filter(
        channel="sms", address="13912345678", message__link=task.get_absolute_url()
    ).exists()


def test_full_team_path_by_the_departments_user(dispatch, incident, dept_user, duty):
    from yingji.messaging.models import Delivery

    task = dispatch()
    task = workflow.acknowledge(task, actor=dept_user, note="收到")
    assert task.status == TaskStatus.ACKNOWLEDGED and task.acknowledged_by == dept_user
    assert task.acknowledged_at is not None
    assert Delivery.objects.filter(channel="inapp", user=duty, message__subject__contains="已签收").exists()
    task = workflow.depart(task, actor=dept_user, headcount=25, vehicles=4)
    assert task.status == TaskStatus.IN_PROGRESS and task.headcount_sent == 25 and task.vehicles_sent == 4
    task = workflow.arrive(task, actor=dept_user)
    assert task.arrived_at >= task.departed_at
    task = workflow.report_progress(task, actor=dept_user, percent=60, note="火势得到控制")
    assert task.percent == 60
    task = workflow.complete(task, actor=dept_user, result="明火扑灭，无人员伤亡")
    assert task.status == TaskStatus.COMPLETED and task.percent == 100 and task.completed_by == dept_user
    assert [u.action for u in task.updates.order_by("at", "pk")] == [
        "dispatch",
        "acknowledge",
        "depart",
        "arrive",
        "progress",
        "complete",
    ]
    kinds = list(
        TimelineEntry.objects.filter(incident=incident).order_by("at", "pk").values_list("kind", flat=True)
    )
    assert kinds == ["dispatch", "task", "dispatch", "dispatch", "task", "task"]
    assert all(e.link == task.get_absolute_url() for e in TimelineEntry.objects.filter(incident=incident))


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_every_transition_follows_the_table(action, status, dispatch, admin_user_):
    task = dispatch()
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    sources, target = workflow.TRANSITIONS[action]
    step = workflow.STEP_FUNCTIONS[action]
    before = TaskUpdate.objects.count(), TimelineEntry.objects.count()
    if status in sources:
        task = step(task, actor=admin_user_, **ARGS[action])
        assert task.status == target
        assert TaskUpdate.objects.filter(task=task, action=action).exists()
    else:
        with pytest.raises(workflow.TaskError) as caught:
            step(task, actor=admin_user_, **ARGS[action])
        assert caught.value.code == "invalid_transition"
        assert caught.value.message  # a Chinese sentence for people
        assert (TaskUpdate.objects.count(), TimelineEntry.objects.count()) == before
        task.refresh_from_db()
        assert task.status == status


def test_progress_before_acknowledgement_says_acknowledge_first(dispatch, dept_user):
    with pytest.raises(workflow.TaskError) as caught:
        workflow.report_progress(dispatch(), actor=dept_user, percent=10)
    assert "请先签收" in caught.value.message


def test_input_errors_are_typed(dispatch, dept_user, duty, fire_dept):
    task = workflow.acknowledge(dispatch(), actor=dept_user)
    workflow.report_progress(task, actor=dept_user, percent=50)
    cases = [
        (workflow.report_progress, {"percent": 40}, "percent_decreased"),
        (workflow.report_progress, {"percent": 101}, "invalid_percent"),
        (workflow.report_progress, {}, "progress_empty"),
        (workflow.complete, {"result": " "}, "result_required"),
        (workflow.depart, {"at": timezone.now() + dt.timedelta(hours=1)}, "time_in_future"),
        (workflow.depart, {"headcount": -1}, "invalid_count"),
    ]
    for step, args, code in cases:
        with pytest.raises(workflow.TaskError) as caught:
            step(task, actor=dept_user, **args)
        assert caught.value.code == code
    with pytest.raises(workflow.TaskError) as caught:
        workflow.cancel(task, actor=duty, reason="")
    assert caught.value.code == "reason_required"
    department_task = workflow.acknowledge(
        dispatch(assignee_kind="department", team=None, assignee_department=fire_dept), actor=dept_user
    )
    with pytest.raises(workflow.TaskError) as caught:
        workflow.arrive(department_task, actor=dept_user)
    assert caught.value.code == "not_team_task"


def test_arrival_without_departure_records_both_and_not_before_dispatch(dispatch, dept_user):
    task = workflow.acknowledge(dispatch(), actor=dept_user)
    with pytest.raises(workflow.TaskError) as caught:
        workflow.arrive(task, actor=dept_user, at=task.dispatched_at - dt.timedelta(minutes=1))
    assert caught.value.code == "time_before_dispatch"
    task = workflow.arrive(task, actor=dept_user)
    assert task.departed_at == task.arrived_at


def test_team_department_user_may_answer_other_department_may_not(dispatch, dept_user, other_dept_user):
    task = dispatch()
    # the county department's user sees the task of a town incident, the other department's does not
    assert Task.objects.visible_to(dept_user).filter(pk=task.pk).exists()
    assert not Task.objects.visible_to(other_dept_user).filter(pk=task.pk).exists()
    assert workflow.is_assignee(dept_user, task)
    assert not workflow.is_assignee(other_dept_user, task)
    assert workflow.allowed_actions(other_dept_user, task) == []
    with pytest.raises(AccessDenied):
        workflow.acknowledge(task, actor=other_dept_user)
    task.refresh_from_db()
    assert task.status == TaskStatus.DISPATCHED
    assert workflow.allowed_actions(dept_user, task) == ["acknowledge"]


def test_department_user_sees_its_team_tasks_in_another_county(make_incident, region, dispatch, dept_user):
    far = make_incident(place=region["village100"], longitude=121.05, latitude=32.02)
    task = dispatch(incident=far)
    assert Task.objects.visible_to(dept_user).filter(pk=task.pk).exists()
    workflow.acknowledge(task, actor=dept_user)


def test_only_the_dispatcher_side_cancels_and_the_assignee_is_told(dispatch, dept_user, duty):
    from yingji.messaging.models import Delivery

    task = dispatch()
    with pytest.raises(AccessDenied):
        workflow.cancel(task, actor=dept_user, reason="不去了")
    workflow.cancel(task, actor=duty, reason="力量已足够")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.cancel_reason == "力量已足够"
    assert Delivery.objects.filter(
        channel="inapp", user=dept_user, message__subject__contains="已撤销"
    ).exists()


def test_leader_reads_but_may_not_answer(dispatch, leader):
    task = dispatch()
    assert Task.objects.visible_to(leader).filter(pk=task.pk).exists()
    assert workflow.allowed_actions(leader, task) == []
    with pytest.raises(AccessDenied):
        workflow.acknowledge(task, actor=leader)


def test_dispatcher_may_record_for_the_assignee(dispatch, duty, incident):
    task = workflow.acknowledge(dispatch(), actor=duty)
    assert task.status == TaskStatus.ACKNOWLEDGED
    assert "代录" in TimelineEntry.objects.filter(incident=incident, kind="task").latest("pk").text


def test_person_task_is_answered_by_the_persons_account(make_user, region, incident, duty):
    from yingji.accounts.models import Person
    from yingji.dispatch import services
    from yingji.framework.roles import Role
    from yingji.messaging.models import Delivery

    person = Person.objects.create(name="王村长", place=region["village000"], mobile="13800001111")
    own = make_user(Role.GRID_WORKER, place=region["village001"])  # elsewhere, but it is their person
    own.person = person
    own.save()
    stranger = make_user(Role.GRID_WORKER, place=region["village001"])
    task = services.dispatch_task(
        Task(incident=incident, title="组织群众转移", assignee_kind="person", person=person), actor=duty
    )
    assert Delivery.objects.filter(channel="inapp", user=own, message__link=task.get_absolute_url()).exists()
    assert Task.objects.visible_to(own).filter(pk=task.pk).exists()
    assert not Task.objects.visible_to(stranger).filter(pk=task.pk).exists()
    workflow.acknowledge(task, actor=own)
    with pytest.raises(AccessDenied):
        workflow.report_progress(task, actor=stranger, percent=10)


def test_dispatch_refusals_write_nothing(incident, team, region, make_user, make_incident, duty, fire_dept):
    from django.core.exceptions import ValidationError

    from yingji.dispatch import services
    from yingji.framework.roles import Role

    town_officer = make_user(Role.BUREAU_OFFICER, place=region["town00"])
    elsewhere = make_incident(place=region["village100"])
    cases = [
        (Task(incident=elsewhere, title="x", assignee_kind="team", team=team), town_officer, AccessDenied),
        (Task(incident=incident, title="x", assignee_kind="team"), duty, ValidationError),
        (
            Task(
                incident=incident, title="x", assignee_kind="team", team=team, assignee_department=fire_dept
            ),
            duty,
            ValidationError,
        ),
        (
            Task(
                incident=incident,
                title="x",
                assignee_kind="team",
                team=team,
                due_at=timezone.now() - dt.timedelta(hours=1),
            ),
            duty,
            ValidationError,
        ),
    ]
    for task, actor, error in cases:
        with pytest.raises(error):
            services.dispatch_task(task, actor=actor)
    assert Task.objects.count() == 0 and TimelineEntry.objects.count() == 0
    # a town officer may send the county's team (read up) to its own town's incident
    services.dispatch_task(
        Task(incident=incident, title="支援", assignee_kind="team", team=team), actor=town_officer
    )


def test_edit_keeps_the_assignee(dispatch, duty, dept_user, fire_dept):
    from django.core.exceptions import ValidationError

    from yingji.dispatch import services

    task = dispatch()
    task.instructions = "携带破拆工具"
    services.save_task(task, actor=duty)
    task.refresh_from_db()
    assert task.instructions == "携带破拆工具"
    task.assignee_kind, task.team, task.assignee_department = "department", None, fire_dept
    with pytest.raises(ValidationError):
        services.save_task(task, actor=duty)
    fresh = Task.objects.get(pk=task.pk)
    fresh.title = "改名"
    with pytest.raises(AccessDenied):
        services.save_task(fresh, actor=dept_user)


def test_team_steps_write_the_force_on_the_timeline_and_keep_it_when_not_given(
    dispatch, incident, dept_user, duty
):
    task = workflow.acknowledge(dispatch(), actor=dept_user)
    task = workflow.depart(task, actor=dept_user, headcount=25, vehicles=4)
    entry = TimelineEntry.objects.filter(incident=incident, kind="dispatch").latest("pk")
    assert entry.text == f"{task.team}出发赶赴现场（25人、4车）" and entry.at == task.departed_at
    task = workflow.arrive(task, actor=duty, vehicles=3)  # recorded by the dispatcher (代录)
    assert (task.headcount_sent, task.vehicles_sent) == (25, 3)
    entry = TimelineEntry.objects.filter(incident=incident, kind="dispatch").latest("pk")
    minutes = int((task.arrived_at - task.dispatched_at).total_seconds() // 60)
    assert entry.text == f"{task.team}到达现场（派出后 {minutes} 分钟）（25人、3车）（{duty}代录）"
    assert entry.link == task.get_absolute_url() and entry.actor == duty
    assert list(task.updates.values_list("action", flat=True)) == [
        "dispatch",
        "acknowledge",
        "depart",
        "arrive",
    ]
