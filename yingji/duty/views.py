"""Duty pages: the live overview (who is on duty now, pending roll-calls, open items, latest
incidents), the roster month grid, swap, handover and roll-call workflows, the monthly evaluation.
Views parse and render; every write is a service call."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.duty import conf, evaluation, forms, services
from yingji.duty.choices import DutyRole, ItemStatus, RollCallStatus, SwapStatus
from yingji.duty.models import DutyRoom, Handover, HandoverItem, RollCall, RosterTemplate, Shift, SwapRequest
from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDetailView, ObjectListView


def _require(user, action, model):
    if not can(user, action, model):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))


def _error_text(exc) -> str:
    if isinstance(exc, AccessDenied):
        return exc.message
    return " ".join(exc.messages)


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}：{' '.join(errors)}" for name, errors in form.errors.items())


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _month(request) -> dt.date:
    try:
        day = forms.MonthField().clean(request.GET.get("month", ""))
    except Exception:  # noqa: BLE001  (a bad month falls back to the current one, with a message)
        messages.warning(request, _("月份格式应为 YYYY-MM，已显示本月。"))
        day = None
    return day or timezone.localdate().replace(day=1)


# --- overview ----------------------------------------------------------------------------------------


def _pending_calls(user) -> list[RollCall]:
    """The pending roll-calls in scope (soonest due first), each marked ``answerable`` by ``user``."""
    pending = list(
        RollCall.objects.visible_to(user)
        .filter(status=RollCallStatus.PENDING)
        .select_related("caller", "room")
        .order_by("due_at")[:50]
    )
    for call in pending:
        call.answerable = services.can_answer(user, call)
    return pending


def _callers(user):
    """The rooms in scope that have lower rooms to call (none without the right to call)."""
    if not can(user, "add", RollCall):
        return DutyRoom.objects.none()
    return DutyRoom.objects.visible_to(user).filter(children__isnull=False).distinct()


def overview_context(request) -> dict:
    user = request.user
    now = timezone.now()
    rows = services.on_duty_now(user, now)
    room_ids = [r["room"].pk for r in rows]
    pending = _pending_calls(user)
    items = list(services.open_items(room_ids).order_by("-created")[:30])
    incidents = []
    from django.apps import apps

    try:
        incident_model = apps.get_model("incidents", "Incident")
    except LookupError:
        incident_model = None
    if incident_model is not None and can(user, "view", incident_model):
        incidents = list(
            incident_model.objects.visible_to(user).select_related("place").defer("place__boundary")[:8]
        )
    for row in rows:
        shift = row["shift"]
        row["people"] = shift.members_by_role() if shift else None
    return {
        "rows": rows,
        "pending": pending,
        "items": items,
        "incidents": incidents,
        "now": now,
        "refresh": int(conf.get("OVERVIEW_REFRESH_SECONDS")),
        "can_call": can(user, "add", RollCall),
        "callers": _callers(user),
    }


@login_required
def overview(request):
    _require(request.user, "view", DutyRoom)
    context = overview_context(request)
    if request.htmx and request.htmx.target == "duty-live":
        return render(request, "duty/_overview_live.html", context)
    context["call_form"] = forms.CallForm(rooms=context["callers"])
    return render(request, "duty/overview.html", context)


# --- rooms -------------------------------------------------------------------------------------------


class DutyRoomDetailView(ObjectDetailView):
    def extra_context(self, obj):
        shift = services.shifts_now([obj.pk]).first()
        return {
            "shift_now": shift,
            "people_now": shift.members_by_role() if shift else None,
            "lower_rooms": DutyRoom.objects.visible_to(self.request.user).filter(parent=obj),
            "recent_calls": RollCall.objects.visible_to(self.request.user)
            .filter(room=obj)
            .select_related("caller")[:10],
            "open_items": services.open_items([obj.pk]),
        }


# --- roster ------------------------------------------------------------------------------------------


@login_required
def roster(request):
    """A month grid per room: every day's shift with its posts; generate from a template."""
    user = request.user
    _require(user, "view", Shift)
    rooms = list(DutyRoom.objects.visible_to(user).select_related("place").defer("place__boundary"))
    room = None
    room_id = request.GET.get("room")
    if room_id and room_id.isdigit():
        room = next((r for r in rooms if r.pk == int(room_id)), None)
    if room is None and rooms:
        room = rooms[0]
    month = _month(request)
    days = services.month_days(month.year, month.month)
    shifts = {}
    if room is not None:
        for shift in (
            Shift.objects.visible_to(user)
            .filter(room=room, date__in=days)
            .prefetch_related("members__person")
        ):
            shifts[shift.date] = shift
    grid = []
    for day in days:
        shift = shifts.get(day)
        grid.append({"date": day, "shift": shift, "people": shift.members_by_role() if shift else None})
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    can_generate = room is not None and can(user, "change", RosterTemplate) and can(user, "add", Shift)
    return render(
        request,
        "duty/roster.html",
        {
            "rooms": rooms,
            "room": room,
            "month": month,
            "grid": grid,
            "prev_month": prev_month,
            "next_month": next_month,
            "today": timezone.localdate(),
            "generate_form": forms.GenerateForm(user=user, room=room, initial={"month": f"{month:%Y-%m}"})
            if can_generate
            else None,
            "can_edit": room is not None and can(user, "change", Shift),
            "roles": DutyRole,
        },
    )


