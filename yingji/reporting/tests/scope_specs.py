"""Scope-matrix specs of the reporting object types (collected by yingji/framework/tests/test_scope_matrix.py).

Upward reports are made only through ``make_report`` for the sender's county or city (a town officer
of the matrix never may), so their spec has no create payload or patch (the API has no PATCH);
incoming information is recorded, never edited.
"""

import datetime as dt
from itertools import count

from django.utils import timezone

_n = count(1)


def _incident(place):
    from yingji.incidents.models import Incident

    return Incident.objects.create(
        title=f"事件{next(_n)}",
        category="accident",
        event_type="fire",
        place=place,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    )


def _info(place):
    from yingji.reporting.models import IncomingInfo

    incident = _incident(place)
    return IncomingInfo.objects.create(
        incident=incident,
        event_type="fire",
        category="accident",
        place=place,
        occurred_at=incident.occurred_at,
        reporter_name=f"报告人{next(_n)}",
    )


def _report(place):
    from yingji.reporting.models import UpwardReport

    county = place.parent.parent
    return UpwardReport.objects.create(
        incident=_incident(place),
        kind="initial",
        from_place=county,
        recipient_level="city",
        to_place=county.parent,
        required=True,
        due_at=timezone.now() + dt.timedelta(hours=2),
    )


def _misreport(place):
    from yingji.reporting.models import MisReport

    return MisReport.objects.create(
        incident=_incident(place), kind="concealed", responsible_unit=f"单位{next(_n)}", description="瞒报"
    )


SPECS: dict = {
    "reporting.incominginfo": {
        "make": _info,
        "create": lambda place: {
            "event_type": "fire",
            "place": place.code,
            "occurred_at": (timezone.now() - dt.timedelta(minutes=20)).isoformat(),
            "source": "119",
            "description": "民房起火",
        },
    },
    "reporting.upwardreport": {"make": _report},
    "reporting.misreport": {
        "make": _misreport,
        "create": lambda place: {
            "incident": _incident(place).pk,
            "kind": "false",
            "responsible_unit": "某单位",
            "description": "谎报伤亡人数",
        },
        "patch": {"responsible_unit": "某某公司"},
    },
}
EXEMPT: dict = {}
