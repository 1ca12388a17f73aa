"""Pages of warning publication (W3) and consultation (W2): warning list, detail (timeline, map, CAP,
lifecycle buttons), compose/edit with the area drawn on a map, CAP import; the public page, Atom feed
and subscription form (no sign-in); consultations and work prompts (PDF, issue, acknowledge)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from lxml import etree

from yingji.framework.access import AccessDenied, can
from yingji.framework.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    htmx_redirect,
)
from yingji.places.models import Place
from yingji.warnings import cap, catalogue, lifecycle, services
from yingji.warnings.choices import Status
from yingji.warnings.forms import CapImportForm, ConfirmForm, NoteForm, PublicSubscriptionForm
from yingji.warnings.models import PUBLIC_STATUSES, Subscription, Warning, WorkPrompt, WorkPromptAck
from yingji.warnings.tables import level_badge

DEFAULT_CENTRE = (32.0, 120.9)  # 南通 (lat, lon), used when no place has a centroid


def map_config(user, warning=None) -> dict:
    """What the map script needs: centre, tiles, the drawn area and the boundaries of the area places."""
    place = None
    if warning is not None and warning.place_id:
        place = warning.place
    if place is None or place.centroid_lat is None:
        place = (
            Place.objects.visible_to(user)
            .filter(centroid_lat__isnull=False)
            .only("centroid_lat", "centroid_lon", "path")
            .order_by("path")
            .first()
        )
    from django.conf import settings

    centre = (place.centroid_lat, place.centroid_lon) if place is not None else DEFAULT_CENTRE
    areas = []
    if warning is not None and warning.pk:
        for p in warning.area_places.all().only("name", "boundary"):
            if p.boundary:
                areas.append({"name": p.name, "geometry": p.boundary})
    return {
        "centre": centre,
        "zoom": 10,
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "polygon": warning.area_polygon if warning is not None else None,
        "circle": (
            [warning.area_circle_latitude, warning.area_circle_longitude, warning.area_circle_radius_km]
            if warning is not None and warning.has_circle
            else None
        ),
        "areas": areas,
        "level": warning.level if warning is not None else "",
        "text": {
            "polygon": _("画多边形"),
            "circle": _("画圆形"),
            "finish": _("完成"),
            "clear": _("清除"),
            "hintPolygon": _("在地图上依次点击多边形的顶点，至少3个，然后点“完成”。"),
            "hintCircle": _("点击地图确定圆心，再点击一次确定半径（也可直接填写半径）。"),
        },
    }


# --- warnings (internal) ------------------------------------------------------------------------


class WarningListView(ObjectListView):
    template_name = "warnings/warning_list.html"


class WarningDetailView(ObjectDetailView):
    template_name = "warnings/warning_detail.html"

    def get_object(self, pk):
        return get_object_or_404(self.scoped().select_related("references", "created_by"), pk=pk)

    def base_context(self, **extra):
        obj = extra.get("object")
        if obj is not None and not obj.is_editable:  # published history is never edited nor deleted
            extra["can_change_object"] = extra["can_delete_object"] = False
        return super().base_context(**extra)

    def extra_context(self, obj):
        user = self.request.user
        return {
            "events": obj.events.select_related("actor"),
            "actions": lifecycle.allowed_actions(user, obj),
            "note_form": NoteForm(),
            "level_badge": level_badge(obj),
            "followups": obj.followups.visible_to(user).order_by("created"),
            "map_config": map_config(user, obj),
            "area_places": obj.area_places.all().only("name", "code"),
        }


class WarningEditView(ObjectEditView):
    template_name = "warnings/warning_form.html"

    def base_context(self, **extra):
        instance = extra.get("object")
        return super().base_context(
            map_config=map_config(self.request.user, instance),
            catalogue=catalogue.catalogue_json(),
            **extra,
        )


class WarningDeleteView(ObjectDeleteView):
    """Only drafts (and rejected drafts) may be deleted; what was published stays on record."""

    def post(self, request, pk):
        obj = get_object_or_404(self.scoped(), pk=pk)
        if not obj.is_editable:
            messages.error(request, _("只有草稿或被退回的预警可以删除。"))
            return htmx_redirect(request, obj.get_absolute_url())
        return super().post(request, pk)


def _warning_for(request, pk, action="view"):
    if not can(request.user, "view", Warning):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(Warning.objects.visible_to(request.user, action), pk=pk)


STEP_MESSAGES = {
    "submit": _("已提交审核：%(obj)s"),
    "approve": _("已审核通过：%(obj)s"),
    "reject": _("已退回：%(obj)s"),
    "publish": _("已发布：%(obj)s"),
    "cancel": _("已解除：%(obj)s"),
}


@login_required
@require_POST
def warning_step(request, pk, step):
    """One lifecycle step from the detail page's buttons."""
    warning = _warning_for(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    operation = {
        "submit": lifecycle.submit,
        "approve": lifecycle.approve,
        "reject": lifecycle.reject,
        "publish": lifecycle.publish,
        "cancel": lifecycle.cancel,
    }.get(step)
    if operation is None:
        raise Http404
    target = warning
    try:
        result = operation(warning, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(STEP_MESSAGES[step]) % {"obj": result})
        target = result
    return htmx_redirect(request, target.get_absolute_url())


@login_required
@require_POST
def warning_update(request, pk):
    """Open an update (msgType Update) of a published warning and continue on its edit page."""
    warning = _warning_for(request, pk)
    try:
        new = lifecycle.start_update(warning, actor=request.user)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        return htmx_redirect(request, warning.get_absolute_url())
    messages.info(request, _("已生成更新稿，请修改后提交审核。"))
    return htmx_redirect(request, reverse("warnings:warning_edit", args=[new.pk]))


@login_required
def warning_cap(request, pk):
    """The CAP 1.2 document of a warning in the user's scope (any status; drafts carry status Draft)."""
    warning = _warning_for(request, pk)
    return HttpResponse(cap.to_cap_xml(warning), content_type="application/cap+xml; charset=utf-8")


@login_required
def cap_import(request):
    if not can(request.user, "add", Warning):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    form = CapImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            warning = cap.from_cap_xml(form.document(), actor=request.user)
        except ValidationError as exc:
            for error in exc.error_dict.get("document", [exc]) if hasattr(exc, "error_dict") else [exc]:
                form.add_error(None, f"{' '.join(error.messages)} [{error.code or 'invalid'}]")
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已导入：%(obj)s") % {"obj": warning})
            return redirect(warning.get_absolute_url())
    return render(request, "warnings/cap_import.html", {"form": form})


# --- public side (no sign-in) -------------------------------------------------------------------


def active_warnings():
    return (
        Warning.objects.filter(status=Status.PUBLISHED, expires_at__gt=timezone.now())
        .select_related("place")
        .order_by("-sent_at", "-id")
    )


def public_list(request):
    rows = [(w, level_badge(w)) for w in active_warnings()[:200]]
    return render(request, "warnings/public_list.html", {"rows": rows})


def public_cap(request, pk):
    warning = get_object_or_404(
        Warning.objects.select_related("place", "references"), pk=pk, status__in=PUBLIC_STATUSES
    )
    web = request.build_absolute_uri(reverse("warnings:public_list"))
    return HttpResponse(cap.to_cap_xml(warning, web=web), content_type="application/cap+xml; charset=utf-8")


ATOM = "http://www.w3.org/2005/Atom"


def _atom(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = str(text)
    return el


def public_feed(request):
    """Atom 1.0 feed of the active warnings; each entry links to its CAP document (rel=alternate)."""
    warnings = list(active_warnings()[:200])
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    self_url = request.build_absolute_uri(reverse("warnings:public_feed"))
    _atom(feed, "id", self_url)
    _atom(feed, "title", _("生效中的预警信息"))
    latest = max((w.sent_at or w.updated for w in warnings), default=timezone.now())
    _atom(feed, "updated", cap.cap_time(latest))
    _atom(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _atom(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=request.build_absolute_uri(reverse("warnings:public_list")),
    )
    author = _atom(feed, "author")
    _atom(author, "name", _("应急管理综合应用平台"))
    for w in warnings:
        cap_url = request.build_absolute_uri(reverse("warnings:public_cap", args=[w.pk]))
        entry = _atom(feed, "entry")
        _atom(entry, "id", cap_url)
        _atom(entry, "title", w.headline)
        _atom(entry, "updated", cap.cap_time(w.sent_at or w.updated))
        if w.sent_at:
            _atom(entry, "published", cap.cap_time(w.sent_at))
        if w.sender_name:
            _atom(_atom(entry, "author"), "name", w.sender_name)
        _atom(entry, "summary", w.description)
        _atom(entry, "category", term=w.warning_type, label=w.get_warning_type_display())
        _atom(entry, "category", term=w.level, label=w.get_level_display())
        _atom(entry, "link", rel="alternate", type="application/cap+xml", href=cap_url)
    body = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def public_subscribe(request):
    form = PublicSubscriptionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sub = services.subscribe(
                place=data["place"],
                channel=data["channel"],
                address=data["address"],
                name=data["name"],
                ip=_client_ip(request),
            )
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
            for name, errors in errors_by_field.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect("warnings:public_confirm", token=sub.token)
    return render(request, "warnings/public_subscribe.html", {"form": form}, status=status)


def public_confirm(request, token):
    sub = get_object_or_404(Subscription.objects.select_related("place"), token=token)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_subscription(sub, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.error_dict["code"] if hasattr(exc, "error_dict") else exc)
        else:
            messages.success(
                request, _("订阅成功：%(place)s的预警信息将发送到您的手机。") % {"place": sub.place.name}
            )
            return redirect("warnings:public_list")
    return render(request, "warnings/public_confirm.html", {"form": form, "subscription": sub})


def public_unsubscribe(request, token):
    sub = get_object_or_404(Subscription.objects.select_related("place"), token=token)
    if request.method == "POST":
        services.unsubscribe(token)
        messages.success(request, _("已退订。"))
        return redirect("warnings:public_list")
    return render(request, "warnings/public_unsubscribe.html", {"subscription": sub})


# --- consultations and work prompts -------------------------------------------------------------


class ConsultationDetailView(ObjectDetailView):
    template_name = "warnings/consultation_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        return {
            "prompts": WorkPrompt.objects.visible_to(user).filter(consultation=obj).prefetch_related("acks"),
            "can_add_prompt": can(user, "add", WorkPrompt),
        }


class WorkPromptDetailView(ObjectDetailView):
    template_name = "warnings/workprompt_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        return {
            "acks": obj.acks.select_related("target_place", "department", "acknowledged_by"),
            "my_acks": list(services.acks_for(user, obj)) if obj.issued_at else [],
            "can_issue": obj.issued_at is None
            and WorkPrompt.objects.visible_to(user, "change").filter(pk=obj.pk).exists(),
            "note_form": NoteForm(),
        }


def _prompt_for(request, pk, action="view"):
    if not can(request.user, "view", WorkPrompt):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(
        WorkPrompt.objects.visible_to(request.user, action).select_related("consultation"), pk=pk
    )


@login_required
def workprompt_pdf(request, pk):
    prompt = _prompt_for(request, pk)
    response = HttpResponse(services.prompt_pdf(prompt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="work-prompt-{prompt.pk}.pdf"'
    return response


@login_required
@require_POST
def workprompt_issue(request, pk):
    prompt = _prompt_for(request, pk)
    try:
        services.issue_prompt(prompt, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已下发：%(obj)s") % {"obj": prompt})
    return htmx_redirect(request, prompt.get_absolute_url())


@login_required
@require_POST
def workprompt_acknowledge(request, pk, ack_pk):
    ack = get_object_or_404(WorkPromptAck.objects.visible_to(request.user, "change"), pk=ack_pk, prompt_id=pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.acknowledge_prompt(ack, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签收。"))
    return htmx_redirect(request, reverse("warnings:workprompt_detail", args=[pk]))
