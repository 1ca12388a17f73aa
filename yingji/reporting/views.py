"""Pages of information reporting: 接报 form, report form, 报送督查, 值班简报, scoped attachments."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.framework.access import AccessDenied, can
from yingji.framework.uploads import file_response
from yingji.framework.views import ObjectDetailView, htmx_redirect
from yingji.incidents.choices import Category, Status
from yingji.incidents.models import Incident
from yingji.orgs.models import Department
from yingji.reporting import documents, services, stats
from yingji.reporting.forms import IncomingInfoForm, NewReportForm, UpwardReportForm
from yingji.reporting.models import Attachment, IncomingInfo, ReportChain, UpwardReport

COUNT_AND_CONTENT = (*services.CONTENT_FIELDS, *services.COUNT_FIELDS)


def _require(user, action, model):
    if not can(user, action, model):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))


@login_required
def incoming_add(request):
    """接报登记: record the information, then go to the incident's page."""
    _require(request.user, "add", IncomingInfo)
    if request.method == "POST":
        form = IncomingInfoForm(request.POST, request.FILES, user=request.user, instance=IncomingInfo())
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in IncomingInfoForm.Meta.fields}
            try:
                info = services.record_incoming(
                    actor=request.user,
                    incident=form.cleaned_data.get("incident"),
                    title=form.cleaned_data.get("title") or "",
                    attachments=form.cleaned_data.get("attachments") or (),
                    **data,
                )
            except ValidationError as exc:
                form.add_validation_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记接报信息，报送时限已生成：%(i)s") % {"i": info.incident})
                return htmx_redirect(request, info.incident.get_absolute_url())
    else:
        form = IncomingInfoForm(user=request.user, initial=request.GET.dict())
    return render(request, "reporting/incominginfo_form.html", {"form": form})


@login_required
def attachment_file(request, pk):
    visible = IncomingInfo.objects.visible_to(request.user).values("pk")
    attachment = get_object_or_404(Attachment.objects.filter(info__in=visible), pk=pk)
    return file_response(
        attachment.file, download_name=attachment.name or None, attachment=not attachment.is_image
    )


class IncomingInfoDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {"attachments": list(obj.attachments.all())}


class UpwardReportDetailView(ObjectDetailView):
    def extra_context(self, obj):
        user = self.request.user
        form = None
        if obj.reported_at is None and services._may_send(user, obj.from_place, obj.from_department):
            form = _report_form(user, obj)
        return {"report_form": form, "copies": list(obj.copies.all())}


def _report_form(user, report, data=None):
    initial = {name: getattr(report.incident, name) for name in services.COUNT_FIELDS}
    form = UpwardReportForm(data, user=user, instance=report, initial=initial)
    form.fields["copies"].queryset = Department.objects.filter(place=report.from_place)
    if report.to_place_id:
        del form.fields["external_recipient"]
    return form


@login_required
def report_submit(request, pk):
    """Fill in an outstanding (required) report."""
    report = get_object_or_404(
        UpwardReport.objects.visible_to(request.user).select_related("incident"), pk=pk
    )
    if request.method != "POST":
        return htmx_redirect(request, report.get_absolute_url())
    form = _report_form(request.user, report, request.POST)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in COUNT_AND_CONTENT if k in form.cleaned_data}
        try:
            services.make_report(
                report,
                actor=request.user,
                reported_at=form.cleaned_data.get("reported_at"),
                copies=form.cleaned_data.get("copies") or (),
                copy_note=form.cleaned_data.get("copy_note") or "",
                external_recipient=form.cleaned_data.get("external_recipient") or "",
                **data,
            )
        except ValidationError as exc:
            form.add_validation_error(exc)
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已报送。"))
            return htmx_redirect(request, report.get_absolute_url())
    return render(request, "reporting/upwardreport_form.html", {"form": form, "report": report})


@login_required
def report_add(request):
    """An extra report (续报 with news, 终报, a department's report)."""
    _require(request.user, "add", UpwardReport)
    if request.method == "POST":
        form = NewReportForm(request.POST, user=request.user, instance=UpwardReport())
        if form.is_valid():
            c = form.cleaned_data
            data = {k: c[k] for k in COUNT_AND_CONTENT if k in c}
            try:
                report = services.make_report(
                    actor=request.user,
                    incident=c["incident"],
                    kind=c["kind"],
                    from_place=c["from_place"],
                    from_department=c.get("from_department"),
                    recipient_level=c["recipient_level"],
                    external_recipient=c.get("external_recipient") or "",
                    copies=c.get("copies") or (),
                    copy_note=c.get("copy_note") or "",
                    reported_at=c.get("reported_at"),
                    **data,
                )
            except ValidationError as exc:
                form.add_validation_error(exc)
            except AccessDenied as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已报送。"))
                return htmx_redirect(request, report.get_absolute_url())
    else:
        form = NewReportForm(user=request.user, initial=request.GET.dict())
    return render(request, "reporting/upwardreport_form.html", {"form": form, "report": None})


