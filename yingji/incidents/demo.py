"""Demo of incidents: the city's 一图一表 (response plans with duty tables) for the main accident and
natural-disaster types at levels Ⅰ–Ⅳ, department emergency duties of the city and its counties,
and a few past incidents (through the services, with levels, checklists, timeline and a review).

Deterministic and fast: plans and duties are bulk-written (audited with ``record_bulk``); the four
incidents go through ``create_incident`` and the other services as the system actor.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from yingji.audit.services import record_bulk

LEVEL_NAMES = {"1": "Ⅰ级", "2": "Ⅱ级", "3": "Ⅲ级", "4": "Ⅳ级"}

#: event type (or category when the key starts with "*") → (name, category, steps)
PLAN_TYPES = {
    "work_safety": (
        "工矿商贸生产安全事故",
        "accident",
        [
            "接报研判｜核实事故单位、时间、地点、伤亡和现场情况",
            "信息报送｜1小时内报告本级政府和上级应急管理部门（493号令第九条）",
            "启动响应｜按级别启动响应，通知成员单位",
            "先期处置｜调派消防、医疗、专业救援队伍，划定警戒区",
            "现场指挥｜成立现场指挥部，组织抢险救援和人员搜救",
            "信息发布｜统一发布事故和救援信息",
            "善后恢复｜伤亡人员救治、家属安抚、现场清理",
            "响应终止｜险情消除后终止响应，转入事故调查",
        ],
    ),
    "hazmat": (
        "危险化学品事故",
        "accident",
        [
            "接报研判｜核实泄漏、火灾或爆炸物质、数量和影响范围",
            "信息报送｜1小时内报告，同时通报生态环境部门",
            "启动响应｜按级别启动响应",
            "先期处置｜危化品专业救援队处置，切断泄漏源，设置警戒和疏散区",
            "环境监测｜监测大气和水体，防止次生环境事件",
            "人员疏散｜按风向组织下风向群众转移",
            "现场指挥｜成立现场指挥部，专家会商处置方案",
            "善后恢复｜洗消、废物处置、恢复生产前安全评估",
        ],
    ),
    "fire": (
        "火灾事故",
        "accident",
        [
            "接报研判｜核实起火单位、燃烧物、被困人员",
            "信息报送｜1小时内报告，7日内伤亡变化须补报（493号令第十三条）",
            "启动响应｜按级别启动响应",
            "灭火救援｜消防救援队伍灭火、搜救被困人员",
            "医疗救治｜调派急救力量，开设现场救护点",
            "现场指挥｜成立现场指挥部",
            "善后恢复｜火灾原因调查、现场清理",
        ],
    ),
    "road_traffic": (
        "道路交通事故",
        "accident",
        [
            "接报研判｜核实车辆、伤亡、危化品运输车辆情况",
            "信息报送｜1小时内报告，7日内伤亡变化须补报",
            "启动响应｜按级别启动响应",
            "交通管制｜公安交警实施管制和分流",
            "抢险救援｜破拆救援、伤员转运救治",
            "现场指挥｜成立现场指挥部",
            "善后恢复｜清障、恢复通行、事故调查",
        ],
    ),
    "flood": (
        "洪涝灾害",
        "natural",
        [
            "监测预警｜跟踪雨情水情，发布预警，开展会商",
            "启动响应｜按级别启动防汛应急响应",
            "巡查防守｜巡堤查险，重点部位24小时值守",
            "转移避险｜组织低洼地区、危房群众转移至避难场所",
            "抢险救援｜调派防汛抢险队伍和物资，排涝抢险",
            "灾情报送｜2小时内初报，每日续报（自然灾害情况统计调查制度）",
            "救灾救助｜发放救灾物资，保障基本生活",
            "响应终止｜水位回落后终止响应，灾情核报",
        ],
    ),
    "typhoon": (
        "台风灾害",
        "natural",
        [
            "监测预警｜跟踪台风路径，发布预警",
            "启动响应｜按级别启动防台风应急响应",
            "防御部署｜加固设施，停止户外作业，船只回港",
            "转移避险｜转移危房、临时工棚、沿海低洼地区人员",
            "抢险救援｜抢修电力、通信、道路，清除倒伏树木",
            "灾情报送｜2小时内初报，每日续报",
            "响应终止｜台风影响结束后终止响应",
        ],
    ),
    "*accident": (
        "事故灾难（通用）",
        "accident",
        [
            "接报研判｜核实事件信息",
            "信息报送｜按时限逐级报告",
            "启动响应｜按级别启动响应",
            "先期处置｜调派救援力量，控制事态",
            "现场指挥｜成立现场指挥部",
            "善后恢复｜善后处置和调查评估",
        ],
    ),
    "*natural": (
        "自然灾害（通用）",
        "natural",
        [
            "监测预警｜监测和预警发布",
            "启动响应｜按级别启动响应",
            "转移避险｜组织群众转移安置",
            "抢险救援｜调派队伍和物资",
            "灾情报送｜初报、续报、核报",
            "救灾救助｜保障受灾群众基本生活",
        ],
    ),
}

#: per level: rows of (role, department key or kind "kind:<kind>", task, minutes)
ROLE_ROWS = {
    "1": [
        ("leader", "", "带班领导立即报告主要领导，提请启动Ⅰ级响应并赶赴现场", 15),
        ("officer", "", "值班员核实信息，30分钟内电话、1小时内书面报告省应急管理厅", 30),
        ("standby", "", "备勤人员全员到岗，开通视频会商和现场图像回传", 30),
        ("department", "emergency", "市应急管理局主要负责人赶赴现场，组建现场指挥部", 60),
        ("department", "fire", "市消防救援支队调派全部特勤力量增援", 20),
        ("department", "police", "市公安局实施警戒、交通管制和秩序维护", 30),
        ("department", "health", "市卫生健康委组织医疗救治和卫生防疫", 30),
        ("department", "kind:government", "属地镇（街道）组织群众转移安置", 60),
    ],
    "2": [
        ("leader", "", "带班领导报告分管领导，提请启动Ⅱ级响应并赶赴现场", 20),
        ("officer", "", "值班员核实信息，1小时内书面报告上级", 60),
        ("standby", "", "备勤人员到岗，开通视频会商", 30),
        ("department", "emergency", "市应急管理局分管负责人赶赴现场，组建现场指挥部", 60),
        ("department", "fire", "市消防救援支队调派救援力量", 30),
        ("department", "police", "市公安局警戒和交通管制", 30),
        ("department", "health", "市卫生健康委组织医疗救治", 60),
        ("department", "kind:government", "属地镇（街道）组织群众转移安置", 60),
    ],
    "3": [
        ("leader", "", "带班领导指导区县应急管理局开展处置", 30),
        ("officer", "", "值班员跟踪事态，每小时续报一次", 60),
        ("department", "kind:emergency", "属地应急管理局负责人赶赴现场，组织先期处置", 60),
        ("department", "kind:government", "属地镇（街道）主要负责人到场，组织疏散和警戒", 60),
        ("commander", "", "现场指挥部报告处置进展和需支援的力量物资", 120),
    ],
    "4": [
        ("leader", "", "带班领导掌握事态，指导属地处置", 60),
        ("officer", "", "值班员跟踪事态，处置结束后报送终报", None),
        ("department", "kind:government", "属地镇（街道）组织先期处置和信息报送", 60),
        ("department", "kind:emergency", "属地应急管理局派员到场指导", 120),
    ],
}

#: department key → {category or event type: duties}
DEPARTMENT_DUTIES = {
    "emergency": {
        "accident": "组织协调生产安全事故应急救援；指导现场指挥部工作；组织事故调查处理",
        "natural": "组织协调自然灾害应急救援和救灾工作；统一发布灾情；调拨救灾物资",
    },
    "police": {
        "accident": "现场警戒、交通管制和治安维护；协助组织群众疏散；控制事故责任人",
        "road_traffic": "道路交通事故现场勘查、交通管制和分流；组织破拆救援车辆通行保障",
        "natural": "灾区治安维护和交通疏导；协助转移群众",
    },
    "fire": {
        "accident": "承担火灾扑救和以抢救人员生命为主的综合应急救援",
        "hazmat": "危险化学品泄漏、火灾和爆炸事故的堵漏、灭火、洗消和人员搜救",
        "natural": "参与洪涝、台风等灾害的人员搜救和抢险",
    },
    "health": {
        "accident": "组织伤员紧急医学救援和转运救治，统计伤亡信息",
        "natural": "组织灾区医疗救治和卫生防疫",
    },
    "transport": {
        "road_traffic": "组织道路抢通、清障和应急运输保障",
        "typhoon": "组织船舶回港避风，保障应急运输",
    },
    "water": {"flood": "监测水情，调度水利工程，组织抢护堤防和排涝"},
    "housing": {
        "construction": "组织建筑施工事故抢险，提供工程机械和技术支持",
        "typhoon": "组织危房、临时工棚、建筑工地人员撤离和设施加固",
    },
    "ecology": {"hazmat": "开展环境应急监测，防控次生突发环境事件"},
    "market": {"special_equipment": "组织特种设备事故应急处置和技术调查"},
    "resources": {"geological": "组织地质灾害应急调查和监测，提出防范措施"},
}


def _by_type(key: str):
    from yingji.incidents.choices import CATEGORY_OF

    if key.startswith("*"):
        return key[1:], ""
    return CATEGORY_OF[key], key


def _departments():
    """(place code, department key) → department, from the demo catalogue's names."""
    from yingji.demo.catalogue import DEPARTMENT_TYPES
    from yingji.orgs.models import Department
    from yingji.places.models import Place

    places = {p.pk: p for p in Place.objects.filter(level__in=("city", "county")).defer("boundary")}
    out = {}
    names = {}
    for place in places.values():
        for dt in DEPARTMENT_TYPES:
            full = dt.city_name if (place.level == "city" and dt.city_name) else dt.name
            names[place.name + full] = (place, dt.key)
    for dept in Department.objects.filter(place_id__in=list(places), name__in=list(names)):
        place, key = names[dept.name]
        out[(place.code, key)] = dept
    return out, places


