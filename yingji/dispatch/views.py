"""Pages of dispatch: task list (live), detail with the assignee's steps, dispatch form (from the
incident page), the incident's task panel fragment, the situation map and the materials issue."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from yingji.dispatch import services, situation, workflow
from yingji.dispatch.choices import TaskAction
from yingji.dispatch.forms import ASSIGNEE_FIELDS, IssueForm, TaskForm, parse_pk
from yingji.dispatch.models import Task
from yingji.dispatch.panels import tasks_for
from yingji.framework.access import AccessDenied, can
from yingji.framework.views import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectTypeMixin,
    htmx_redirect,
)

POLL_SECONDS = 5


class TaskListView(ObjectListView):
    """The task list; its table refreshes itself every few seconds (HTMX polling)."""

    template_name = "dispatch/task_list.html"

    def base_context(self, **extra):
        return super().base_context(poll_seconds=POLL_SECONDS, **extra)


class TaskDetailView(ObjectDetailView):
    template_name = "dispatch/task_detail.html"

    def get_object(self, pk):
        return get_object_or_404(
            self.scoped().select_related("incident__place", "team", "assignee_department", "person"), pk=pk
        )

    def extra_context(self, obj) -> dict:
        return panel_context(obj, self.request.user)

    def base_context(self, **extra):
        obj = extra.get("object")
        if obj is not None and "can_change_object" in extra:
            # only the dispatcher side edits, and only open tasks (a department officer's change
            # right is for answering)
            extra["can_change_object"] = obj.is_open and workflow.may_dispatch(self.request.user, obj)
        return super().base_context(**extra)


class TaskEditView(ObjectEditView):
    """修改任务: only the dispatcher side, and only open tasks (a department officer's change right is for
    answering: the form would only refuse on saving)."""

    def get_instance(self, pk):
        task = super().get_instance(pk)
        if not workflow.may_dispatch(self.request.user, task):
            raise PermissionDenied(_("只有派发方（值班员、应急管理局干部）可以修改任务。"))
        return task


def panel_context(task: Task, user) -> dict:
    actions = workflow.allowed_actions(user, task)
    return {
        "task": task,
        "actions": actions,
        "is_assignee": workflow.is_assignee(user, task),
        "updates": list(task.updates.select_related("by").order_by("-at", "-pk")),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def task_panel(request, pk):
    """The live part of the task page (status, progress, steps so far): polled by the page."""
    if not can(request.user, "view", Task):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    task = get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "incident__place", "team", "assignee_department", "person"
        ),
        pk=pk,
    )
    return render(request, "dispatch/_task_panel.html", panel_context(task, request.user))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
def task_step(request, pk, step):
    """POST one step of the task (acknowledge, progress, depart, arrive, complete, cancel)."""
    if request.method != "POST":
        raise Http404
    if step not in workflow.STEP_FUNCTIONS:
        raise Http404
    if not can(request.user, "view", Task):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    post = request.POST
    fields = {
        TaskAction.ACKNOWLEDGE: ("note",),
        TaskAction.PROGRESS: ("percent", "note"),
        TaskAction.DEPART: ("at", "headcount", "vehicles", "note"),
        TaskAction.ARRIVE: ("at", "headcount", "vehicles", "note"),
        TaskAction.COMPLETE: ("result",),
        TaskAction.CANCEL: ("reason",),
    }[step]
    args = {name: post.get(name, "") for name in fields}
    if "at" in args:
        args["at"] = _parse_local(args["at"])
    try:
        if args.get("at") is False:
            raise workflow.TaskError(_("时间格式不正确。"), "invalid_time", "at")
        workflow.STEP_FUNCTIONS[step](task, actor=request.user, **args)
    except (workflow.TaskError, AccessDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已%(step)s：%(task)s") % {"step": TaskAction(step).label, "task": task.title}
        )
    return htmx_redirect(request, _safe_next(request, task.get_absolute_url()))


def _parse_local(raw: str):
    """A ``datetime-local`` value in the current time zone; None when empty, False when malformed."""
    import datetime as dt

    from django.utils import timezone

    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        return False
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class TaskDispatchView(ObjectTypeMixin, View):
    """派发任务 (``dispatch:task_add``), usually opened from the incident page with
    ``?incident=<pk>&team=<pk>`` (the 派遣 link of the nearest-team search)."""

    model = Task
    action = "add"
    template_name = "dispatch/task_form.html"

    def _initial(self, request):
        """The form's initial values from the query string: the links of the incident page (``incident``,
        ``team`` …) and the page's own reload when the incident is picked (every field). Ids that are not
        numbers are dropped, never passed to a query."""
        from yingji.resources.models import Team

        initial = {k: v for k, v in request.GET.items() if k in TaskForm.base_fields and v != ""}
        for name in ("incident", "team", "assignee_department", "person"):
            if name in initial and parse_pk(initial[name]) is None:
                initial.pop(name)
        if "assignee_kind" not in initial:
            for kind, name in ASSIGNEE_FIELDS.items():
                if name in initial:
                    initial["assignee_kind"] = kind
                    break
        if "team" in initial:
            team = Team.objects.visible_to(request.user).filter(pk=parse_pk(initial["team"])).first()
            if team is not None and team.headcount:
                initial.setdefault("headcount_sent", team.headcount)
            if team is not None:
                initial.setdefault("title", _("%(team)s赶赴现场救援") % {"team": team.name})
        return initial

    def _render(self, request, form, status=200):
        context = self.base_context(form=form, incident=form.incident, next=_safe_next(request, ""))
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        form = TaskForm(initial=self._initial(request), user=request.user)
        return self._render(request, form)

    def post(self, request):
        form = TaskForm(request.POST, user=request.user)
        if form.is_valid():
            task = form.save(commit=False)
            try:
                services.dispatch_task(task, actor=request.user)
            except ValidationError as exc:
                form.add_validation_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已派发：%(t)s") % {"t": task})
                if not any(services.assignee_recipients(task).values()):
                    messages.warning(
                        request,
                        _("承办对象没有平台账号或值班手机，系统无法通知，请电话通知并代为签收。"),
                    )
                return htmx_redirect(request, _safe_next(request, task.get_absolute_url()))
        return self._render(request, form)


def _incident_or_404(user, pk):
    from yingji.incidents.models import Incident

    return get_object_or_404(Incident.objects.visible_to(user).select_related("place"), pk=pk)


@login_required
def incident_tasks(request, pk):
    """The incident page's task panel as a fragment (the include polls it)."""
    incident = _incident_or_404(request.user, pk)
    return render(request, "dispatch/_incident_tasks.html", {"dispatch": tasks_for(incident, request.user)})


