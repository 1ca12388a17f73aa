"""Pages of the deadline engine: the deadline list and detail (with 办结/撤销/挂牌督办 actions), the
entered holiday days (administrators) and the year view of the working-day calendar (everyone)."""

import calendar as pycal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.deadlines import calendar, services
from yingji.deadlines.choices import ACTIVE_STATUSES, CalendarSource, DayKind
from yingji.deadlines.forms import CalendarRangeForm, CancelForm, SupervisionForm
from yingji.deadlines.models import CalendarDay, Deadline
from yingji.deadlines.rules import find_rule
from yingji.deadlines.tables import status_badge
from yingji.framework.access import AccessDenied, can
from yingji.framework.views import ObjectDeleteView, ObjectDetailView, ObjectListView, htmx_redirect


def coverage_context(user, *dates) -> dict:
    """The calendar-coverage warnings a deadline page shows (this year, next year from October, and the
    years of the given dates)."""
    today = timezone.localdate()
    return {
        "coverage_warnings": calendar.coverage_warnings(calendar.relevant_years(today, *dates)),
        "can_enter_holidays": can(user, "add", CalendarDay),
    }


class DeadlineListView(ObjectListView):
    template_name = "deadlines/deadline_list.html"

    def base_context(self, **extra):
        span = (
            self.scoped()
            .filter(status__in=ACTIVE_STATUSES)
            .aggregate(first=Min("due_at"), last=Max("due_at"))
        )
        return super().base_context(
            **coverage_context(self.request.user, span["first"], span["last"]), **extra
        )


class DeadlineDetailView(ObjectDetailView):
    template_name = "deadlines/deadline_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        can_act = obj.is_active and Deadline.objects.visible_to(user, "change").filter(pk=obj.pk).exists()
        places = services.supervising_places(obj, user) if can_act else []
        try:
            item_url = obj.item_url()
        except NoReverseMatch:  # an item without a page is shown as text
            item_url = None
        return {
            "item": obj.item,
            "item_url": item_url,
            "rule_obj": find_rule(obj.rule),
            "status_badge": status_badge(obj),
            "due_text": calendar.format_due(obj.due_at),
            "can_act": can_act,
            "cancel_form": CancelForm(),
            "supervision_form": SupervisionForm(places=places) if places else None,
            **coverage_context(user, obj.due_at if obj.calendar_estimated else None),
        }


def _acting_on(request, pk) -> Deadline:
    if not can(request.user, "change", Deadline):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    return get_object_or_404(Deadline.objects.visible_to(request.user, "change"), pk=pk)


def _run(request, deadline, operation, success: str):
    try:
        operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AccessDenied as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return htmx_redirect(request, deadline.get_absolute_url())


@login_required
@require_POST
def deadline_meet(request, pk):
    deadline = _acting_on(request, pk)
    return _run(
        request,
        deadline,
        lambda: services.meet(deadline, actor=request.user),
        _("已办结：%(obj)s") % {"obj": deadline},
    )


@login_required
@require_POST
def deadline_cancel(request, pk):
    deadline = _acting_on(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
        return htmx_redirect(request, deadline.get_absolute_url())
    return _run(
        request,
        deadline,
        lambda: services.cancel(deadline, actor=request.user, reason=form.cleaned_data["reason"]),
        _("已撤销：%(obj)s") % {"obj": deadline},
    )


@login_required
@require_POST
def deadline_supervise(request, pk):
    deadline = _acting_on(request, pk)
    form = SupervisionForm(request.POST, places=services.supervising_places(deadline, request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return htmx_redirect(request, deadline.get_absolute_url())
    data = form.cleaned_data
    return _run(
        request,
        deadline,
        lambda: services.list_for_supervision(
            deadline,
            actor=request.user,
            level_place=data["level_place"],
            due_at=data["due_date"],
            note=data["note"],
        ),
        _("已挂牌督办：%(obj)s") % {"obj": deadline},
    )


class CalendarDayListView(ObjectListView):
    template_name = "deadlines/calendarday_list.html"

    def base_context(self, **extra):
        return super().base_context(
            **coverage_context(self.request.user), package_years=calendar.package_years(), **extra
        )


class CalendarDayDeleteView(ObjectDeleteView):
    """Deleting an entered day also recomputes the deadlines it affected."""

    def post(self, request, pk):
        day = get_object_or_404(self.scoped(), pk=pk)
        try:
            services.delete_calendar_day(day, actor=request.user)
        except AccessDenied as exc:
            messages.error(request, exc.message)
            return htmx_redirect(request, day.get_absolute_url())
        messages.success(request, _("已删除：%(obj)s") % {"obj": day})
        return htmx_redirect(request, reverse("deadlines:calendarday_list"))


@login_required
def calendar_range(request):
    """Enter a whole period of the State Council notice (放假 or 调休上班) in one go."""
    if not can(request.user, "add", CalendarDay):
        raise PermissionDenied(_("您的角色没有此功能的权限。"))
    form = CalendarRangeForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            days = services.enter_calendar_days(
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
                name=data["name"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已录入 %(n)d 天。") % {"n": len(days)})
            return redirect("deadlines:calendar_year", year=data["start"].year)
    return render(request, "deadlines/calendar_range.html", {"form": form})


@login_required
def calendar_year(request, year=None):
    """The year at a glance: which days are holidays, weekends and adjusted working days, and where the
    year's data comes from. Public information: every signed-in user may open it."""
    year = year or timezone.localdate().year
    if not 1900 <= year <= 2100:
        raise Http404
    cal = calendar.WorkingCalendar()
    days = {d.date: d for d in cal.year_days(year)}
    months = []
    for month in range(1, 13):
        weeks = [
            [days.get(day) if day.month == month else None for day in week]
            for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append({"number": month, "weeks": weeks})
    special = [d for d in days.values() if d.kind in (DayKind.HOLIDAY, DayKind.ADJUSTED_WORKDAY)]
    info = cal.coverage_info(year)
    return render(
        request,
        "deadlines/calendar_year.html",
        {
            "year": year,
            "coverage": info,
            "coverage_warnings": [info] if info.is_fallback else [],
            "can_enter_holidays": can(request.user, "add", CalendarDay),
            "can_view_days": can(request.user, "view", CalendarDay),
            "months": months,
            "special": special,
            "working_count": sum(1 for d in days.values() if d.working),
            "weekday_names": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "today": timezone.localdate(),
            "entered_source": CalendarSource.ENTERED,
            "previous_year": year - 1,
            "next_year": year + 1,
            "package_years": calendar.package_years(),
        },
    )