def load_demo(*, seed: int, counts) -> None:
    from yingji.incidents.models import DepartmentDuty, PlanDuty, ResponsePlan
    from yingji.places.models import Place

    city = Place.objects.filter(parent__isnull=True).defer("boundary").order_by("code").first()
    if city is None:
        return
    departments, places = _departments()
    source = "南通市突发事件总体应急预案及专项应急预案（演示）"
    plans, rows = [], []
    for key, (name, _cat, steps) in PLAN_TYPES.items():
        category, event_type = _by_type(key)
        for level, level_name in LEVEL_NAMES.items():
            plan = ResponsePlan(
                name=f"{name}{level_name}响应一图一表",
                place=city,
                category=category,
                event_type=event_type,
                level=level,
                steps="\n".join(steps),
                source=source,
            )
            plans.append(plan)
            for order, (role, dept, task, minutes) in enumerate(ROLE_ROWS[level], start=1):
                rows.append((plan, order, role, dept, task, minutes))
    ResponsePlan.objects.bulk_create(plans)
    record_bulk(plans)
    duties = []
    for plan, order, role, dept, task, minutes in rows:
        duty = PlanDuty(plan=plan, order=order, role=role, task=task, time_limit_minutes=minutes)
        if dept.startswith("kind:"):
            duty.department_kind = dept[5:]
        elif dept:
            duty.department = departments.get((city.code, dept))
            if duty.department is None:
                duty.department_kind = "emergency" if dept == "emergency" else "comprehensive"
        duties.append(duty)
    PlanDuty.objects.bulk_create(duties)
    record_bulk(duties)
    counts["response_plans"] = len(plans)
    counts["plan_duties"] = len(duties)

    from yingji.incidents.choices import CATEGORY_OF

    dept_duties = []
    for (_code, key), dept in sorted(departments.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        for what, text in DEPARTMENT_DUTIES.get(key, {}).items():
            category, event_type = (
                (what, "") if what in ("accident", "natural") else (CATEGORY_OF[what], what)
            )
            dept_duties.append(
                DepartmentDuty(
                    place=dept.place,
                    department=dept,
                    category=category,
                    event_type=event_type,
                    duties=text,
                    source="部门“三定”规定及专项应急预案（演示）",
                )
            )
    for category, text in (
        ("accident", "属地镇（街道）组织先期处置、群众疏散和信息报送，配合做好善后工作"),
        ("natural", "属地镇（街道）组织群众转移安置，开展灾情统计报送和生活救助"),
    ):
        dept_duties.append(
            DepartmentDuty(
                place=city,
                department_kind="government",
                category=category,
                duties=text,
                source="突发事件应对法（演示）",
            )
        )
    DepartmentDuty.objects.bulk_create(dept_duties)
    record_bulk(dept_duties)
    counts["department_duties"] = len(dept_duties)
    _incidents(city, counts)


def _incidents(city, counts) -> None:
    """Four past incidents through the services (system actor), times shifted into the past."""
    from yingji.framework.access import SYSTEM
    from yingji.incidents import services
    from yingji.incidents.models import Incident, IncidentChecklistItem, TimelineEntry
    from yingji.places.models import Place

    villages = list(
        Place.objects.filter(level="village", path__startswith=city.path)
        .defer("boundary")
        .order_by("code")[:40]
    )
    if not villages:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    specs = [
        # (village index, days ago, fields, level, statuses, ticks, review)
        (
            3,
            45,
            {
                "title": "某化工企业储罐区甲苯泄漏燃烧事故",
                "event_type": "hazmat",
                "deaths": 1,
                "serious_injuries": 3,
                "direct_loss_wan": Decimal("320"),
                "description": "储罐区输送管道法兰泄漏引发火灾，已扑灭。",
            },
            "4",
            ["recovery", "closed"],
            99,
            True,
        ),
        (
            11,
            12,
            {
                "title": "强降雨致低洼村组受淹",
                "event_type": "flood",
                "grade": "larger",
                "evacuated": 1260,
                "direct_loss_wan": Decimal("860"),
                "description": "24小时降雨量超过200毫米，多个村组进水。",
            },
            "3",
            ["recovery"],
            4,
            False,
        ),
        (
            19,
            1,
            {
                "title": "国道货车与客车相撞事故",
                "event_type": "road_traffic",
                "deaths": 3,
                "serious_injuries": 4,
                "minor_injuries": 6,
                "direct_loss_wan": Decimal("180"),
                "description": "货车与客车相撞，客车侧翻，交通中断。",
            },
            "3",
            [],
            2,
            False,
        ),
        (
            27,
            0,
            {
                "title": "某纺织企业仓库火灾",
                "event_type": "fire",
                "description": "仓库起火，消防已到场处置，暂无人员伤亡报告。",
            },
            "",
            [],
            0,
            False,
        ),
    ]
    created = 0
    for index, days, fields, level, statuses, ticks, review in specs:
        village = villages[index % len(villages)]
        occurred = now - datetime.timedelta(days=days, hours=2)
        incident = services.create_incident(
            actor=SYSTEM,
            place=village,
            longitude=village.centroid_lon,
            latitude=village.centroid_lat,
            address=f"{village.name}",
            occurred_at=occurred,
            received_at=occurred + datetime.timedelta(minutes=12),
            **fields,
        )
        if level:
            services.set_response_level(incident, level, actor=SYSTEM, note="研判后启动")
            for item in list(incident.checklist.all()[:ticks]):
                services.tick_checklist_item(item, actor=SYSTEM)
        services.add_note(incident, "成立现场指挥部，组织力量处置", actor=SYSTEM, decision=True)
        for status in statuses:
            services.change_status(incident, status, actor=SYSTEM)
        if review:
            services.save_review(
                incident,
                actor=SYSTEM,
                summary="泄漏后12分钟接报，启动Ⅳ级响应，2小时内扑灭明火，1人死亡3人重伤。",
                causes="法兰垫片老化未按期更换；巡检未发现渗漏。",
                went_well="消防和危化品救援队30分钟内到场；下风向群众及时疏散。",
                improvements="企业初期处置不规范，报警迟延；周边企业联动不足。",
                lessons="开展储罐区专项检查，完善企业应急预案并组织演练。",
                participants="市应急管理局、区应急管理局、消防救援大队、属地镇政府",
            )
        # spread the entries over the incident's real course instead of "now"
        entries = list(TimelineEntry.objects.filter(incident=incident).order_by("at", "pk"))
        start = incident.received_at
        step = datetime.timedelta(minutes=25 if days else 3)
        for i, entry in enumerate(entries):
            entry.at = min(start + i * step, now)
        TimelineEntry.objects.bulk_update(entries, ["at"])
        if level:  # the checklist was made and ticked "now": move it to the response's real time
            incident.refresh_from_db(fields=["responded_at"])
            back = incident.responded_at - (start + step)
            items = list(incident.checklist.all())
            for item in items:
                item.due_at = item.due_at - back if item.due_at else None
                item.done_at = item.done_at - back if item.done_at else None
            IncidentChecklistItem.objects.bulk_update(items, ["due_at", "done_at"])
        Incident.objects.filter(pk=incident.pk).update(
            responded_at=start + step if level else None,
            closed_at=(start + datetime.timedelta(days=3)) if "closed" in statuses else None,
        )
        created += 1
    counts["incidents"] = created


def remove_demo(counts: dict) -> None:
    from yingji.incidents.models import DepartmentDuty, Incident, ResponsePlan

    for key, model in (
        ("incidents", Incident),
        ("response_plans", ResponsePlan),
        ("department_duties", DepartmentDuty),
    ):
        qs = model.objects.all()
        counts[key] = qs.count()
        qs.delete()
