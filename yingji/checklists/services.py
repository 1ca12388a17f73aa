"""Write services and the missed-check computation of self-check plans (隐患自查).

* :func:`save_plan`, :func:`save_item`, :func:`save_record` — plain saves with the scope checked.
* :func:`record_check` — an enterprise records a check of one period with a result per item; "not OK"
  items may be reported as hazards (``yingji.hazards.services.report_hazard``, source 企业自查) in the
  same transaction.
* :func:`missed_periods`, :func:`missed_counts`, :func:`missed_by_enterprise` — which periods since a
  plan's start have no record. A period counts as *missed* only once it is over: today's daily check,
  this week's weekly check and this month's monthly check are still *due*, not missed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.checklists import periods
from yingji.checklists.choices import Frequency
from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord, CheckResult
from yingji.framework.access import check_object
from yingji.framework.errors import field_error
from yingji.framework.services import save_object


@transaction.atomic
def save_plan(plan: CheckPlan, *, actor) -> CheckPlan:
    """Create or change a plan; its responsible person must be one the actor may see."""
    if plan.responsible_id is not None:
        from yingji.accounts.models import Person

        if not Person.objects.visible_to(actor, "view").filter(pk=plan.responsible_id).exists():
            raise field_error("responsible", _("所选责任人不存在或不在您的管辖范围内。"), "does_not_exist")
    return save_object(plan, actor=actor)


@transaction.atomic
def save_item(item: CheckItem, *, actor) -> CheckItem:
    return save_object(item, actor=actor)


@transaction.atomic
def save_record(record: CheckRecord, *, actor) -> CheckRecord:
    """Edit a record's performer and note (its period and results are fixed once recorded)."""
    if record._state.adding:
        raise field_error("__all__", _("请通过“执行检查”登记自查记录。"), "use_record_check")
    return save_object(record, actor=actor)


# --- recording a check ----------------------------------------------------------------------------
def _as_date(value) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@transaction.atomic
def record_check(
    plan: CheckPlan,
    *,
    actor,
    results,
    period=None,
    performed_at=None,
    performer_name: str = "",
    note: str = "",
) -> CheckRecord:
    """Record the check of ``plan`` for the period containing ``period`` (default: today).

    ``results``: one ``{"item": CheckItem or id, "ok": bool, "note": str, "report_hazard": bool}`` per
    item of the plan. A result that is not OK and asks for it is reported as a hazard of the plan's
    enterprise (category = the item's text). Refused: a period in the future or before the plan's
    start, a second record of the same period, a missing or unknown item, an inactive plan.
    """
    check_object(actor, "add", CheckRecord(plan=plan))
    now = timezone.now()
    performed_at = performed_at or now
    day = _as_date(period) if period is not None else timezone.localtime(performed_at).date()
    start = periods.period_start(plan.frequency, day)
    today = timezone.localdate()
    if not plan.active:
        raise field_error("plan", _("该自查计划已停用，不能登记检查。"), "plan_inactive")
    if start > periods.period_start(plan.frequency, today):
        raise field_error("period", _("不能登记未来周期的检查。"), "period_in_future")
    if start < periods.period_start(plan.frequency, plan.start_date):
        raise field_error("period", _("该周期早于计划开始日期，无需检查。"), "period_before_start")
    if performed_at > now + dt.timedelta(minutes=5):
        raise field_error("performed_at", _("检查时间不能晚于当前时间。"), "in_future")
    if CheckRecord.objects.filter(plan=plan, period_start=start).exists():
        raise field_error(
            "period",
            _("%(period)s 的检查已登记，不能重复登记。") % {"period": periods.label(plan.frequency, start)},
            "already_recorded",
        )
    items = {i.pk: i for i in plan.items.all()}
    if not items:
        raise field_error("results", _("该计划还没有检查项，请先添加检查项。"), "no_items")
    given: dict[int, dict] = {}
    for row in results or ():
        pk = getattr(row.get("item"), "pk", row.get("item"))
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            pk = None
        if pk not in items:
            raise field_error("results", _("检查项不属于该计划。"), "unknown_item")
        if pk in given:
            raise field_error("results", _("同一检查项只能填写一次结果。"), "duplicate_item")
        given[pk] = row
    missing = [items[pk].text for pk in items if pk not in given]
    if missing:
        raise field_error(
            "results",
            _("请填写全部检查项的结果，尚缺：%(items)s。") % {"items": "；".join(missing)},
            "missing_items",
        )
    user = actor if getattr(actor, "pk", None) else None
    record = CheckRecord(
        plan=plan,
        period_start=start,
        performed_at=performed_at,
        performed_by=user,
        performer_name=(performer_name or (user.get_full_name() or user.username if user else ""))[:50],
        note=note or "",
        problems=sum(1 for row in given.values() if not row.get("ok")),
    )
    record.full_clean(validate_constraints=False)
    record.save()
    for pk, row in given.items():
        item = items[pk]
        result = CheckResult(
            record=record, item=item, ok=bool(row.get("ok")), note=(row.get("note") or "")[:500]
        )
        if not result.ok and row.get("report_hazard"):
            result.hazard = _report(plan, item, result.note, performed_at, actor)
        result.save()
    return record


