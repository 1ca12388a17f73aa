"""Pages of fan-out coverage and call-and-respond (叫应): the live board, one warning's answers per place,
the answer by button and by personal link, the coverage panel; plus the filter sets, tables and form
of the registered object types (acknowledgements, vulnerable-group contacts)."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yingji.framework.access import AccessDenied, can
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter
from yingji.framework.forms import ScopedModelForm
from yingji.framework.tables import BaseTable
from yingji.framework.views import ObjectDetailView, ObjectListView
from yingji.warnings import conf_response as conf
from yingji.warnings import response
from yingji.warnings.models_response import Acknowledgement, AckStage, AckVia, VulnerableContact

# --- registered object types ---------------------------------------------------------------------


class AcknowledgementFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()
    answered = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True, label=_("已应答")
    )
    stage = django_filters.ChoiceFilter(choices=AckStage.choices, label=_("叫应阶段"))

    class Meta:
        model = Acknowledgement
        fields = ["warning", "place", "tier", "stage", "answered"]


class AcknowledgementTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = Acknowledgement
        fields = (
            "name",
            "warning",
            "place",
            "tier",
            "called_at",
            "due_at",
            "stage",
            "acknowledged_at",
            "via",
        )


class VulnerableContactFilterSet(BaseFilterSet):
    place = PlaceSubtreeFilter()

    class Meta:
        model = VulnerableContact
        fields = ["group", "place"]


class VulnerableContactTable(BaseTable):
    name = tables.Column(linkify=True)
    place = tables.Column(order_by=("place__code",))

    class Meta(BaseTable.Meta):
        model = VulnerableContact
        fields = ("name", "group", "place", "mobile", "guardian_name", "guardian_mobile")


class VulnerableContactForm(ScopedModelForm):
    class Meta:
        model = VulnerableContact
        fields = ["name", "group", "place", "mobile", "guardian_name", "guardian_mobile", "note"]


class AcknowledgementListView(ObjectListView):
    pass


class AcknowledgementDetailView(ObjectDetailView):
    def extra_context(self, obj):
        return {"may_answer": obj.acknowledged_at is None and response.may_answer(self.request.user, obj)}


# --- board ------------------------------------------------------------------------------------------


def _require_view(user):
    if not can(user, "view", Acknowledgement):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))


@login_required
def board(request):
    """叫应看板: every active (or recent) warning with acknowledgements in the user's scope."""
    _require_view(request.user)
    context = {"rows": response.board(request.user), "refresh": conf.get("BOARD_REFRESH_SECONDS")}
    if request.htmx:
        return render(request, "warnings/response_board_table.html", context)
    return render(request, "warnings/response_board.html", context)


@login_required
def detail(request, pk):
    """One warning: per place who answered when, who is pending, overdue or escalated (in scope)."""
    from yingji.warnings.models import Warning

    _require_view(request.user)
    warning = get_object_or_404(Warning, pk=pk)
    places = response.place_rows(warning, request.user)
    if not places and not Warning.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    total = sum(p["total"] for p in places)
    answered = sum(p["answered"] for p in places)
    context = {
        "warning": warning,
        "places": places,
        "total": total,
        "answered": answered,
        "rate": answered / total if total else None,
        "active": response.is_active(warning),
        "rule": response.rule_for(warning.level),
        "refresh": conf.get("BOARD_REFRESH_SECONDS"),
        "now": timezone.now(),
    }
    if request.htmx:
        return render(request, "warnings/response_detail_places.html", context)
    return render(request, "warnings/response_detail.html", context)


@login_required
@require_POST
def ack(request, pk):
    """The board's 应答 button (the responsible person, or a duty officer recording an answer)."""
    item = get_object_or_404(Acknowledgement.objects.visible_to(request.user), pk=pk)
    try:
        response.acknowledge(item, actor=request.user, via=AckVia.UI)
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已应答：%(name)s") % {"name": item.name or item.place})
    return redirect("warnings:response_detail", pk=item.warning_id)


def ack_link(request, token):
    """The personal link (no sign-in): GET shows what is being confirmed, POST answers.

    The POST is the hot path of mass answering: the answer is one conditional UPDATE and one
    change-log row (``response.acknowledge_by_token``), with no read before it."""
    if request.method == "POST":
        try:
            item = response.acknowledge_by_token(
                token, actor=request.user if request.user.is_authenticated else None
            )
        except ValidationError:
            return render(request, "warnings/response_ack_link.html", {"invalid": True}, status=404)
        return render(request, "warnings/response_ack_link.html", {"ack": item, "done": True})
    item = Acknowledgement.objects.select_related("warning", "place").filter(token=token[:40]).first()
    if item is None:
        return render(request, "warnings/response_ack_link.html", {"invalid": True}, status=404)
    return render(request, "warnings/response_ack_link.html", {"ack": item, "done": item.answered})


@login_required
def coverage_panel(request, pk):
    """The coverage panel of a warning (loaded into the warning page by HTMX)."""
    from yingji.warnings.fanout import coverage
    from yingji.warnings.models import Warning

    warning = get_object_or_404(Warning.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "warnings/response_coverage_panel.html",
        {"coverage": coverage(warning, user=request.user), "warning": warning},
    )
