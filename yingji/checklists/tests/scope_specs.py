"""Scope-matrix specs of the checklists object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``. Officers only read self-checks (enterprises write them), so the specs
have patches (refused for the officer) but no create payloads.
"""

import datetime as dt

_n = iter(range(1, 10**6))


def _plan(place):
    from yingji.checklists.models import CheckPlan
    from yingji.conftest import new_uscc
    from yingji.orgs.models import Enterprise

    enterprise = Enterprise.objects.create(
        name=f"自查企业{next(_n)}", uscc=new_uscc(), industry="26", place=place
    )
    return CheckPlan.objects.create(
        enterprise=enterprise,
        name="仓库日常检查",
        post="仓库保管员",
        frequency="weekly",
        start_date=dt.date(2026, 1, 1),
    )


def _item(place):
    from yingji.checklists.models import CheckItem

    return CheckItem.objects.create(plan=_plan(place), text="灭火器压力正常", category="消防安全")


def _record(place):
    from django.utils import timezone

    from yingji.checklists.models import CheckRecord

    return CheckRecord.objects.create(
        plan=_plan(place),
        period_start=dt.date(2026, 1, 5),
        performed_at=timezone.now(),
        performer_name="张三",
    )


SPECS: dict = {
    "checklists.checkplan": {"make": _plan, "patch": {"note": "改为每日"}},
    "checklists.checkitem": {"make": _item, "patch": {"basis": "GB 50140"}},
    "checklists.checkrecord": {"make": _record, "patch": {"note": "补记"}},
}
EXEMPT: dict[str, str] = {}
