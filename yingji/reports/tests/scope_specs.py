"""Scope-matrix specs of the reports object types (collected by yingji/framework/tests/test_scope_matrix.py).

``SPECS[label] = {"make": callable(village) -> obj, "create": callable(village) -> payload, "patch": {...}}``;
``EXEMPT[label] = "reason"``.
"""


def _report(place):
    from django.utils import timezone

    from yingji.reports.models import PublicReport
    from yingji.reports.services import new_tracking_code

    return PublicReport.objects.create(
        tracking_code=new_tracking_code(),
        kind="hazard",
        title="占用消防通道",
        description="楼道堆放杂物",
        place=place,
        submitted_at=timezone.now(),
        reporter_mobile="13912345678",
    )


# No "create": reports are filed on the public page, never through the officers' API.
SPECS: dict = {"reports.publicreport": {"make": _report, "patch": {"handling_note": "已电话核实"}}}
EXEMPT: dict[str, str] = {}
