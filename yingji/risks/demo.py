"""Demo data of the risk app: risk points with control measures for a few hundred enterprises (by
industry: chemicals, metallurgy, dust, ammonia refrigeration, general manufacturing, warehousing,
construction), their profiles, periodic reports of part of them (some late, some missing), and the
region "two lists" (两张清单) of 1,280 risks and 1,801 measures (seed 003). Bulk inserts, audited."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yingji.audit.services import record_bulk
from yingji.framework.fields import FlagsField
from yingji.risks import grading, reporting
from yingji.risks.choices import REPORTABLE_LEVELS, RiskLevel

#: how many enterprises get risk points (at most; fewer in small demo cities)
N_ENTERPRISES = 360
#: the region lists of seed 003: 1280 个安全风险和1801条管控措施
N_REGION_RISKS, N_REGION_MEASURES = 1280, 1801

E, M, T, P, X = "engineering", "management", "training", "ppe", "emergency"

# (name, area, unit, post, accident types, hazard factors, method, factor options, measures)
_CHEMICALS = [
    (
        "氯化反应釜",
        "一车间",
        "反应釜R-101",
        "反应岗",
        ["fire", "other_explosion", "poisoning"],
        "氯气泄漏\n反应失控超温超压",
        "lec",
        [(3, 6, 40), (1, 6, 40), (3, 6, 15)],
        [
            (E, "设置温度、压力联锁及紧急切断阀"),
            (E, "设置有毒气体检测报警仪"),
            (M, "严格执行工艺操作规程和巡检制度"),
            (T, "重点监管危险化工工艺操作人员持证上岗"),
            (P, "配备正压式空气呼吸器"),
            (X, "泄漏时启动紧急停车并撤离至上风向"),
        ],
    ),
    (
        "甲类仓库",
        "仓储区",
        "甲类仓库1#",
        "仓管员",
        ["fire", "other_explosion"],
        "易燃液体挥发\n静电火花",
        "lec",
        [(3, 6, 15), (1, 6, 15), (3, 3, 15)],
        [
            (E, "防爆电气、防静电接地"),
            (M, "严禁烟火，动火作业审批"),
            (T, "危化品储存知识培训"),
            (X, "配置灭火器和消防沙"),
        ],
    ),
    (
        "储罐区",
        "罐区",
        "甲醇储罐T-201",
        "储运工",
        ["fire", "vessel_explosion", "poisoning"],
        "储罐超压\n物料泄漏",
        "ls",
        [(4, 5), (3, 5), (2, 5)],
        [
            (E, "液位、压力远传及高低液位报警"),
            (E, "设置围堰和应急池"),
            (M, "装卸作业双人确认"),
            (X, "启动罐区泄漏应急处置方案"),
        ],
    ),
    (
        "危化品装卸站",
        "装卸区",
        "装卸鹤管",
        "装卸工",
        ["fire", "vehicle", "poisoning"],
        "装卸过程泄漏\n车辆溜车",
        "lec",
        [(3, 3, 15), (1, 3, 15)],
        [(E, "装卸鹤管紧急切断"), (M, "车辆熄火、轮挡"), (P, "穿戴防静电服"), (X, "泄漏时切断物料并报告")],
    ),
]
_METALLURGY = [
    (
        "中频感应炉",
        "熔炼车间",
        "中频炉2#",
        "熔炼工",
        ["scald", "other_explosion"],
        "高温熔融金属喷溅\n炉体漏水遇熔融金属爆炸",
        "lec",
        [(3, 6, 40), (3, 6, 15), (1, 6, 15)],
        [
            (E, "炉体冷却水压力、温度监测报警"),
            (E, "设置事故应急排水和应急电源"),
            (M, "熔炼区域保持干燥，禁止积水"),
            (P, "穿戴隔热服、防护面罩"),
            (X, "漏炉时立即断电并撤离"),
        ],
    ),
    (
        "铸造浇注区",
        "铸造车间",
        "浇包",
        "浇注工",
        ["scald", "lifting"],
        "浇包倾翻\n吊运熔融金属",
        "ls",
        [(3, 5), (4, 4), (2, 5)],
        [
            (E, "吊运熔融金属使用冶金起重机"),
            (M, "浇包定期检查"),
            (P, "穿戴隔热防护用品"),
            (X, "烫伤时立即冷水冲洗并送医"),
        ],
    ),
    (
        "轧机区域",
        "轧钢车间",
        "粗轧机",
        "轧钢工",
        ["machinery", "object_strike"],
        "旋转部件卷入",
        "lec",
        [(1, 6, 7), (3, 6, 7)],
        [(E, "设置防护罩和急停按钮"), (M, "检修挂牌上锁"), (T, "岗位安全操作培训")],
    ),
]
_DUST = [
    (
        "抛光打磨除尘系统",
        "打磨车间",
        "湿式除尘器",
        "打磨工",
        ["other_explosion", "fire"],
        "铝镁粉尘积聚\n除尘器内粉尘爆炸",
        "lec",
        [(3, 6, 40), (3, 6, 15), (1, 6, 15)],
        [
            (E, "除尘系统设置泄爆、隔爆装置"),
            (E, "粉尘爆炸危险区域使用防爆电气"),
            (M, "每班清扫积尘并记录"),
            (T, "粉尘防爆安全培训"),
            (P, "穿戴防静电工作服"),
            (X, "发生火情立即停机断电"),
        ],
    ),
    (
        "木粉加工区",
        "木工车间",
        "砂光机",
        "木工",
        ["fire", "other_explosion", "machinery"],
        "木粉尘\n刀具伤人",
        "ls",
        [(3, 4), (3, 3)],
        [(E, "设置吸尘装置"), (M, "禁止明火"), (X, "配置灭火器材")],
    ),
]
_AMMONIA = [
    (
        "液氨制冷机房",
        "制冷车间",
        "氨压缩机",
        "制冷工",
        ["poisoning", "vessel_explosion"],
        "液氨泄漏中毒\n容器超压",
        "lec",
        [(3, 6, 40), (1, 6, 40), (1, 6, 15)],
        [
            (E, "设置氨气浓度报警并联动事故风机"),
            (E, "安全阀定期校验"),
            (M, "特种设备作业人员持证"),
            (P, "配备正压式空气呼吸器和防化服"),
            (X, "氨泄漏时关闭阀门、启动喷淋并疏散"),
        ],
    ),
    (
        "速冻库",
        "冷库",
        "速冻间",
        "库管员",
        ["poisoning", "other"],
        "低温冻伤\n人员被困",
        "ls",
        [(3, 3), (2, 4)],
        [(E, "库内设置呼救按钮和门内开启装置"), (M, "进库登记"), (P, "穿戴防寒服")],
    ),
]
_GENERAL = [
    (
        "冲压设备",
        "冲压车间",
        "冲床",
        "冲压工",
        ["machinery"],
        "手部进入模具区",
        "lec",
        [(3, 6, 7), (1, 6, 7), (3, 6, 3)],
        [(E, "双手按钮及光电保护"), (M, "严禁用手送料"), (T, "新员工三级安全教育")],
    ),
    (
        "喷漆房",
        "涂装车间",
        "喷漆房",
        "喷漆工",
        ["fire", "poisoning"],
        "有机溶剂挥发",
        "ls",
        [(3, 4), (2, 4), (4, 4)],
        [(E, "通风排毒装置"), (M, "限量存放油漆"), (P, "佩戴防毒口罩")],
    ),
    (
        "焊接作业",
        "装配车间",
        "焊接工位",
        "焊工",
        ["electric_shock", "fire", "scald"],
        "触电\n焊渣引燃",
        "lec",
        [(1, 6, 7), (3, 6, 3)],
        [(M, "特种作业人员持证上岗"), (P, "穿戴焊工防护用品"), (X, "配置灭火器")],
    ),
]
_WAREHOUSE = [
    (
        "高位货架区",
        "仓库",
        "高位货架",
        "仓管员",
        ["object_strike", "collapse", "fire"],
        "货物坠落\n货架倒塌",
        "ls",
        [(3, 3), (3, 4), (2, 3)],
        [(E, "货架防撞护角"), (M, "限高限重"), (X, "火情时疏散")],
    ),
]
_CONSTRUCTION = [
    (
        "深基坑",
        "施工现场",
        "基坑",
        "施工员",
        ["collapse", "drowning"],
        "基坑坍塌",
        "lec",
        [(3, 6, 15), (1, 6, 15)],
        [(E, "基坑支护及监测"), (M, "专项施工方案论证"), (X, "坍塌预警时撤离")],
    ),
    (
        "塔吊作业",
        "施工现场",
        "塔式起重机",
        "起重工",
        ["lifting", "object_strike"],
        "吊物坠落\n塔吊倾覆",
        "ls",
        [(3, 5), (2, 5)],
        [(E, "力矩限制器"), (M, "信号司索工持证"), (P, "佩戴安全帽")],
    ),
]
_COMMON = [
    (
        "配电室",
        "动力区",
        "低压配电柜",
        "电工",
        ["electric_shock", "fire"],
        "带电作业\n电气火灾",
        "lec",
        [(1, 6, 7), (1, 3, 7), (0.5, 6, 7)],
        [(M, "电工持证上岗，停送电票证制度"), (P, "使用绝缘用具"), (X, "触电时先断电后施救")],
    ),
    (
        "叉车作业",
        "厂区道路",
        "叉车",
        "叉车司机",
        ["vehicle"],
        "车辆碰撞人员",
        "ls",
        [(2, 3), (3, 3), (2, 2)],
        [(M, "厂内限速5公里/小时"), (T, "叉车司机持证"), (X, "事故后保护现场并报告")],
    ),
    (
        "污水处理池",
        "公用工程",
        "污水池",
        "维修工",
        ["poisoning", "drowning"],
        "有限空间硫化氢中毒",
        "lec",
        [(1, 3, 40), (3, 3, 15), (1, 2, 15)],
        [(M, "有限空间作业审批，先通风、再检测、后作业"), (P, "配备气体检测仪和安全绳"), (X, "严禁盲目施救")],
    ),
    (
        "办公楼",
        "办公区",
        "办公楼",
        "行政",
        ["fire"],
        "电气线路老化",
        "ls",
        [(2, 2), (1, 3)],
        [(M, "定期检查电气线路"), (X, "组织消防疏散演练")],
    ),
]


def _sector(industry: str, flags: list[str]) -> list:
    if "ammonia_refrigeration" in flags:
        return _AMMONIA
    if "dust_explosion" in flags:
        return _DUST
    if industry in ("25", "26", "27", "28") or "hazardous_chemicals" in flags:
        return _CHEMICALS
    if industry in ("31", "32") or "molten_metal" in flags or "metallurgy" in flags:
        return _METALLURGY
    if industry in ("47", "48", "49", "50"):
        return _CONSTRUCTION
    if industry in ("54", "59", "51"):
        return _WAREHOUSE
    return _GENERAL


_REGION_TEMPLATES = [
    ("hazchem", "危险化学品道路运输通道", ["fire", "poisoning", "vehicle"], [(4, 5), (3, 5), (2, 5)]),
    ("industry", "铝镁粉尘企业集中区", ["other_explosion"], [(3, 5), (2, 4)]),
    ("road", "临水临崖急弯路段", ["vehicle", "drowning"], [(3, 4), (2, 4)]),
    ("water", "内河渡口", ["drowning"], [(2, 5), (2, 4)]),
    ("fire", "老旧小区电动自行车充电", ["fire"], [(4, 4), (3, 4)]),
    ("gas", "餐饮场所瓶装液化气", ["other_explosion", "fire"], [(4, 5), (3, 5), (3, 4)]),
    ("construction", "在建工程高处作业", ["fall", "collapse"], [(3, 4), (2, 4)]),
    ("crowd", "大型商业综合体", ["fire", "other"], [(2, 5), (2, 4)]),
    ("special_equipment", "老旧电梯", ["other", "fall"], [(2, 4), (2, 3)]),
    ("natural", "沿江低洼易涝区", ["drowning", "collapse"], [(3, 4), (2, 3)]),
    ("new_business", "医养结合机构", ["fire"], [(2, 4), (2, 3)]),
    ("other", "自建房经营场所", ["collapse", "fire"], [(3, 4), (2, 2), (1, 2)]),
]
_REGION_MEASURES = [
    ("management", "纳入网格化巡查，每月检查一次"),
    ("engineering", "完善技防设施和监测预警"),
    ("training", "开展警示教育和应急演练"),
    ("emergency", "制定专项应急预案，明确处置队伍"),
    ("management", "落实行业主管部门监管责任清单"),
]


def _point(rng: random.Random, enterprise_obj, template, n: int):
    from yingji.risks.models import RiskPoint

    name, area, unit, post, accidents, factors, method, options, _measures = template
    values = rng.choice(options)
    point = RiskPoint(
        enterprise=enterprise_obj,
        name=name if n == 0 else f"{name}{n + 1}#",
        area=area,
        unit=unit,
        post=post,
        hazard_factors=factors,
        accident_types=list(accidents),
        method=method,
        responsible_name=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["工", "主任", "经理", "班长"]),
        review_date=timezone.localdate() + dt.timedelta(days=rng.randint(-30, 360)),
    )
    if method == "lec":
        point.lec_l, point.lec_e, point.lec_c = values
    else:
        point.ls_l, point.ls_s = values
    grading.assess_object(point)
    point.control_level = {
        RiskLevel.MAJOR: "company",
        RiskLevel.LARGE: "department",
        RiskLevel.GENERAL: "team",
        RiskLevel.LOW: "post",
    }[point.level]
    return point


def load_demo(*, seed: int, counts) -> None:
    from yingji.accounts.models import RoleAssignment
    from yingji.orgs.models import Department, Enterprise
    from yingji.places.models import Place
    from yingji.risks.models import (
        ControlMeasure,
        RegionRisk,
        RegionRiskMeasure,
        RiskPoint,
        RiskProfile,
        RiskReport,
    )

    rng = random.Random(f"{seed}-risks")
    rows = list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "industry", "risk_flags", "name", "safety_manager_name"
        )
    )
    rows = [(pk, ind, FlagsField.to_list(flags), name, sm) for pk, ind, flags, name, sm in rows]
    showcase = set(
        RoleAssignment.objects.filter(role="enterprise_user", enterprise__isnull=False).values_list(
            "enterprise_id", flat=True
        )
    )
    flagged = [r for r in rows if r[2] or r[1] in ("25", "26", "31", "32")]
    others = [r for r in rows if r not in flagged]
    chosen = rng.sample(flagged, min(len(flagged), N_ENTERPRISES * 2 // 3))
    chosen += rng.sample(others, min(len(others), N_ENTERPRISES - len(chosen)))
    chosen += [r for r in rows if r[0] in showcase and r not in chosen]
    chosen.sort()
    # instances with their place loaded, so the change log finds each row's place without a query
    objects = {
        e.pk: e
        for e in Enterprise.objects.filter(pk__in=[r[0] for r in chosen])
        .select_related("place")
        .defer("place__boundary")
    }

    points, measures_of = [], []
    for enterprise in chosen:
        sector = _sector(enterprise[1], enterprise[2])
        templates = rng.sample(sector, min(len(sector), rng.randint(2, 3))) + rng.sample(
            _COMMON, rng.randint(1, 3)
        )
        if enterprise[0] in showcase:
            templates = sector + _COMMON
        for template in templates:
            for n in range(2 if rng.random() < 0.15 else 1):
                point = _point(rng, objects[enterprise[0]], template, n)
                points.append(point)
                measures_of.append(
                    template[8][: rng.randint(2, len(template[8]))] if len(template[8]) > 2 else template[8]
                )
    RiskPoint.objects.bulk_create(points, batch_size=500)
    measures = [
        ControlMeasure(risk_point=p, kind=kind, content=content, responsible_name=p.responsible_name)
        for p, ms in zip(points, measures_of, strict=True)
        for kind, content in ms
    ]
    ControlMeasure.objects.bulk_create(measures, batch_size=1000)

    # profiles (the same rule as recompute_enterprise_grade)
    now = timezone.now()
    levels: dict[int, list[str]] = {}
    for p in points:
        levels.setdefault(p.enterprise_id, []).append(p.level)
    profiles = []
    for enterprise in chosen:
        lv = levels.get(enterprise[0], [])
        grade = grading.enterprise_grade(lv, enterprise[2])
        profiles.append(
            RiskProfile(
                enterprise=objects[enterprise[0]],
                level=grade.level,
                base_level=grade.base_level,
                raised_by=list(grade.raised_by),
                reason=grade.reason[:300],
                major_count=lv.count(RiskLevel.MAJOR),
                large_count=lv.count(RiskLevel.LARGE),
                general_count=lv.count(RiskLevel.GENERAL),
                low_count=lv.count(RiskLevel.LOW),
                computed_at=now,
            )
        )
    RiskProfile.objects.bulk_create(profiles, batch_size=500)

    # periodic reports: last period nearly all, current period part of them (some late, some missing)
    measures_by_point: dict[int, list] = {}
    for m in measures:
        measures_by_point.setdefault(m.risk_point_id, []).append({"kind": m.kind, "content": m.content})
    snapshots: dict[int, list] = {}
    for p in sorted(points, key=lambda p: -p.score):
        if p.level in REPORTABLE_LEVELS:
            snapshots.setdefault(p.enterprise_id, []).append(
                {
                    "id": p.pk,
                    "name": p.name,
                    "area": p.area,
                    "unit": p.unit,
                    "post": p.post,
                    "accident_types": p.accident_types,
                    "method": p.method,
                    "factors": p.factors,
                    "score": p.score,
                    "level": p.level,
                    "control_level": p.control_level,
                    "responsible_name": p.responsible_name,
                    "measures": measures_by_point.get(p.pk, []),
                }
            )
    current = reporting.current_period()
    start = reporting.period_start(current)
    previous = reporting.period_of(start - dt.timedelta(days=1))
    today = timezone.localdate()
    reports = []
    for enterprise_id, snapshot in sorted(snapshots.items()):
        for period, share_on_time, share_late in ((previous, 0.85, 0.1), (current, 0.6, 0.15)):
            due = reporting.due_date(period)
            first = reporting.period_start(period)
            draw = rng.random()
            if draw < share_on_time:
                day = first + dt.timedelta(days=rng.randint(0, (due - first).days))
            elif draw < share_on_time + share_late:
                day = due + dt.timedelta(days=rng.randint(1, 60))
            else:
                continue
            if day > today:
                continue
            at = dt.datetime.combine(
                day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=timezone.get_current_timezone()
            )
            reports.append(
                RiskReport(
                    enterprise=objects[enterprise_id],
                    kind="periodic",
                    period=period,
                    submitted_at=at,
                    late=day > due,
                    snapshot=snapshot,
                    major_count=sum(1 for s in snapshot if s["level"] == RiskLevel.MAJOR),
                    large_count=sum(1 for s in snapshot if s["level"] == RiskLevel.LARGE),
                )
            )
    RiskReport.objects.bulk_create(reports, batch_size=500)

    # region lists (两张清单): 1280 risks, 1801 measures over the towns and counties
    place_objs = {p.pk: p for p in Place.objects.filter(level__in=("county", "town")).defer("boundary")}
    places = sorted(place_objs, key=lambda pk: place_objs[pk].code)
    region_risks, region_measures = [], []
    if places:
        departments: dict[int, list[int]] = {}
        for pk, place_id in Department.objects.filter(place_id__in=places).values_list("pk", "place_id"):
            departments.setdefault(place_id, []).append(pk)
        for i in range(N_REGION_RISKS):
            category, name, accidents, options = rng.choice(_REGION_TEMPLATES)
            place_id = places[i % len(places)]
            l, s = rng.choice(options)  # noqa: E741
            risk = RegionRisk(
                place=place_objs[place_id],
                department_id=rng.choice(departments[place_id]) if departments.get(place_id) else None,
                name=f"{name}{i // len(_REGION_TEMPLATES) + 1:03d}",
                category=category,
                accident_types=list(accidents),
                method="ls",
                ls_l=l,
                ls_s=s,
                location=name,
                responsible_unit="属地政府及行业主管部门",
            )
            grading.assess_object(risk)
            region_risks.append(risk)
        RegionRisk.objects.bulk_create(region_risks, batch_size=500)
        extra = set(rng.sample(range(len(region_risks)), N_REGION_MEASURES - len(region_risks)))
        for i, risk in enumerate(region_risks):
            picks = rng.sample(_REGION_MEASURES, 2 if i in extra else 1)
            region_measures += [RegionRiskMeasure(region_risk=risk, kind=k, content=c) for k, c in picks]
        RegionRiskMeasure.objects.bulk_create(region_measures, batch_size=1000)

    for objs in (points, measures, profiles, reports, region_risks, region_measures):
        for i in range(0, len(objs), 2000):
            counts["audit_entries"] += record_bulk(objs[i : i + 2000])
    counts["risk_points"] += len(points)
    counts["risk_measures"] += len(measures)
    counts["risk_profiles"] += len(profiles)
    counts["risk_reports"] += len(reports)
    counts["region_risks"] += len(region_risks)
    counts["region_risk_measures"] += len(region_measures)


def remove_demo(counts: dict) -> None:
    """Delete every row of the risk app (they all hang on the demo region), logged as bulk deletes."""
    from yingji.audit.choices import ChangeAction
    from yingji.risks.models import (
        ControlMeasure,
        RegionRisk,
        RegionRiskMeasure,
        RiskPoint,
        RiskProfile,
        RiskReport,
    )

    for key, model, place in (
        ("region_risk_measures", RegionRiskMeasure, "region_risk__place"),
        ("region_risks", RegionRisk, "place"),
        ("risk_reports", RiskReport, "enterprise__place"),
        ("risk_measures", ControlMeasure, "risk_point__enterprise__place"),
        ("risk_points", RiskPoint, "enterprise__place"),
        ("risk_profiles", RiskProfile, "enterprise__place"),
    ):
        qs = model.objects.all()
        objs = list(qs.select_related(place).defer(f"{place}__boundary"))
        for i in range(0, len(objs), 2000):
            record_bulk(objs[i : i + 2000], ChangeAction.DELETE)
        qs._raw_delete(qs.db)
        counts[key] = len(objs)
