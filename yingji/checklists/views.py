"""Pages of self-check plans: the generic plan/item/record pages, the plan page with its checklist,
recent records and missed periods, the "perform check" page and the officers' missed-checks page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.checklists import forms, periods, services
from yingji.checklists.models import CheckPlan, CheckRecord
from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDetailView
from yingji.places.models import Place


class CheckPlanDetailView(ObjectDetailView):
    template_name = "checklists/checkplan_detail.html"

    def extra_context(self, obj):
        missed = services.missed_periods(obj)
        current = services.current_period(obj)
        return {
            "items": list(obj.items.all()),
            "records": list(obj.records.all()[:20]),
            "missed": [periods.label(obj.frequency, d) for d in missed[-60:]],
            "missed_total": len(missed),
            "current_label": periods.label(obj.frequency, current),
            "current_done": obj.records.filter(period_start=current).exists(),
            "can_record": obj.active and can(self.request.user, "add", CheckRecord),
        }


class CheckRecordDetailView(ObjectDetailView):
    template_name = "checklists/checkrecord_detail.html"

    def extra_context(self, obj):
        return {"results": list(obj.results.select_related("item", "hazard"))}


@login_required
def perform_check(request):
    """执行检查: one record of a plan's period with a result per item (``?plan=<id>``)."""
    if not can(request.user, "add", CheckRecord):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    plan = get_object_or_404(
        CheckPlan.objects.visible_to(request.user, "view").select_related("enterprise"),
        pk=request.GET.get("plan") or request.POST.get("plan") or 0,
    )
    items = list(plan.items.all())
    form = forms.PerformCheckForm(request.POST or None, items=items, initial={"period": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_check(
                plan,
                actor=request.user,
                results=form.results(),
                period=data["period"],
                performer_name=data["performer_name"],
                note=data["note"],
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记 %(period)s 的检查。") % {"period": record.period_label})
            return redirect(record.get_absolute_url())
    return render(
        request,
        "checklists/perform_check.html",
        {"plan": plan, "form": form, "rows": form.rows()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def missed_checks(request):
    """漏检: per enterprise in the user's scope, how many finished periods have no record."""
    if not can(request.user, "view", CheckPlan):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    plans = CheckPlan.objects.visible_to(request.user, "view")
    code = (request.GET.get("place") or "").strip()
    place = None
    if code:
        place = Place.objects.filter(code=code).defer("boundary").first()
        plans = plans.filter(enterprise__place__path__startswith=place.path) if place else plans.none()
    rows = services.missed_by_enterprise(plans)
    if request.GET.get("only") != "all":
        rows = [r for r in rows if r["missed"]]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    towns = (
        Place.objects.visible_to(request.user, "view").filter(level__in=("county", "town")).defer("boundary")
    )
    return render(
        request,
        "checklists/missed.html",
        {
            "page": page,
            "total_missed": sum(r["missed"] for r in rows),
            "enterprises": len(rows),
            "place": place,
            "places": towns.order_by("code")[:300],
            "only": request.GET.get("only", ""),
        },
    )