def _month(value: str | None) -> dt.date:
    """The month of ``?month=YYYY-MM`` (its first day); this month when missing, malformed or out of range."""
    try:
        return documents.parse_day(f"{value}-01") if value else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def supervision_rows(user, month: dt.date, *, now=None) -> list[dict]:
    """Per sending place: due, on time, late, missing, incomplete and the rates, for the month."""
    now = now or timezone.now()
    start, end = stats.month_bounds(month)
    qs = UpwardReport.objects.visible_to(user).filter(
        stats.passed_due(now), due_at__gte=start, due_at__lt=end
    )
    rows = (
        qs.values("from_place", "from_place__name", "from_place__code")
        .annotate(**stats.counts())
        .order_by("from_place__code")
    )
    out = []
    for r in rows:
        due = r["due"] or 1
        out.append(
            {
                **r,
                "on_time_rate": round(r["on_time"] * 100 / due, 1),
                "late_rate": round(r["late"] * 100 / due, 1),
                "missing_rate": round(r["missing"] * 100 / due, 1),
            }
        )
    return out


@login_required
def supervision(request):
    """报送督查: late and missing reports per place, with counts and rates, for a month."""
    _require(request.user, "view", UpwardReport)
    month = _month(request.GET.get("month"))
    start, end = stats.month_bounds(month)
    now = timezone.now()
    flagged = (
        UpwardReport.objects.visible_to(request.user)
        .filter(stats.flagged_q(now), due_at__gte=start, due_at__lt=end)
        .select_related("incident", "from_place", "to_place")
        .order_by("-due_at")[:200]
    )
    return render(
        request,
        "reporting/supervision.html",
        {"month": month, "rows": supervision_rows(request.user, month, now=now), "flagged": flagged},
    )


@login_required
def documents_page(request):
    """值班简报: preview of the daily brief / weekly / monthly analysis with Word and PDF downloads."""
    _require(request.user, "view", Incident)
    kind = request.GET.get("kind") if request.GET.get("kind") in documents.KINDS else "daily"
    try:
        day = documents.parse_day(request.GET.get("date"))
    except ValueError:
        day = documents.default_day()
    doc = documents.build(kind, day, request.user)
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        body, content_type, name = documents.render(doc, fmt)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    return render(
        request,
        "reporting/documents.html",
        {
            "doc": doc,
            "kind": kind,
            "day": day,
            "kinds": [("daily", _("每日简况")), ("weekly", _("周分析")), ("monthly", _("月分析"))],
        },
    )


def reports_for(incident, user) -> dict:
    """Context for ``reporting/_incident_reports.html`` on the incident page: the reporting chain
    (who reported to whom, when, on time or not) the user may see, and the incoming information."""
    reports = list(
        UpwardReport.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("from_place", "to_place", "from_department")
        .order_by("due_at", "reported_at", "pk")
    )
    infos = list(IncomingInfo.objects.visible_to(user).filter(incident=incident).order_by("received_at"))
    natural = incident.category == Category.NATURAL
    chain = ReportChain.objects.filter(incident=incident).first() if natural else None
    return {
        "reporting_reports": reports,
        "reporting_infos": infos,
        "reporting_can_report": can(user, "add", UpwardReport),
        "reporting_incident": incident,
        "reporting_stabilised_at": chain.stabilised_at if chain else None,
        "reporting_can_stabilise": natural
        and not (chain and chain.stabilised_at)
        and can(user, "add", UpwardReport)
        and incident.status not in (Status.RECOVERY, Status.CLOSED),
    }


@login_required
@require_POST
def incident_stabilise(request, pk):
    """灾情稳定: a natural disaster's daily 续报 stop and its 核报 become due (from the incident page)."""
    incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
    try:
        services.mark_stabilised(incident, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已认定灾情稳定：停止每日续报，核报时限已生成。"))
    return htmx_redirect(request, incident.get_absolute_url())
