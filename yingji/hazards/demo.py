"""Demo hazards: a few thousand work-safety hazards of the demo enterprises and a few hundred
disaster-risk hazards of the demo villages, in every state of the loop, with their timelines,
rectification deadlines (some overdue), 治理方案 of the majors and some majors listed for supervision.

Deterministic (``random.Random(f"{seed}-hazards")``) and bulk-inserted (``bulk_create`` + ``record_bulk``).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from yingji.audit.services import record_bulk

N_WORK_SAFETY = 3000
N_DISASTER = 400

#: (state, weight) of the demo loop
STATES = (
    ("closed", 50),
    ("verified", 3),
    ("rectified", 6),
    ("rectifying", 12),
    ("assigned", 8),
    ("confirmed", 5),
    ("reported", 10),
    ("dismissed", 4),
)
#: the events leading to each state (immediate fixes are a share of the closed ones)
PATHS = {
    "reported": ["report"],
    "dismissed": ["report", "dismiss"],
    "confirmed": ["report", "confirm"],
    "assigned": ["report", "confirm", "assign"],
    "rectifying": ["report", "confirm", "assign", "progress"],
    "rectified": ["report", "confirm", "assign", "progress", "rectify"],
    "verified": ["report", "confirm", "assign", "progress", "rectify", "verify"],
    "closed": ["report", "confirm", "assign", "progress", "rectify", "verify", "close"],
    "immediate": ["report", "fix_immediately"],
}
_STATUS_AFTER = {
    "report": "reported",
    "dismiss": "dismissed",
    "confirm": "confirmed",
    "assign": "assigned",
    "progress": "rectifying",
    "rectify": "rectified",
    "verify": "verified",
    "close": "closed",
    "fix_immediately": "closed",
}
WORK_TITLES = (
    ("消防", "灭火器压力不足或过期"),
    ("消防", "安全出口被货物堵塞"),
    ("消防", "应急照明灯不亮"),
    ("电气", "配电箱门缺失，带电部位外露"),
    ("电气", "临时用电线路私拉乱接"),
    ("特种设备", "叉车未定期检验"),
    ("特种设备", "行车限位器失效"),
    ("危险化学品", "危化品仓库未设置防泄漏围堰"),
    ("危险化学品", "可燃气体报警器未定期标定"),
    ("粉尘防爆", "除尘系统未设置泄爆装置"),
    ("有限空间", "有限空间作业未执行审批"),
    ("设备设施", "皮带机防护罩缺失"),
    ("安全管理", "特种作业人员未持证上岗"),
    ("安全管理", "安全教育培训记录不全"),
    ("涉氨制冷", "液氨储罐区未设置喷淋装置"),
)
MAJOR_TITLES = (
    ("chemicals", "重点监管危险化工工艺未实现自动化控制", "第九条"),
    ("chemicals", "主要负责人未依法考核合格", "第一条"),
    ("industry_trade", "粉尘爆炸危险场所设置在非框架结构建筑物内", "第十三条"),
    ("industry_trade", "涉氨制冷快速冻结装置未设置在单独作业间", "第十一条"),
    ("fire", "人员密集场所未设置自动喷水灭火系统", "第5.1条"),
)
DISASTER_TITLES = {
    "geological": ("山体裂缝", "坡脚出现落石", "挡土墙开裂"),
    "waterlogging": ("低洼路段积水", "下穿通道排水不畅", "小区地下车库易进水"),
    "dangerous_house": ("农房墙体开裂", "自建房屋顶渗漏变形", "老旧房屋梁柱腐朽"),
    "embankment": ("堤防渗水", "护坡塌陷"),
    "reservoir": ("山塘溢洪道堵塞",),
    "forest_fire": ("林区违规用火",),
    "billboard": ("户外广告牌松动", "楼顶招牌锈蚀"),
}
NAMES = ("张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴娟")


def _pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def load_demo(*, seed: int, counts) -> None:
    from django.contrib.contenttypes.models import ContentType

    from yingji.accounts.models import Person
    from yingji.deadlines.models import Deadline
    from yingji.deadlines.rules import escalate_time, find_rule, remind_time
    from yingji.hazards import config
    from yingji.hazards.models import Hazard, HazardEvent, RectificationPlan
    from yingji.orgs.models import Enterprise
    from yingji.places.models import Place

    rng = random.Random(f"{seed}-hazards")
    now = timezone.now()
    enterprises = list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "place_id", "regulator_id", "name", "address", "industry"
        )
    )
    villages = list(Place.objects.filter(level="village").order_by("code").values_list("pk", "path", "name"))
    if not villages:
        return
    counties = dict(Place.objects.filter(level="county").values_list("path", "pk"))
    responsible = dict(
        Person.objects.filter(enterprise__isnull=False).order_by("-pk").values_list("enterprise_id", "pk")
    )
    place_path = dict((pk, path) for pk, path, _n in villages)

    hazards: list[Hazard] = []
    paths: list[list[str]] = []
    n_work = min(N_WORK_SAFETY, len(enterprises) * 2) if enterprises else 0
    for i in range(n_work + N_DISASTER):
        disaster = i >= n_work
        state = _pick(rng, STATES)
        path = PATHS[state]
        if state == "closed" and rng.random() < 0.25:
            path = PATHS["immediate"]
        found = now - dt.timedelta(days=rng.uniform(1, 365) if state == "closed" else rng.uniform(0.2, 90))
        h = Hazard(found_at=found, status=_STATUS_AFTER[path[-1]], finder_name=rng.choice(NAMES))
        if disaster:
            dtype = rng.choice(sorted(DISASTER_TITLES))
            v = rng.choice(villages)
            h.kind, h.disaster_type, h.place_id = "disaster", dtype, v[0]
            h.source = rng.choice(("grid", "info_officer", "info_officer", "public_report"))
            h.title = rng.choice(DISASTER_TITLES[dtype])
            h.address = f"{v[2]}{rng.randint(1, 60)}组"
            h.number = f"ZH{timezone.localtime(found):%Y%m%d}D{i:05d}"
            grade = "general"
        else:
            ent = rng.choice(enterprises)
            h.enterprise_id, h.place_id, h.department_id, h.address = ent[0], ent[1], ent[2], ent[4] or ""
            h.industry = ent[5] or ""
            h.source = _pick(
                rng,
                (
                    ("self_check", 45),
                    ("inspection", 25),
                    ("grid", 15),
                    ("supervision", 5),
                    ("public_report", 5),
                    ("sensor", 3),
                    ("data_clue", 2),
                ),
            )
            grade = "major" if "confirm" in path and rng.random() < 0.07 else "general"
            if grade == "major":
                standard, title, clause = rng.choice(MAJOR_TITLES)
                h.major_standard, h.major_criterion, h.title, h.category = standard, clause, title, "重大隐患"
            else:
                h.category, h.title = rng.choice(WORK_TITLES)
            h.number = f"YH{timezone.localtime(found):%Y%m%d}D{i:05d}"
            if grade == "general" and rng.random() < 0.3:
                path = PATHS["immediate"] if state == "closed" else path
        h.grade = grade if len(path) > 1 and path[1] != "dismiss" else ""
        h.review_levels = config.review_levels(grade) if h.grade else 1
        t = found
        times = []
        for _step in path:
            times.append(t)
            t = min(now, t + dt.timedelta(hours=rng.uniform(2, 120)))
        if "confirm" in path or "fix_immediately" in path:
            h.confirmed_at = times[1]
        if "assign" in path:
            h.responsible_id = responsible.get(h.enterprise_id)
            h.responsible_unit = ent[3] if not disaster else f"{h.address}村委会"
            h.measures = "按检查要求落实整改，完善管理制度并开展培训"
            h.funds = Decimal(
                rng.choice(
                    ("0.2", "0.5", "1", "2", "5", "12", "30") if grade == "general" else ("20", "50", "120")
                )
            )
            h.contingency_plan = "整改期间落实临时防范措施，专人值守，必要时停止相关作业"
            days = rng.randint(5, 30) if grade == "general" else rng.randint(30, 90)
            h.due_at = times[2] + dt.timedelta(days=days)
            if state in ("assigned", "rectifying") and rng.random() < 0.3:
                h.due_at = now - dt.timedelta(days=rng.randint(1, 20))  # overdue
        if "rectify" in path or "fix_immediately" in path:
            h.rectified_at = (
                times[-1] if path[-1] in ("rectify", "fix_immediately") else times[path.index("rectify")]
            )
            h.rectification_note = "已按整改措施完成整改，附整改前后照片"
        if "verify" in path:
            h.verified_at = times[path.index("verify")]
            h.reviews_passed = h.review_levels
        if path[-1] in ("close", "fix_immediately", "dismiss"):
            h.closed_at = times[-1]
        if path[-1] == "fix_immediately":
            h.immediate, h.grade, h.reviews_passed = True, "general", 1
        if path[-1] == "dismiss":
            h.dismiss_reason = "经现场核实，不属于事故隐患"
        if grade == "major" and state in ("assigned", "rectifying", "rectified") and rng.random() < 0.5:
            county = next((pk for p, pk in counties.items() if place_path[h.place_id].startswith(p)), None)
            if county:
                h.supervised_by_id, h.supervised_at = county, times[-1]
                h.supervision_due_at = now + dt.timedelta(days=rng.randint(10, 60))
                h.supervision_note = "限期完成治理，按期报告治理进展"
        hazards.append(h)
        paths.append([(step, times[k]) for k, step in enumerate(path)])

    Hazard.objects.bulk_create(hazards, batch_size=500)
    record_bulk(hazards)

    events, plans, deadlines = [], [], []
    ct = ContentType.objects.get_for_model(Hazard)
    rules = {code: find_rule(code) for code in ("hazards.rectify_general", "hazards.rectify_major")}
    for h, steps in zip(hazards, paths, strict=True):
        before = ""
        for step, at in steps:
            after = _STATUS_AFTER[step]
            events.append(
                HazardEvent(
                    hazard_id=h.pk,
                    action=step,
                    from_status=before,
                    to_status=after,
                    at=at,
                    actor_name=h.finder_name if step == "report" else rng.choice(NAMES),
                    note=h.rectification_note if step in ("rectify", "fix_immediately") else "",
                )
            )
            before = after
        if h.supervised_by_id:
            events.append(
                HazardEvent(
                    hazard_id=h.pk,
                    action="supervise",
                    from_status=h.status,
                    to_status=h.status,
                    at=h.supervised_at,
                    actor_name="县应急管理局",
                    note=h.supervision_note,
                )
            )
        if h.grade == "major" and h.due_at:
            plans.append(
                RectificationPlan(
                    hazard_id=h.pk,
                    goals=f"消除“{h.title}”重大事故隐患",
                    methods="技术改造并完善安全设施",
                    funding=f"安排专项资金{h.funds}万元",
                    organisation="主要负责人牵头，安全部门组织实施",
                    schedule=f"{timezone.localtime(h.due_at):%Y年%m月%d日}前完成",
                    safety_measures="落实专项应急预案和临时管控措施",
                )
            )
        if h.status in ("assigned", "rectifying") and h.due_at:
            rule_code = "hazards.rectify_major" if h.grade == "major" else "hazards.rectify_general"
            rule = rules[rule_code]
            deadlines.append(
                Deadline(
                    content_type=ct,
                    object_id=str(h.pk),
                    rule=rule_code,
                    title=f"隐患整改：{h.number} {h.title}"[:200],
                    start_at=h.confirmed_at,
                    due_at=h.due_at,
                    due_computed=False,
                    remind_at=remind_time(rule, h.due_at, day_based=False),
                    escalate_at=escalate_time(rule, h.due_at, day_based=False),
                    status="overdue" if h.due_at < now else "open",
                    place_id=h.place_id,
                    enterprise_id=h.enterprise_id,
                    listed_by_id=h.supervised_by_id,
                    listed_at=h.supervised_at,
                )
            )
    HazardEvent.objects.bulk_create(events, batch_size=1000)
    RectificationPlan.objects.bulk_create(plans, batch_size=500)
    Deadline.objects.bulk_create(deadlines, batch_size=500)
    record_bulk(plans)
    record_bulk(deadlines)
    from yingji.hazards import tally

    tally.rebuild()  # bulk_create bypasses Hazard.save(), which keeps the statistics' tallies
    counts["hazards"] = len(hazards)
    counts["hazard_events"] = len(events)


def remove_demo(counts: dict) -> None:
    """Delete every hazard row (they all hang on the demo region) and their deadlines, logged as bulk deletes."""
    from django.contrib.contenttypes.models import ContentType

    from yingji.audit.choices import ChangeAction
    from yingji.deadlines.models import Deadline
    from yingji.hazards.models import Hazard, HazardEvent, HazardPhoto, RectificationPlan

    ct = ContentType.objects.get_for_model(Hazard)
    for key, qs in (
        ("hazard_deadlines", Deadline.objects.filter(content_type=ct)),
        ("hazard_photos", HazardPhoto.objects.all()),
        ("hazard_events", HazardEvent.objects.all()),
        ("hazard_plans", RectificationPlan.objects.all()),
        ("hazards", Hazard.objects.all()),
    ):
        objs = list(qs) if key != "hazard_events" else []
        for i in range(0, len(objs), 2000):
            record_bulk(objs[i : i + 2000], ChangeAction.DELETE)
        n = qs.count()
        qs._raw_delete(qs.db)
        counts[key] = n
    from yingji.hazards import tally

    tally.rebuild()