@login_required
def situation_view(request, pk):
    """态势图: the incident, distance rings, villages and population, resources, dispatched teams."""
    incident = _incident_or_404(request.user, pk)
    try:
        radii = situation.parse_radii(request.GET.get("radii"))
    except situation.SituationError as exc:
        messages.error(request, exc.message)
        radii = situation.default_radii()
    config = {
        "dataUrl": reverse("dispatch-situation", args=[incident.pk]),
        "radii": list(radii),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "text": {
            "incident": _("事件位置"),
            "commandPost": _("现场指挥部"),
            "villages": _("村（社区）"),
            "resources": _("附近资源"),
            "teams": _("已派出队伍"),
            "rings": _("距离圈"),
            "population": _("人口"),
            "unknown": _("未登记"),
            "distance": _("距离"),
            "km": _("公里"),
            "persons": _("人"),
            "loading": _("正在加载态势数据…"),
            "failed": _("态势数据加载失败："),
            "kinds": {
                "team": _("救援队伍"),
                "expert": _("专家"),
                "equipment": _("装备"),
                "shelter": _("避难场所"),
                "material": _("物资仓库"),
            },
        },
    }
    context = {
        "incident": incident,
        "config": config,
        "radii_text": ",".join(f"{r:g}" for r in radii),
        "method": situation.METHOD,
        "dispatch": tasks_for(incident, request.user),
    }
    return render(request, "dispatch/situation.html", context)


class IssueMaterialsView(View):
    """发放物资 to an incident (choose warehouse, item, quantity) through ``services.issue_materials``."""

    template_name = "dispatch/issue_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        from yingji.materials.models import Movement

        if not can(request.user, "add", Movement):
            raise PermissionDenied(_("您的角色没有发放物资的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        incident = _incident_or_404(request.user, pk)
        form = IssueForm(user=request.user, incident=incident, initial=request.GET.dict())
        return self._render(request, incident, form)

    def _render(self, request, incident, form):
        context = {"incident": incident, "form": form, "dispatch": tasks_for(incident, request.user)}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        from yingji.materials.services import LineIn

        incident = _incident_or_404(request.user, pk)
        form = IssueForm(request.POST, user=request.user, incident=incident)
        if form.is_valid():
            data = form.cleaned_data
            try:
                supply = services.issue_materials(
                    incident,
                    actor=request.user,
                    warehouse=data["warehouse"],
                    lines=[LineIn(item=data["item"], quantity=data["quantity"])],
                    note=data["note"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已发放：%(what)s（出库单 %(no)s）")
                    % {"what": supply.summary, "no": supply.movement.number},
                )
                return htmx_redirect(
                    request, _safe_next(request, reverse("dispatch:issue_materials", args=[pk]))
                )
        return self._render(request, incident, form)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
