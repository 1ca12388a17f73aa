"""Pages of incidents: the list, the command page (一图一表, one-click actions, live fragments,
timeline, review), the configuration pages and the reminder acknowledgement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.dispatch.panels import tasks_for
from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDetailView, htmx_redirect
from yingji.incidents import forms, services
from yingji.incidents.choices import GRADE_RANK, ResponseLevel, Status
from yingji.incidents.models import Incident, IncidentReview, ResponsePlan
from yingji.reporting.views import reports_for

LEVEL_COLOURS = {"1": "danger", "2": "warning", "3": "info", "4": "primary"}
GRADE_COLOURS = {1: "primary", 2: "info", 3: "warning", 4: "danger"}


def _incident(request, pk, action="view") -> Incident:
    if not can(request.user, action, Incident):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(Incident.objects.visible_to(request.user, action).select_related("place"), pk=pk)


def summary_context(user, incident) -> dict:
    return {
        "object": incident,
        "grade_colour": GRADE_COLOURS.get(GRADE_RANK.get(incident.grade, 1), "secondary"),
        "level_colour": LEVEL_COLOURS.get(incident.response_level, "secondary"),
        "can_act": Incident.objects.visible_to(user, "change").filter(pk=incident.pk).exists(),
    }


def checklist_context(user, incident) -> dict:
    items = list(incident.checklist.select_related("done_by"))
    return {
        "object": incident,
        "items": items,
        "done": sum(1 for i in items if i.done_at),
        "can_act": Incident.objects.visible_to(user, "change").filter(pk=incident.pk).exists(),
    }


def reminders_context(user, incident) -> dict:
    rows = list(incident.reminders.select_related("acknowledged_by"))
    return {
        "object": incident,
        "reminders": rows,
        "acked": sum(1 for r in rows if r.acknowledged_at),
        "mine": {r.pk for r in rows if services.may_acknowledge(user, r) and not r.acknowledged_at},
    }


def timeline_context(user, incident) -> dict:
    return {"object": incident, "entries": incident.timeline.select_related("actor").order_by("at", "pk")}


def plan_context(incident) -> dict:
    plan = services.plan_for(incident, incident.response_level) if incident.response_level else None
    return {"plan": plan, "steps": plan.step_list() if plan else []}


class IncidentDetailView(ObjectDetailView):
    """The command page."""

    template_name = "incidents/incident_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        review = IncidentReview.objects.filter(incident=obj).first()
        context = {
            **summary_context(user, obj),
            **checklist_context(user, obj),
            **reminders_context(user, obj),
            **timeline_context(user, obj),
            **plan_context(obj),
            "review": review,
            "review_form": forms.ReviewForm(instance=review)
            if obj.status in (Status.RECOVERY, Status.CLOSED)
            else None,
            "level_form": forms.LevelForm(initial={"level": obj.response_level}),
            "statuses": [(s, Status(s).label) for s in services.allowed_statuses(obj)],
            "casualties_form": forms.CasualtiesForm(
                initial={f: getattr(obj, f) for f in services.COUNT_FIELDS}
            ),
            "command_form": forms.CommandForm(
                initial={
                    "commander": obj.commander,
                    "command_post": obj.command_post,
                    "longitude": obj.command_post_longitude,
                    "latitude": obj.command_post_latitude,
                }
            ),
            "note_form": forms.NoteForm(),
            "notify_form": forms.NotifyForm(initial={"channels": ["inapp"]}, incident=obj, user=user),
            "levels": ResponseLevel.choices,
            **reports_for(obj, user),
            "dispatch": tasks_for(obj, user),
        }
        context.pop("object", None)  # the generic view sets it
        return context


FRAGMENTS = {
    "summary": ("incidents/_summary.html", summary_context),
    "checklist": ("incidents/_checklist.html", checklist_context),
    "reminders": ("incidents/_reminders.html", reminders_context),
    "timeline": ("incidents/_timeline.html", timeline_context),
}


@login_required
def incident_fragment(request, pk, part):
    """One live part of the command page (HTMX polls it every few seconds)."""
    if part not in FRAGMENTS:
        raise Http404
    incident = _incident(request, pk)
    template, builder = FRAGMENTS[part]
    return render(request, template, builder(request.user, incident))


@login_required
def incident_search(request, pk):
    """一键搜索 panel: the nearest resources around the incident."""
    from yingji.resources.nearest import NearestError

    incident = _incident(request, pk)
    try:
        answer = services.search_resources(incident, request.user)
        error = ""
    except NearestError as exc:
        answer, error = None, exc.message
    groups = []
    if answer:
        labels = {
            "team": _("救援队伍"),
            "expert": _("专家"),
            "shelter": _("避难场所"),
            "material": _("物资仓库"),
        }
        for kind in services.SEARCH_KINDS:
            if kind in answer["results"]:
                for row in answer["results"][kind]:
                    row["distance_km"] = f"{row['distance_m'] / 1000:.2f}"
                groups.append({"kind": kind, "label": labels[kind], "rows": answer["results"][kind]})
    try:
        map_url = reverse("resources:map")
    except NoReverseMatch:
        map_url = ""
    return render(
        request,
        "incidents/_search.html",
        {"object": incident, "answer": answer, "groups": groups, "error": error, "map_url": map_url},
    )


@login_required
def incident_duties(request, pk):
    """一键查职责 panel: department duties for the incident's type."""
    incident = _incident(request, pk)
    return render(
        request,
        "incidents/_duties.html",
        {"object": incident, "rows": services.duties_for(incident, request.user)},
    )


