"""Pages of public reports: the public form and tracking page (no account), and officers' list, detail
(with the handling actions) and photo views."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.framework.access import AccessDenied, can
from yingji.framework.uploads import file_response
from yingji.framework.views import ObjectDetailView, ObjectListView, htmx_redirect
from yingji.places.models import Place
from yingji.reports import conf, forms, services
from yingji.reports.filtersets import with_deadlines
from yingji.reports.models import PublicReport, ReportPhoto

#: session key: ids of the reports this browser has opened with their tracking codes
TRACKED = "reports_tracked"
#: session key: the tracking code of the report just submitted (shown once)
LAST_CODE = "reports_last_code"


# --- abuse protection -----------------------------------------------------------------------------
def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, bucket: str, limit: int) -> bool:
    """Count one attempt of ``bucket`` for the client's IP in the current hour; False over ``limit``."""
    key = f"reports:{bucket}:{client_ip(request)}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= limit


def too_many(request, message: str):
    return render(request, "reports/public_limited.html", {"message": message}, status=429)


# --- the public pages -----------------------------------------------------------------------------
def _areas():
    """Choices of the town select, grouped by county: ``[(county, [(code, name), …]), …]``."""
    counties = Place.objects.filter(level="county").defer("boundary").order_by("code")
    towns = Place.objects.filter(level="town").defer("boundary").order_by("code")
    by_county: dict = {}
    for town in towns:
        by_county.setdefault(town.parent_id, []).append((town.code, town.name))
    groups = []
    for county in counties:
        options = [(county.code, _("%(county)s（不确定所在镇街）") % {"county": county.name})]
        options += by_county.get(county.pk, [])
        groups.append((county.name, options))
    return groups


def _map_config():
    towns = Place.objects.filter(level="town", centroid_lon__isnull=False).values_list(
        "name", "centroid_lon", "centroid_lat"
    )
    city = Place.objects.filter(level="city").values("centroid_lon", "centroid_lat").first() or {}
    towns = list(towns)
    if city.get("centroid_lon") is not None:
        center = [city["centroid_lat"], city["centroid_lon"]]
    elif towns:
        center = [sum(t[2] for t in towns) / len(towns), sum(t[1] for t in towns) / len(towns)]
    else:
        center = [32.0, 120.9]
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "center": center,
        "towns": [{"name": n, "lon": lon, "lat": lat} for n, lon, lat in towns],
        "labels": {
            "picked": _("已选位置"),
            "noGeo": _("无法获取您的位置，请在地图上点选或选择所在镇（街道）。"),
        },
    }


def public_new(request):
    """举报 form for the public: no sign-in, works on a phone."""
    areas = _areas()
    if request.method == "POST":
        form = forms.PublicSubmitForm(request.POST, request.FILES, areas=areas)
        if not allow(request, "submit", conf.SUBMISSIONS_PER_HOUR):
            return too_many(
                request,
                _(
                    "提交过于频繁：同一网络每小时最多提交 %(n)d 次举报，请稍后再试。如情况紧急，请拨打 12350 或 119。"
                )
                % {"n": conf.SUBMISSIONS_PER_HOUR},
            )
        if form.is_valid():
            data = form.cleaned_data
            if data.get("website"):
                form.add_error(None, _("提交失败：请刷新页面后重新填写。"))
            else:
                area = Place.objects.filter(code=data["area"]).first() if data.get("area") else None
                try:
                    report = services.submit_public_report(
                        kind=data["kind"],
                        title=data["title"],
                        description=data["description"],
                        address=data["address"],
                        longitude=data["longitude"],
                        latitude=data["latitude"],
                        area=area,
                        enterprise_name=data["enterprise_name"],
                        reporter_name=data["reporter_name"],
                        reporter_mobile=data["reporter_mobile"],
                        photos=request.FILES.getlist("photos"),
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    request.session[LAST_CODE] = report.tracking_code
                    _remember(request, report)
                    return redirect("reports:public_done")
        status = 400
    else:
        form = forms.PublicSubmitForm(areas=areas)
        status = 200
    return render(
        request,
        "reports/public_new.html",
        {"form": form, "map_config": _map_config(), "max_photos": conf.MAX_PHOTOS},
        status=status,
    )


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if hasattr(error, "messages") else error)
    else:
        form.add_error(None, exc)


def _remember(request, report) -> None:
    tracked = [pk for pk in request.session.get(TRACKED, []) if pk != report.pk][-19:]
    request.session[TRACKED] = [*tracked, report.pk]


def public_done(request):
    code = request.session.pop(LAST_CODE, None)
    if code is None:
        return redirect("reports:public_track")
    report = PublicReport.objects.filter(tracking_code=code).first()
    return render(request, "reports/public_done.html", {"report": report})


