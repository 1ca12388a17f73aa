"""Pages of the risk app beyond the generic ones: the risk-point and profile detail pages, the risk
distribution view (一图) with its site-plan upload and point placing, list and card downloads
(两单三卡), recompute, and the report-status page for regulators."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDeleteView, ObjectDetailView, htmx_redirect
from yingji.risks import services
from yingji.risks.choices import LEVEL_COLOURS, ReportState, RiskLevel
from yingji.risks.models import RiskPoint, RiskProfile, RiskReport


def _scoped(request, model, pk, action="view"):
    if not can(request.user, action, model):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(model.objects.visible_to(request.user, action), pk=pk)


def _can_change(user, obj) -> bool:
    return type(obj).objects.visible_to(user, "change").filter(pk=obj.pk).exists()


class RiskPointDetailView(ObjectDetailView):
    def extra_context(self, obj):
        from yingji.risks.models import ControlMeasure

        return {
            "measures": obj.measures.all(),
            "can_add_measure": can(self.request.user, "add", ControlMeasure)
            and _can_change(self.request.user, obj),
            "add_measure_url": reverse("risks:controlmeasure_add") + f"?risk_point={obj.pk}",
            "profile": RiskProfile.objects.filter(enterprise_id=obj.enterprise_id).first(),
        }


class RiskPointDeleteView(ObjectDeleteView):
    """Deleting a risk point regrades its enterprise (through ``delete_risk_point``)."""

    def post(self, request, pk):
        obj = get_object_or_404(self.scoped(), pk=pk)
        try:
            services.delete_risk_point(obj, actor=request.user)
        except AccessDenied as exc:
            messages.error(request, exc.message)
            return htmx_redirect(request, obj.get_absolute_url())
        messages.success(request, _("已删除：%(obj)s") % {"obj": obj})
        return htmx_redirect(request, reverse("risks:riskpoint_list"))


class RegionRiskDetailView(ObjectDetailView):
    def extra_context(self, obj):
        from yingji.risks.models import RegionRiskMeasure

        return {
            "measures": obj.measures.all(),
            "can_add_measure": can(self.request.user, "add", RegionRiskMeasure)
            and _can_change(self.request.user, obj),
            "add_measure_url": reverse("risks:regionriskmeasure_add") + f"?region_risk={obj.pk}",
        }


class RiskProfileDetailView(ObjectDetailView):
    """The enterprise's risk page: grade, the four-colour distribution map (一图), exports and cards."""

    def extra_context(self, obj):
        from yingji.risks.cards import CARD_TYPES, card_set, posts_of

        user = self.request.user
        points = list(RiskPoint.objects.filter(enterprise=obj.enterprise).order_by("-score", "name"))
        enterprise = obj.enterprise
        can_place = (
            can(user, "change", RiskPoint)
            and RiskPoint.objects.visible_to(user, "change").filter(enterprise=enterprise).exists()
        )
        plan = {
            "points": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "level": str(p.get_level_display()),
                    "colour": LEVEL_COLOURS[p.level][2],
                    "x": p.plan_x,
                    "y": p.plan_y,
                    "url": p.get_absolute_url(),
                }
                for p in points
            ],
            "canPlace": can_place,
            "map": {
                "lat": enterprise.latitude,
                "lon": enterprise.longitude,
                "colour": obj.css_colour,
                "name": enterprise.name,
                "tileUrl": _setting("MAP_TILE_URL", ""),
                "tileAttribution": _setting("MAP_TILE_ATTRIBUTION", ""),
            },
            "text": {
                "placing": _("请在平面图上点击“%(name)s”的位置"),
                "choose": _("先选择一个风险点，再点击平面图"),
            },
        }
        legend = [(RiskLevel(level).label, colour[1], colour[2]) for level, colour in LEVEL_COLOURS.items()]
        return {
            "points": points,
            "unplaced": [p for p in points if p.plan_x is None],
            "plan_data": plan,
            "legend": legend,
            "posts": posts_of(enterprise),
            "cards": [(code, CARD_TYPES[code]) for code in card_set()],
            "can_change_profile": _can_change(user, obj),
            "can_place": can_place,
            "reports": RiskReport.objects.visible_to(user).filter(enterprise=enterprise)[:10],
        }


