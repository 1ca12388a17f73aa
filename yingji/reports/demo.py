"""Demo public reports: a few dozen reports from the public in every state — waiting to be accepted
(some overdue), being handled, turned into hazards or enforcement clues, rejected, closed with a
reward. Deterministic for a seed; called by ``yingji demo load`` after hazards."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yingji.reports import conf
from yingji.reports.models import PublicReport

REPORTS = 40

_HAZARDS = [
    ("小区地下车库堆放大量废旧轮胎", "车库内有上百只废旧轮胎，紧挨配电间。"),
    ("沿街商铺违规使用液化气瓶", "店内灶台旁放着三只液化气瓶，没有报警器。"),
    ("厂房安全出口被锁闭", "夜班时安全出口用铁链锁住，说是防盗。"),
    ("工地塔吊作业无人指挥", "塔吊吊运钢筋时下方有人通行，没有信号工。"),
    ("加油站旁违规售卖散装汽油", "有人用塑料桶在路边售卖汽油。"),
    ("电动车在楼道内充电", "楼道里每晚有多辆电动车飞线充电。"),
    ("仓库消防通道堆满货物", "仓库两侧消防通道全部堆放纸箱。"),
]
_ILLEGAL = [
    ("企业无证储存危险化学品", "厂区后院有几十桶油漆稀释剂，听说没有许可证。"),
    ("工人未经培训进入有限空间作业", "污水池清理时工人直接下池，没有检测气体。"),
    ("特种作业人员无证上岗", "电焊工没有操作证，老板说培训过就行。"),
    ("企业擅自恢复被查封的生产线", "被查封的粉尘车间晚上偷偷开工。"),
]
_RESULTS = [
    "经现场核查，举报情况属实，已责令立即整改，现已整改完毕。",
    "经核查，已对该单位立案查处并责令限期整改。",
    "经现场核查，未发现举报所述问题，已督促该单位加强日常管理。",
]
_NAMES = ["王先生", "李女士", "张师傅", "刘先生", "陈女士"]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(conf.CODE_ALPHABET) for _i in range(conf.CODE_LENGTH))


def load_demo(*, seed: int, counts) -> None:
    from yingji.audit.services import record_bulk
    from yingji.deadlines import services as deadlines
    from yingji.places.models import Place
    from yingji.reports import services

    rng = random.Random(f"{seed}-reports")
    villages = list(
        Place.objects.filter(level="village", centroid_lon__isnull=False).defer("boundary").order_by("code")
    )
    if not villages:
        return
    now = timezone.now()
    route_cache: dict = {}
    reports = []
    codes = set()
    # states in rough proportion: new, accepted, closed, rejected
    states = ["submitted"] * 8 + ["accepted"] * 14 + ["closed"] * 14 + ["rejected"] * 4
    rng.shuffle(states)
    for n in range(REPORTS):
        village = rng.choice(villages)
        kind = "hazard" if rng.random() < 0.7 else "illegal"
        title, description = rng.choice(_HAZARDS if kind == "hazard" else _ILLEGAL)
        submitted = now - dt.timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 12))
        state = states[n % len(states)]
        code = _code(rng)
        while code in codes:
            code = _code(rng)
        codes.add(code)
        county = village.path.split("/")[1] if village.path.count("/") > 2 else village.code
        if county not in route_cache:
            route_cache[county] = services.route(village)
        named = rng.random() < 0.4
        report = PublicReport(
            tracking_code=code,
            kind=kind,
            title=title,
            description=description,
            address=f"{village.name}附近",
            longitude=round(village.centroid_lon + rng.uniform(-0.003, 0.003), 6),
            latitude=round(village.centroid_lat + rng.uniform(-0.003, 0.003), 6),
            place=village,
            department=route_cache[county],
            status=state,
            submitted_at=submitted,
            reporter_name=rng.choice(_NAMES) if named else "",
            reporter_mobile=f"139{rng.randint(0, 99999999):08d}" if named and rng.random() < 0.8 else "",
        )
        if state in ("accepted", "closed"):
            report.accepted_at = submitted + dt.timedelta(days=rng.randint(0, 4), hours=2)
            if rng.random() < 0.25:
                report.clue, report.clue_text, report.clue_at = (
                    True,
                    "移交综合行政执法大队核查",
                    report.accepted_at,
                )
        if state == "closed":
            report.closed_at = min(report.accepted_at + dt.timedelta(days=rng.randint(3, 25)), now)
            report.result = rng.choice(_RESULTS)
            if rng.random() < 0.4:
                report.reward_decision = "granted"
                report.reward_amount = rng.choice((200, 300, 500, 1000))
                report.reward_decided_on = timezone.localtime(report.closed_at).date()
        if state == "rejected":
            report.rejected_at = submitted + dt.timedelta(days=rng.randint(0, 3))
            report.reject_reason = "举报事项不属于安全生产监管范围，已告知向有关部门反映。"
        reports.append(report)
    PublicReport.objects.bulk_create(reports)
    record_bulk(reports)
    # deadlines of the open ones (some overdue), hazards of a few accepted ones
    converted = 0
    for report in reports:
        if report.status == "submitted":
            deadlines.track(report, rule=services.RULE_ACCEPT, start=report.submitted_at, actor=None)
        elif report.status == "accepted":
            deadlines.track(report, rule=services.RULE_HANDLE, start=report.accepted_at, actor=None)
            if report.kind == "hazard" and converted < 5:
                try:
                    from yingji.hazards.services import report_hazard
                except ImportError:  # pragma: no cover - hazards not installed
                    continue
                report.hazard = report_hazard(
                    actor=None,
                    source="public_report",
                    title=report.title,
                    description=report.description,
                    place=report.place,
                    longitude=report.longitude,
                    latitude=report.latitude,
                    found_at=report.submitted_at,
                    department=report.department,
                )
                report.save(update_fields=["hazard"])
                converted += 1
    counts["public_reports"] = len(reports)


def remove_demo(counts: dict) -> None:
    """Delete every public report, its photos and its deadlines (logged as deletes)."""
    from django.contrib.contenttypes.models import ContentType

    from yingji.audit.choices import ChangeAction
    from yingji.audit.services import record_bulk
    from yingji.deadlines.models import Deadline
    from yingji.reports.models import ReportPhoto

    Deadline.objects.filter(content_type=ContentType.objects.get_for_model(PublicReport)).delete()
    photos = list(ReportPhoto.objects.select_related("report"))
    for photo in photos:
        photo.image.delete(save=False)
    record_bulk(photos, ChangeAction.DELETE)
    ReportPhoto.objects.all()._raw_delete(ReportPhoto.objects.db)
    reports = list(PublicReport.objects.all())
    record_bulk(reports, ChangeAction.DELETE)
    PublicReport.objects.all()._raw_delete(PublicReport.objects.db)
    counts["public_reports"] = len(reports)