def public_track(request):
    """The reporter's tracking page: the code is posted (never put in a URL)."""
    form = forms.TrackForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if not allow(request, "track", conf.LOOKUPS_PER_HOUR):
            return too_many(request, _("查询过于频繁，请一小时后再试。"))
        if form.is_valid():
            report = services.find_by_code(form.cleaned_data["code"])
            if report is None:
                form.add_error(
                    "code", _("未找到该查询码对应的举报，请核对后重新输入（共12位，不区分大小写）。")
                )
            else:
                _remember(request, report)
                context.update(progress=services.public_progress(report), photos=list(report.photos.all()))
    return render(
        request,
        "reports/public_track.html",
        context,
        status=200 if form.is_valid() or request.method == "GET" else 400,
    )


def public_photo(request, pk):
    """A photo of a report this browser opened with its tracking code."""
    photo = get_object_or_404(ReportPhoto, pk=pk)
    if photo.report_id not in request.session.get(TRACKED, []):
        raise Http404
    return file_response(photo.image)


# --- officers' pages ------------------------------------------------------------------------------
@login_required
def photo(request, pk):
    if not can(request.user, "view", PublicReport):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    visible = PublicReport.objects.visible_to(request.user, "view")
    photo = get_object_or_404(ReportPhoto.objects.filter(report__in=visible), pk=pk)
    return file_response(photo.image)


class PublicReportListView(ObjectListView):
    template_name = "reports/publicreport_list.html"

    def scoped(self, action=None):
        return with_deadlines(super().scoped(action))


class PublicReportDetailView(ObjectDetailView):
    template_name = "reports/publicreport_detail.html"

    def scoped(self, action=None):
        return with_deadlines(super().scoped(action))

    def extra_context(self, obj):
        from django.contrib.contenttypes.models import ContentType

        from yingji.deadlines.models import Deadline

        user = self.request.user
        can_act = PublicReport.objects.visible_to(user, "change").filter(pk=obj.pk).exists()
        hazard_url = None
        if obj.hazard_id:
            try:
                hazard_url = obj.hazard.get_absolute_url()
            except NoReverseMatch:
                hazard_url = None
        allowed = (
            {op for op, states in services.TRANSITIONS.items() if obj.status in states} if can_act else set()
        )
        if obj.hazard_id:
            allowed.discard("convert_to_hazard")
        return {
            "photos": list(obj.photos.all()),
            "deadlines": Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(PublicReport), object_id=str(obj.pk)
            ).order_by("start_at"),
            "allowed": allowed,
            "hazard_url": hazard_url,
            "reason_form": forms.ReasonForm(),
            "clue_form": forms.ClueForm(),
            "close_form": forms.CloseForm(),
            "reward_form": forms.RewardForm(),
            "convert_form": forms.ConvertForm(user=user, report=obj)
            if "convert_to_hazard" in allowed
            else None,
            "overdue": obj.open_due_at is not None and obj.open_due_at < timezone.now(),
        }


def _acting_on(request, pk) -> PublicReport:
    if not can(request.user, "change", PublicReport):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(PublicReport.objects.visible_to(request.user, "change"), pk=pk)


def _run(request, report, operation, success: str):
    try:
        operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return htmx_redirect(request, report.get_absolute_url())


def _invalid(request, report, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return htmx_redirect(request, report.get_absolute_url())


@login_required
@require_POST
def report_accept(request, pk):
    report = _acting_on(request, pk)
    return _run(
        request, report, lambda: services.accept_report(report, actor=request.user), _("已受理该举报。")
    )


@login_required
@require_POST
def report_reject(request, pk):
    report = _acting_on(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, form)
    reason = form.cleaned_data["reason"]
    return _run(
        request,
        report,
        lambda: services.reject_report(report, actor=request.user, reason=reason),
        _("已作不予受理处理。"),
    )


@login_required
@require_POST
def report_convert(request, pk):
    report = _acting_on(request, pk)
    form = forms.ConvertForm(request.POST, user=request.user, report=report)
    if not form.is_valid():
        return _invalid(request, report, form)
    data = form.cleaned_data
    return _run(
        request,
        report,
        lambda: services.convert_to_hazard(
            report, actor=request.user, enterprise=data["enterprise"], category=data["category"]
        ),
        _("已转为隐患，进入隐患排查治理闭环。"),
    )


@login_required
@require_POST
def report_clue(request, pk):
    report = _acting_on(request, pk)
    form = forms.ClueForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, form)
    text = form.cleaned_data["text"]
    return _run(
        request,
        report,
        lambda: services.mark_clue(report, actor=request.user, text=text),
        _("已转为执法线索。"),
    )


@login_required
@require_POST
def report_reward(request, pk):
    report = _acting_on(request, pk)
    form = forms.RewardForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, form)
    data = form.cleaned_data
    return _run(
        request,
        report,
        lambda: services.decide_reward(report, actor=request.user, **data),
        _("已记录奖励决定。"),
    )


@login_required
@require_POST
def report_close(request, pk):
    report = _acting_on(request, pk)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, form)
    result = form.cleaned_data["result"]
    return _run(
        request,
        report,
        lambda: services.close_report(report, actor=request.user, result=result),
        _("已办结。"),
    )