def _setting(name, default):
    from django.conf import settings

    return getattr(settings, name, default)


class SitePlanView(LoginRequiredMixin, View):
    """The site-plan image, only through the scoped profile."""

    def get(self, request, pk):
        from yingji.framework.uploads import file_response

        profile = _scoped(request, RiskProfile, pk)
        if not profile.site_plan:
            raise Http404
        return file_response(profile.site_plan)


class SitePlanUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        profile = _scoped(request, RiskProfile, pk, "change")
        try:
            services.upload_site_plan(profile, request.FILES.get("site_plan"), actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except AccessDenied as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("平面布置图已上传。"))
        return redirect(profile.get_absolute_url())


class PlacePointView(LoginRequiredMixin, View):
    """Form post from the distribution view: put a risk point at (x %, y %) or take it off the plan."""

    def post(self, request, pk):
        profile = _scoped(request, RiskProfile, pk)
        point = get_object_or_404(
            RiskPoint.objects.visible_to(request.user, "change").filter(enterprise=profile.enterprise),
            pk=request.POST.get("point") or 0,
        )
        remove = request.POST.get("remove")
        try:
            services.place_risk_point(
                point,
                x=None if remove else request.POST.get("x"),
                y=None if remove else request.POST.get("y"),
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except AccessDenied as exc:
            messages.error(request, exc.message)
        return redirect(profile.get_absolute_url() + "#distribution")


class RecomputeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        profile = _scoped(request, RiskProfile, pk)
        profile = services.recompute_enterprise_grade(profile.enterprise, actor=request.user)
        messages.success(request, _("已重新定级：%(level)s") % {"level": profile.get_level_display()})
        return redirect(profile.get_absolute_url())


class ListExportView(LoginRequiredMixin, View):
    """两单: ``?list=risks|measures&output=xlsx|pdf``."""

    def get(self, request, pk):
        from yingji.risks.api.views import _attachment
        from yingji.risks.exports import LISTS, export_list

        profile = _scoped(request, RiskProfile, pk)
        kind, fmt = request.GET.get("list", "risks"), request.GET.get("output", "xlsx")
        if kind not in LISTS or fmt not in ("xlsx", "pdf"):
            raise Http404
        content, content_type, name = export_list(profile.enterprise, kind, fmt)
        return _attachment(content, content_type, name)


class CardsView(LoginRequiredMixin, View):
    """三卡 as PDF: all posts, or ``?post=``; ``?card=`` limits the card set."""

    def get(self, request, pk):
        from yingji.risks.api.views import _attachment
        from yingji.risks.cards import CARD_TYPES, card_set, cards_pdf

        profile = _scoped(request, RiskProfile, pk)
        post = request.GET.get("post")
        card = request.GET.get("card")
        cards = (card,) if card in CARD_TYPES else card_set()
        content = cards_pdf(profile.enterprise, [post] if post else None, cards)
        return _attachment(content, "application/pdf", f"{profile.enterprise.name}-岗位卡.pdf")


class EnterpriseProfileView(LoginRequiredMixin, View):
    """From an enterprise to its risk page (the profile is created on first visit)."""

    def get(self, request, enterprise_pk):
        from yingji.orgs.models import Enterprise

        enterprise = _scoped(request, Enterprise, enterprise_pk)
        if not can(request.user, "view", RiskProfile):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        profile = services.recompute_enterprise_grade(enterprise, actor=request.user)
        return redirect(profile.get_absolute_url())


class ReportStatusView(LoginRequiredMixin, View):
    """Regulators' view: who reported for a period, who is late, report rates per place and industry."""

    def get(self, request):
        from yingji.risks import reporting

        if not can(request.user, "view", RiskReport):
            raise PermissionDenied(_("您的角色没有此功能的权限。"))
        period = request.GET.get("period") or reporting.current_period()
        try:
            reporting.period_start(period)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            period = reporting.current_period()
        group = "town" if request.GET.get("group") == "town" else "county"
        data = reporting.report_status(request.user, period, group=group)
        state = request.GET.get("state", "")
        rows = [r for r in data["rows"] if not state or r["state"] == state]
        context = {
            **data,
            "rows": rows[:500],
            "row_count": len(rows),
            "group": group,
            "state": state,
            "states": ReportState.choices,
        }
        return render(request, "risks/report_status.html", context)
