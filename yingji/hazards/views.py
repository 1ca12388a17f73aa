"""Pages of the hazard closed loop: the work-safety and disaster-risk lists, the report form (phone
friendly), the detail page with its timeline, photos and the forms of the steps the user may make
now, the scoped photo view and the monthly report overview of disaster-risk hazards (D3)."""

import dataclasses
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.framework.access import AccessDenied, can
from yingji.framework.uploads import file_response
from yingji.framework.views import ObjectDetailView, ObjectListView, htmx_redirect
from yingji.hazards import forms, workflow
from yingji.hazards.choices import Action, Grade, HazardKind, Source
from yingji.hazards.models import Hazard, HazardPhoto
from yingji.hazards.tables import DisasterHazardTable, status_badge


class HazardListView(ObjectListView):
    """隐患排查治理: the work-safety hazards (事故隐患) in the user's scope."""

    template_name = "hazards/hazard_list.html"
    kind = HazardKind.WORK_SAFETY
    table_class = None

    def scoped(self, action=None):
        return super().scoped(action).filter(kind=self.kind)

    @property
    def object_type(self):
        """The registered type, with this list's own table (its page and its Excel export)."""
        otype = super().object_type
        return dataclasses.replace(otype, table=self.table_class) if self.table_class else otype

    def base_context(self, **extra):
        return super().base_context(
            kind=self.kind, report_url=reverse("hazards:hazard_add") + f"?kind={self.kind}", **extra
        )


class DisasterListView(HazardListView):
    """灾害风险隐患 (D3): reported by grid workers and disaster-information officers."""

    kind = HazardKind.DISASTER
    table_class = DisasterHazardTable


class HazardDetailView(ObjectDetailView):
    template_name = "hazards/hazard_detail.html"

    def extra_context(self, obj):
        from django.contrib.contenttypes.models import ContentType

        from yingji.deadlines.models import Deadline

        user = self.request.user
        steps = workflow.next_steps(user, obj)
        events = list(obj.events.select_related("actor").prefetch_related("photos"))
        deadlines = Deadline.objects.visible_to(user).filter(
            content_type=ContentType.objects.get_for_model(Hazard), object_id=str(obj.pk)
        )
        panels = [
            {
                "step": str(step),
                "label": Action(step).label,
                "form": _step_form(step, obj, user),
                "url": reverse("hazards:hazard_step", args=[obj.pk, step]),
            }
            for step in steps
        ]
        return {
            "events": events,
            "photos": list(obj.photos.all()),
            "plan": getattr(obj, "plan", None) if obj.grade == Grade.MAJOR else None,
            "status_badge": status_badge(obj),
            "steps": steps,
            "panels": panels,
            "deadlines": list(deadlines.order_by("-id")),
            "list_url": reverse(
                "hazards:disaster_list" if obj.kind == HazardKind.DISASTER else "hazards:hazard_list"
            ),
        }


def _step_form(step, hazard, user, data=None, files=None):
    if step == Action.CONFIRM:
        return forms.ConfirmForm(data)
    if step == Action.DISMISS:
        return forms.DismissForm(data)
    if step == Action.ASSIGN:
        return forms.AssignForm(data, hazard=hazard, user=user)
    if step == Action.VERIFY:
        return forms.VerifyForm(data, files)
    if step == Action.SUPERVISE:
        from yingji.deadlines.services import SUPERVISING_LEVELS
        from yingji.places.services import ancestors

        places = [
            p
            for p in [*ancestors(hazard.place), hazard.place]
            if p.level in SUPERVISING_LEVELS
            and any(
                a.place_id and p.path.startswith(a.place.path) or a.role == "platform_admin"
                for a in _assignments(user)
            )
        ]
        return forms.SuperviseForm(data, places=places)
    if step == Action.PHOTO:
        return forms.PhotoForm(data, files)
    labels = {
        Action.FIX_IMMEDIATELY: _("现场整改情况（整改证据）"),
        Action.PROGRESS: _("整改进展"),
        Action.RECTIFY: _("整改完成情况（整改证据）"),
        Action.CLOSE: _("销号说明"),
    }
    return forms.NoteForm(data, files, label=labels.get(step))


def _assignments(user):
    from yingji.framework.access import assignments_of

    return assignments_of(user)


def _photos(form):
    photo = form.cleaned_data.get("photo") if hasattr(form, "cleaned_data") else None
    return [photo] if photo else []


def _run_step(step, hazard, user, form):
    data = form.cleaned_data
    if step == Action.CONFIRM:
        workflow.confirm_hazard(
            hazard,
            actor=user,
            grade=data["grade"],
            major_standard=data["major_standard"],
            major_criterion=data["major_criterion"],
            note=data["note"],
        )
    elif step == Action.DISMISS:
        workflow.dismiss_hazard(hazard, actor=user, reason=data["reason"])
    elif step == Action.FIX_IMMEDIATELY:
        workflow.fix_immediately(hazard, actor=user, evidence=data["note"], photos=_photos(form))
    elif step == Action.ASSIGN:
        workflow.assign_rectification(
            hazard,
            actor=user,
            responsible=data["responsible"],
            responsible_unit=data["responsible_unit"],
            measures=data["measures"],
            funds=data["funds"],
            due_at=data["due_at"],
            contingency_plan=data["contingency_plan"],
            plan=form.plan() if form.major else None,
        )
    elif step == Action.PROGRESS:
        workflow.add_progress(hazard, actor=user, note=data["note"], photos=_photos(form))
    elif step == Action.RECTIFY:
        workflow.submit_rectification(hazard, actor=user, evidence=data["note"], photos=_photos(form))
    elif step == Action.VERIFY:
        workflow.verify_hazard(
            hazard, actor=user, approve=data["approve"] == "yes", note=data["note"], photos=_photos(form)
        )
    elif step == Action.CLOSE:
        workflow.close_hazard(hazard, actor=user, note=data["note"])
    elif step == Action.SUPERVISE:
        if data["level_place"] is None:
            raise workflow.WorkflowError(_("请选择挂牌督办单位。"), "level_required")
        workflow.list_for_supervision(
            hazard, actor=user, level_place=data["level_place"], due_at=data["due_at"], note=data["note"]
        )
    elif step == Action.PHOTO:
        workflow.add_photo(
            hazard, actor=user, image=data["image"], stage=data["stage"], caption=data["caption"]
        )