def _cleaned(form) -> dict:
    """The form's cleaned data, or its errors as one refusal whose messages name their fields
    ("死亡：请输入整数。")."""
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(
        [
            f"{form.fields[name].label}：{' '.join(errors)}" if name in form.fields else " ".join(errors)
            for name, errors in form.errors.items()
        ],
        code="invalid",
    )


def _act_level(request, incident):
    data = _cleaned(forms.LevelForm(request.POST))
    services.set_response_level(incident, data["level"], actor=request.user, note=data["note"])
    return _("响应级别已更新。")


def _act_status(request, incident):
    data = _cleaned(forms.StatusForm(request.POST))
    services.change_status(incident, data["status"], actor=request.user, note=data["note"])
    return _("状态已更新。")


def _act_casualties(request, incident):
    services.update_casualties(incident, actor=request.user, **_cleaned(forms.CasualtiesForm(request.POST)))
    return _("伤亡损失已更新。")


def _act_command(request, incident):
    services.set_command(incident, actor=request.user, **_cleaned(forms.CommandForm(request.POST)))
    return _("现场指挥信息已更新。")


def _act_note(request, incident):
    data = _cleaned(forms.NoteForm(request.POST))
    services.add_note(incident, data["text"], actor=request.user, decision=data["decision"])
    return _("已记录。")


def _act_notify(request, incident):
    data = _cleaned(forms.NotifyForm(request.POST, incident=incident, user=request.user))
    message = services.notify_incident(
        incident,
        actor=request.user,
        subject=data["subject"],
        body=data["body"],
        persons=[p.pk for p in data["persons"]],
        places=[p.pk for p in data["places"]],
        departments=[d.pk for d in data["departments"]],
        mobiles=data["mobiles"],
        channels=data["channels"] or ["inapp"],
    )
    return _("已发送通知“%(s)s”，共%(n)s条。") % {"s": message.subject, "n": message.deliveries.count()}


def _act_remind(request, incident):
    sent = services.remind_responsible(incident, actor=request.user)
    return _("已提醒%(n)s个责任部门或人员，确认情况见“职责提醒”。") % {"n": len(sent)}


def _act_review(request, incident):
    review = IncidentReview.objects.filter(incident=incident).first()
    data = _cleaned(forms.ReviewForm(request.POST, instance=review))
    services.save_review(incident, actor=request.user, **data)
    return _("复盘评估已保存。")


ACTS = {
    "level": _act_level,
    "status": _act_status,
    "casualties": _act_casualties,
    "command": _act_command,
    "note": _act_note,
    "notify": _act_notify,
    "remind": _act_remind,
    "review": _act_review,
}


@login_required
@require_POST
def incident_act(request, pk, act):
    """One action of the command page; refusals come back as a clear message."""
    handler = ACTS.get(act)
    if handler is None:
        raise Http404
    incident = _incident(request, pk, "change")
    try:
        messages.success(request, handler(request, incident))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    return htmx_redirect(request, incident.get_absolute_url())


@login_required
@require_POST
def checklist_tick(request, pk, item):
    incident = _incident(request, pk, "change")
    row = get_object_or_404(incident.checklist.all(), pk=item)
    try:
        services.tick_checklist_item(row, actor=request.user, done=request.POST.get("done", "1") != "0")
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return htmx_redirect(request, incident.get_absolute_url())
    if getattr(request, "htmx", False):
        return render(request, "incidents/_checklist.html", checklist_context(request.user, incident))
    return htmx_redirect(request, incident.get_absolute_url())


@login_required
def reminder_ack(request, pk):
    """The recipient's page of a reminder (the message links here): the duties and a confirm button."""
    reminder = get_object_or_404(
        services.reminders_for(request.user).select_related("incident", "incident__place", "acknowledged_by"),
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.acknowledge_reminder(reminder, actor=request.user)
        except AccessDenied as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认收到职责提醒。"))
        return htmx_redirect(request, reverse("incidents:reminder_ack", args=[reminder.pk]))
    can_view_incident = Incident.objects.visible_to(request.user).filter(pk=reminder.incident_id).exists()
    return render(
        request, "incidents/reminder_ack.html", {"reminder": reminder, "can_view_incident": can_view_incident}
    )


@login_required
def my_reminders(request):
    rows = services.reminders_for(request.user).select_related("incident").order_by("-sent_at")[:200]
    return render(request, "incidents/my_reminders.html", {"reminders": rows})


class ResponsePlanDetailView(ObjectDetailView):
    template_name = "incidents/responseplan_detail.html"

    def extra_context(self, obj):
        return {
            "steps": obj.step_list(),
            "duty_rows": obj.duties.select_related("department"),
            "can_add_duty": can(self.request.user, "add", ResponsePlan)
            and ResponsePlan.objects.visible_to(self.request.user, "change").filter(pk=obj.pk).exists(),
        }