def _report(plan, item, note, found_at, actor):
    """Report a "not OK" item as a hazard of the plan's enterprise (source 企业自查)."""
    from yingji.hazards.services import report_hazard
    from yingji.hazards.workflow import WorkflowError

    try:
        return report_hazard(
            actor=actor,
            source="self_check",
            title=f"{item.text}"[:200],
            description=note or _("自查发现：%(item)s") % {"item": item.text},
            category=item.text[:60],
            enterprise=plan.enterprise,
            found_at=found_at,
            finder_name="",
        )
    except WorkflowError as exc:
        raise ValidationError({"results": [ValidationError(exc.message, code=exc.code)]}) from exc


# --- missed checks ----------------------------------------------------------------------------------
def current_period(plan: CheckPlan, today: dt.date | None = None) -> dt.date:
    return periods.period_start(plan.frequency, today or timezone.localdate())


def missed_periods(plan: CheckPlan, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the periods from the plan's start up to the last *finished* period (the one
    before today's) that have no record. An inactive plan misses nothing."""
    today = today or timezone.localdate()
    if not plan.active:
        return []
    current = periods.period_start(plan.frequency, today)
    first = periods.period_start(plan.frequency, plan.start_date)
    done = set(
        CheckRecord.objects.filter(plan=plan, period_start__gte=first, period_start__lt=current).values_list(
            "period_start", flat=True
        )
    )
    out = []
    start = first
    while start < current:
        if start not in done:
            out.append(start)
        start = periods.next_period(plan.frequency, start)
    return out


def _cutoffs(today: dt.date) -> dict[str, dt.date]:
    return {f: periods.period_start(f, today) for f in Frequency.values}


def _expected(plan, today: dt.date) -> int:
    """Finished periods since the plan's start (today's period excluded)."""
    if not plan.active:
        return 0
    current = periods.period_start(plan.frequency, today)
    last_finished = current - dt.timedelta(days=1)
    if last_finished < plan.start_date:
        return 0
    return periods.count_periods(plan.frequency, plan.start_date, last_finished)


def missed_counts(plans, today: dt.date | None = None) -> dict[int, int]:
    """plan id → number of missed periods, for a queryset of plans (two queries whatever its size)."""
    today = today or timezone.localdate()
    cut = _cutoffs(today)
    finished = Q()
    for frequency, cutoff in cut.items():
        finished |= Q(plan__frequency=frequency, period_start__lt=cutoff)
    plans = list(plans.only("id", "frequency", "start_date", "active", "enterprise_id"))
    done = dict(
        CheckRecord.objects.filter(finished, plan__in=[p.pk for p in plans])
        .values("plan")
        .annotate(n=Count("id"))
        .values_list("plan", "n")
    )
    return {p.pk: max(_expected(p, today) - done.get(p.pk, 0), 0) for p in plans}


def missed_by_enterprise(plans, today: dt.date | None = None) -> list[dict]:
    """Per enterprise of the given plans: plans, active plans, missed periods and the latest check,
    most missed first."""
    today = today or timezone.localdate()
    plans = plans.select_related("enterprise__place").defer("enterprise__place__boundary")
    counts = missed_counts(plans, today)
    last = dict(
        CheckRecord.objects.filter(plan__in=plans)
        .values("plan__enterprise")
        .annotate(m=Max("performed_at"))
        .values_list("plan__enterprise", "m")
    )
    rows: dict[int, dict] = {}
    for plan in plans:
        row = rows.setdefault(
            plan.enterprise_id,
            {
                "enterprise": plan.enterprise,
                "plans": 0,
                "active": 0,
                "missed": 0,
                "last_check": last.get(plan.enterprise_id),
            },
        )
        row["plans"] += 1
        row["active"] += int(plan.active)
        row["missed"] += counts.get(plan.pk, 0)
    return sorted(rows.values(), key=lambda r: (-r["missed"], r["enterprise"].name))