@login_required
@require_POST
def roster_generate(request):
    user = request.user
    form = forms.GenerateForm(request.POST, user=user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request, reverse("duty:roster"))
    template, month = form.cleaned_data["template"], form.cleaned_data["month"]
    url = reverse("duty:roster") + f"?room={template.room_id}&month={month:%Y-%m}"
    try:
        counts = services.generate_month(template, month.year, month.month, actor=user)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _error_text(exc))
        return HttpResponseRedirect(url)
    text = _("已生成 %(c)d 个班次，替换 %(r)d 个；保留人工调整的 %(e)d 个、已开始的 %(s)d 个。") % {
        "c": counts["created"],
        "r": counts["replaced"],
        "e": counts["kept_edited"],
        "s": counts["kept_started"],
    }
    messages.success(request, text)
    return HttpResponseRedirect(url)


class ShiftDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {
            "people": obj.members_by_role(),
            "handover": Handover.objects.filter(from_shift=obj).first(),
            "can_handover": can(self.request.user, "add", Handover) and obj.starts_at <= timezone.now(),
        }


@login_required
def shift_edit(request, pk):
    user = request.user
    _require(user, "change", Shift)
    shift = get_object_or_404(Shift.objects.visible_to(user, "change").select_related("room"), pk=pk)
    people = shift.members_by_role()
    initial = {
        "leader": people["leader"][0].pk if people["leader"] else None,
        "officers": [p.pk for p in people["officer"]],
        "standby": [p.pk for p in people["standby"]],
        "notes": shift.notes,
    }
    form = forms.ShiftMembersForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_shift_members(
                shift,
                leader=data["leader"],
                officers=list(data["officers"]),
                standby=list(data["standby"]),
                notes=data["notes"],
                actor=user,
            )
        except (ValidationError, AccessDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("已保存：%(obj)s") % {"obj": shift})
            return HttpResponseRedirect(shift.get_absolute_url())
    return render(request, "duty/form.html", {"form": form, "title": _("调整值班人员：%(s)s") % {"s": shift}})


# --- swaps -------------------------------------------------------------------------------------------


@login_required
def swap_add(request):
    user = request.user
    _require(user, "add", SwapRequest)
    form = forms.SwapForm(request.POST or None, user=user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            swap = services.request_swap(
                data["shift"],
                data["from_person"],
                data["to_person"],
                data["reason"],
                counter_shift=data["counter_shift"],
                actor=user,
            )
        except (ValidationError, AccessDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("换班申请已提交，待值班室负责人审批。"))
            return HttpResponseRedirect(swap.get_absolute_url())
    return render(request, "duty/form.html", {"form": form, "title": _("申请换班")})


class SwapRequestDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {
            "can_decide": obj.status == SwapStatus.PENDING
            and SwapRequest.objects.visible_to(self.request.user, "change").filter(pk=obj.pk).exists(),
            "decision_form": forms.DecisionForm(),
        }


@login_required
@require_POST
def swap_decide(request, pk, decision):
    user = request.user
    _require(user, "change", SwapRequest)
    swap = get_object_or_404(SwapRequest.objects.visible_to(user, "change"), pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():  # e.g. a note over 200 characters: say so instead of dropping it
        messages.error(request, _form_errors(form))
        return HttpResponseRedirect(swap.get_absolute_url())
    decide = services.approve_swap if decision == "approve" else services.reject_swap
    try:
        decide(swap, actor=user, note=form.cleaned_data["note"])
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("已批准换班，班次已更新。") if decision == "approve" else _("已驳回换班申请。")
        )
    return HttpResponseRedirect(swap.get_absolute_url())


# --- handovers ---------------------------------------------------------------------------------------


@login_required
def handover_add(request):
    """Record the handover of a shift (``?shift=<id>``; default: the current shift of the first room)."""
    user = request.user
    _require(user, "add", Handover)
    shifts = Shift.objects.visible_to(user).select_related("room")
    shift_id = request.GET.get("shift") or request.POST.get("shift")
    if shift_id and str(shift_id).isdigit():
        shift = get_object_or_404(shifts, pk=shift_id)
    else:
        shift = shifts.filter(starts_at__lte=timezone.now(), ends_at__gt=timezone.now()).first()
        if shift is None:
            messages.warning(request, _("当前没有可交接的班次：请从排班表中选择班次。"))
            return HttpResponseRedirect(reverse("duty:roster"))
    items = list(HandoverItem.objects.filter(room=shift.room, status=ItemStatus.OPEN))
    form = forms.HandoverForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.record_handover(
                shift,
                data["summary"],
                actor=user,
                new_items=data["new_items"].splitlines(),
                close_items=data["close_items"],
            )
        except (ValidationError, AccessDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("交接班已记录；未办结事项已移交下一班。"))
            return HttpResponseRedirect(handover.get_absolute_url())
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("交接班：%(s)s") % {"s": shift}, "hidden": {"shift": shift.pk}},
    )


class HandoverDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {"carried": obj.carried.all(), "new_items": obj.new_items.all()}


@login_required
@require_POST
def item_close(request, pk):
    user = request.user
    _require(user, "add", Handover)
    item = get_object_or_404(HandoverItem.objects.visible_to(user).select_related("room"), pk=pk)
    try:
        services.close_item(item, actor=user)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("事项已办结：%(t)s") % {"t": item.text})
    return _back(request, reverse("duty:overview"))


# --- roll-calls --------------------------------------------------------------------------------------


class RollCallListView(ObjectListView):
    template_name = "duty/rollcall_list.html"

    def base_context(self, **extra):
        user = self.request.user
        context = super().base_context(**extra)
        callers = _callers(user)
        context.update(
            {
                "call_form": forms.CallForm(rooms=callers),
                "can_call": callers.exists(),
                "pending": _pending_calls(user),
            }
        )
        return context


@login_required
@require_POST
def rollcall_call(request):
    user = request.user
    _require(user, "add", RollCall)
    form = forms.CallForm(request.POST, rooms=DutyRoom.objects.visible_to(user))
    if not form.is_valid():
        messages.error(request, _("请选择点名单位。"))
        return _back(request, reverse("duty:rollcall_list"))
    try:
        calls = services.call_lower_rooms(form.cleaned_data["caller"], actor=user)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("已点名 %(n)d 个下级值班室，须在 %(m)d 分钟内应答。")
            % {"n": len(calls), "m": int(conf.get("ROLLCALL_WINDOW_MINUTES"))},
        )
    return _back(request, reverse("duty:rollcall_list"))


@login_required
@require_POST
def rollcall_answer(request, pk):
    user = request.user
    _require(user, "change", RollCall)
    call = get_object_or_404(RollCall.objects.visible_to(user, "change"), pk=pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():  # a note over 200 characters: say so instead of dropping it
        messages.error(request, _form_errors(form))
    else:
        try:
            services.answer_roll_call(call, actor=user, note=form.cleaned_data["note"])
        except (ValidationError, AccessDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已应答点名。"))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _back(request, reverse("duty:rollcall_list"))


# --- evaluation --------------------------------------------------------------------------------------


@login_required
def evaluation_view(request):
    user = request.user
    _require(user, "view", DutyRoom)
    month = _month(request)
    rooms = DutyRoom.objects.visible_to(user).select_related("place", "department").defer("place__boundary")
    rows = evaluation.monthly_rows(rooms, month.year, month.month)
    if request.GET.get("export") == "xlsx":
        return _evaluation_xlsx(rows, month)
    return render(
        request,
        "duty/evaluation.html",
        {"rows": rows, "month": month},
    )


def _evaluation_xlsx(rows, month):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = f"{month:%Y-%m}"
    ws.append(
        [
            _("排名"),
            _("值班室"),
            _("得分"),
            _("点名次数"),
            _("应答次数"),
            _("应答率"),
            _("平均应答用时（秒）"),
            _("应报"),
            _("按时"),
            _("迟报"),
            _("漏报"),
            _("要素不全"),
            _("叫应应答率"),
        ]
    )
    for r in rows:
        f, s, rep = r["figures"], r["score"], r["figures"].reports or {}
        ws.append(
            [
                r["rank"],
                r["room"].name,
                float(s.total) if s.total is not None else None,
                f.calls,
                f.answered,
                round(s.rollcall_rate, 4) if s.rollcall_rate is not None else None,
                round(f.mean_answer_seconds, 1) if f.mean_answer_seconds is not None else None,
                rep.get("due"),
                rep.get("on_time"),
                rep.get("late"),
                rep.get("missing"),
                rep.get("incomplete"),
                (r["warnings"] or {}).get("answer_rate"),
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="duty-evaluation-{month:%Y-%m}.xlsx"'
    return response
