"""Demo of information reporting: the incoming information of the incidents demo's past incidents
(or, without them, two incidents recorded here through ``record_incoming``), their reporting chains
as the rules require them, made mostly on time, a few late (迟报) and one left missing (漏报); one
瞒报 finding.

Deterministic (``random.Random(f"{seed}-reporting")``); everything goes through the services as the
system actor (a few dozen rows, well under a second).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

SOURCES = ["phone", "110", "119", "120", "lower_level", "department"]


def load_demo(*, seed: int, counts) -> None:
    from yingji.framework.access import SYSTEM
    from yingji.incidents.models import Incident
    from yingji.places.models import Place
    from yingji.reporting import services
    from yingji.reporting.models import IncomingInfo, UpwardReport

    rng = random.Random(f"{seed}-reporting")
    now = timezone.now().replace(second=0, microsecond=0)
    incidents = list(Incident.objects.select_related("place").order_by("occurred_at", "pk"))
    if not incidents:
        villages = list(Place.objects.filter(level="village").defer("boundary").order_by("code")[:20])
        if not villages:
            return
        for i, (etype, days, deaths, title) in enumerate(
            [("work_safety", 20, 1, "某机械厂起重伤害事故"), ("road_traffic", 2, 3, "省道三车相撞事故")]
        ):
            occurred = now - dt.timedelta(days=days, hours=3)
            services.record_incoming(
                actor=SYSTEM,
                source="phone",
                event_type=etype,
                place=villages[(i * 7) % len(villages)],
                occurred_at=occurred,
                received_at=occurred + dt.timedelta(minutes=15),
                deaths=deaths,
                title=title,
                reporter_name="值班员（演示）",
            )
        incidents = list(Incident.objects.select_related("place").order_by("occurred_at", "pk"))
    infos = []
    for incident in incidents:
        if incident.incoming_infos.exists():
            continue
        info = IncomingInfo(
            incident=incident,
            source=rng.choice(SOURCES),
            reporter_name=rng.choice(["张伟", "王芳", "李强", "刘洋"]) + "（演示）",
            reporter_phone=f"139{rng.randrange(10**8):08d}",
            reporter_unit=f"{incident.place.name}",
            received_at=incident.received_at,
            category=incident.category,
            event_type=incident.event_type,
            place=incident.place,
            address=incident.address,
            occurred_at=incident.occurred_at,
            deaths=incident.deaths,
            missing=incident.missing,
            serious_injuries=incident.serious_injuries,
            minor_injuries=incident.minor_injuries,
            direct_loss_wan=incident.direct_loss_wan,
            description=incident.description,
        )
        info.unit_late = services.rules.unit_report_late(info.category, info.occurred_at, info.received_at)
        info.save()
        infos.append(info)
        services.ensure_chain(incident, started_at=incident.received_at)
        services.sync_reports(incident, now=now)
    counts["incoming_infos"] = len(infos)
    # make the chains: most on time, every third late, the last incident's top report left missing
    left_missing = None
    candidates = [i for i in incidents if i.occurred_at < now - dt.timedelta(hours=8)]
    if candidates:
        top = (
            UpwardReport.objects.filter(incident=candidates[-1], required=True, reported_at__isnull=True)
            .order_by("-due_at")
            .first()
        )
        left_missing = top.pk if top else None
    made = 0
    for _round in range(3):  # a made report moves the next level's due time: go round until done
        pending = list(
            UpwardReport.objects.filter(required=True, reported_at__isnull=True, due_at__lt=now)
            .exclude(pk=left_missing)
            .select_related("incident", "from_place")
            .order_by("due_at", "pk")
        )
        if not pending:
            break
        for report in pending:
            late = made % 3 == 1
            at = (
                report.due_at + dt.timedelta(minutes=35)
                if late
                else report.due_at - dt.timedelta(minutes=rng.randint(15, 90))
            )
            at = max(min(at, now), report.incident.received_at)
            services.make_report(
                report,
                actor=SYSTEM,
                reported_at=at,
                unit_overview=f"{report.incident.title}：事发单位基本情况（演示）",
                time_place_scene=f"{timezone.localtime(report.incident.occurred_at):%m月%d日%H时%M分}，"
                f"{report.incident.place.name}",
                course=report.incident.description or "详见事件概况",
                measures="已调派救援力量赶赴现场处置，属地政府组织群众转移",
                copy_note="公安机关、人社部门、工会",
            )
            made += 1
    services.check_reports(now=now)
    counts["upward_reports"] = UpwardReport.objects.count()
    hazmat = next((i for i in incidents if i.event_type == "hazmat"), None)
    if hazmat is not None:
        services.record_misreport(
            actor=SYSTEM,
            incident=hazmat,
            kind="concealed",
            found_at=hazmat.received_at + dt.timedelta(days=2),
            responsible_unit="事故发生企业（演示）",
            description="首报仅报告1人重伤，经核查实有3人重伤，企业隐瞒2人伤情。",
        )
        counts["misreports"] = 1


def remove_demo(counts: dict) -> None:
    """Delete every reporting row (they all hang on demo incidents) and the reports' deadlines."""
    from django.contrib.contenttypes.models import ContentType

    from yingji.deadlines.models import Deadline
    from yingji.reporting.models import Attachment, IncomingInfo, MisReport, ReportChain, UpwardReport

    deadlines = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(UpwardReport))
    counts["report_deadlines"] = deadlines.count()
    deadlines.delete()
    for key, model in (
        ("misreports", MisReport),
        ("upward_reports", UpwardReport),
        ("incoming_attachments", Attachment),
        ("incoming_infos", IncomingInfo),
        ("report_chains", ReportChain),
    ):
        qs = model.objects.all()
        counts[key] = qs.count()
        qs.delete()