STEP_DONE = {
    Action.CONFIRM: "已确认隐患",
    Action.DISMISS: "已不予认定",
    Action.FIX_IMMEDIATELY: "已立查立改并销号",
    Action.ASSIGN: "已交办整改",
    Action.PROGRESS: "已记录整改进展",
    Action.RECTIFY: "已提交整改完成",
    Action.VERIFY: "已记录验收结论",
    Action.CLOSE: "已销号",
    Action.SUPERVISE: "已挂牌督办",
    Action.PHOTO: "已上传照片",
}


@login_required
@require_POST
def hazard_step(request, pk, step):
    """One step of the loop from the detail page; the workflow decides whether it is allowed."""
    if step not in STEP_DONE:
        raise Http404
    hazard = get_object_or_404(Hazard.objects.visible_to(request.user).select_related("place"), pk=pk)
    form = _step_form(step, hazard, request.user, request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return htmx_redirect(request, hazard.get_absolute_url())
    try:
        _run_step(step, hazard, request.user, form)
    except workflow.WorkflowError as exc:
        details = [e["message"] for errs in exc.fields.values() for e in errs]
        messages.error(request, exc.message + ("" if len(details) <= 1 else " " + "；".join(details)))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _(STEP_DONE[step]))
    return htmx_redirect(request, hazard.get_absolute_url())


@login_required
def hazard_report(request):
    """上报隐患: the phone-friendly report form (grid workers, information officers, enterprises, officers)."""
    if not can(request.user, "add", Hazard):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    initial = {"kind": request.GET.get("kind") or HazardKind.WORK_SAFETY}
    if request.GET.get("enterprise"):
        initial["enterprise"] = request.GET["enterprise"]
    initial["source"] = _default_source(request.user, initial["kind"])
    form = forms.HazardReportForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        source = data.pop("source")
        fields = {k: v for k, v in data.items() if v not in (None, "")}
        try:
            hazard = workflow.report_hazard(
                actor=request.user, source=source, photos=[photo] if photo else [], **fields
            )
        except workflow.WorkflowError as exc:
            for name, errors in exc.fields.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error["message"])
            if not exc.fields:
                form.add_error(None, exc.message)
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已上报隐患：%(h)s") % {"h": hazard})
            return redirect(hazard.get_absolute_url())
    return render(request, "hazards/hazard_report.html", {"form": form, "kind": initial["kind"]})


def _default_source(user, kind):
    roles = {a.role for a in _assignments(user)}
    if "grid_worker" in roles:
        return Source.GRID
    if "disaster_info_officer" in roles:
        return Source.INFO_OFFICER
    if "enterprise_user" in roles:
        return Source.SELF_CHECK
    return Source.INSPECTION


@login_required
def photo_file(request, pk):
    """A hazard photo, only for users who may see its hazard (never a public /media/ URL)."""
    photo = get_object_or_404(HazardPhoto.objects.visible_to(request.user), pk=pk)
    return file_response(photo.image)


@login_required
def disaster_monthly(request):
    """月报: per town, which villages have reported disaster-risk hazards this month (常态下每月不少于1次)."""
    from yingji.places.models import Place

    if not can(request.user, "view", Hazard):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        if not dt.MINYEAR < year < dt.MAXYEAR:  # the page links the previous and the next month
            raise ValueError(year)
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(nxt, dt.time()))
    counts = dict(
        Hazard.objects.visible_to(request.user)
        .filter(kind=HazardKind.DISASTER, found_at__gte=start, found_at__lt=end)
        .values_list("place_id")
        .annotate(n=Count("id"))
        .values_list("place_id", "n")
    )
    villages = Place.objects.visible_to(request.user).filter(level="village").defer("boundary")
    q = request.GET.get("town", "").strip()
    if q:
        villages = villages.filter(Q(parent__code=q) | Q(parent__name__contains=q))
    towns = {}
    for village in villages.select_related("parent").order_by("code"):
        town = towns.setdefault(village.parent_id, {"town": village.parent, "reported": [], "missing": []})
        n = counts.get(village.pk, 0)
        (town["reported"] if n else town["missing"]).append((village, n))
    rows = list(towns.values())
    for row in rows:
        total = len(row["reported"]) + len(row["missing"])
        row["rate"] = round(100 * len(row["reported"]) / total) if total else 0
    return render(
        request,
        "hazards/disaster_monthly.html",
        {
            "rows": rows,
            "month": first,
            "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
            "next": nxt.strftime("%Y-%m") if nxt <= today else None,
            "total_reported": sum(len(r["reported"]) for r in rows),
            "total": sum(len(r["reported"]) + len(r["missing"]) for r in rows),
            "town": q,
        },
    )
