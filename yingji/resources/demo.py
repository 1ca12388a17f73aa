"""Demo census of the rescue resources: teams with members, experts, equipment and shelters.

Deterministic (``random.Random(f"{seed}-resources")``, places in code order), bulk-written and
audited with ``record_bulk``. Sizes follow the region: every county has a fire brigade with its
stations, professional teams, social forces and a militia company; every town a 基层 team; every
fifth village a village team; 248 shelters (南通市 evaluated 248 shelters, seed 003) of the three
GB 51143 types.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from yingji.audit.services import record_bulk
from yingji.orgs.models import Department
from yingji.places.models import Place
from yingji.resources.models import Equipment, Expert, Shelter, Team, TeamMember

N_SHELTERS = 248
N_EXPERTS = 100

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志文斌波辉红玉兰鹏飞宇浩凯健俊峰晨"

CITY_TEAMS = [
    (
        "消防救援支队特勤大队",
        "comprehensive",
        "",
        "fire",
        120,
        ["firefighting", "search_rescue", "high_angle", "hazchem"],
    ),
    ("危险化学品专业应急救援队", "professional", "hazchem", "emergency", 60, ["hazchem", "firefighting"]),
    ("水上搜救队", "professional", "water", "transport", 40, ["water_rescue", "search_rescue"]),
    ("电力应急抢修队", "professional", "power", "", 80, ["power_repair", "logistics"]),
    ("燃气抢险队", "professional", "gas", "housing", 45, ["gas_repair"]),
    ("应急通信保障队", "professional", "communications", "", 30, ["communications", "drone"]),
    ("紧急医学救援队", "professional", "medical", "health", 50, ["medical"]),
    ("建筑工程抢险队", "professional", "construction", "housing", 70, ["heavy_machinery", "search_rescue"]),
    ("蓝天救援队", "social", "", "", 90, ["search_rescue", "water_rescue", "drone"]),
    ("红十字救援队", "social", "", "", 40, ["medical", "logistics"]),
    ("武警支队机动中队", "military", "", "", 150, ["search_rescue", "flood_control", "logistics"]),
    ("军分区民兵应急营", "military", "", "", 200, ["flood_control", "logistics"]),
]
COUNTY_TEAMS = [
    ("防汛抗旱抢险队", "professional", "flood", "water", 50, ["flood_control", "heavy_machinery"]),
    ("危化品应急救援队", "professional", "hazchem", "emergency", 30, ["hazchem"]),
    ("电力抢修队", "professional", "power", "", 40, ["power_repair"]),
    ("燃气抢修队", "professional", "gas", "housing", 25, ["gas_repair"]),
    ("医疗救护队", "professional", "medical", "health", 30, ["medical"]),
    ("交通运输保障队", "professional", "transport", "transport", 35, ["logistics", "heavy_machinery"]),
    ("应急志愿者服务队", "social", "", "", 60, ["search_rescue", "logistics"]),
    ("人武部民兵应急连", "military", "", "", 100, ["flood_control", "logistics"]),
]
DEPT_MATCH = {
    "fire": "消防救援",
    "emergency": "应急管理局",
    "water": "水利局",
    "housing": "住房和城乡建设局",
    "health": "卫生健康委员会",
    "transport": "交通运输局",
}
EQUIPMENT_FOR = {
    "comprehensive": [
        ("fire_engine", "水罐消防车", "辆"),
        ("life_detector", "音视频生命探测仪", "台"),
        ("drone", "侦察无人机", "架"),
    ],
    "hazchem": [("gas_detector", "有毒气体检测仪", "台"), ("fire_engine", "泡沫消防车", "辆")],
    "flood": [
        ("pump_truck", "大流量排涝泵车", "辆"),
        ("boat", "冲锋舟", "艘"),
        ("generator", "移动发电机", "台"),
    ],
    "water": [("boat", "冲锋舟", "艘")],
    "power": [("generator", "应急发电车", "辆"), ("lighting", "照明灯塔", "台")],
    "gas": [("gas_detector", "燃气检漏仪", "台")],
    "communications": [
        ("comm_vehicle", "卫星通信指挥车", "辆"),
        ("satellite_phone", "卫星电话", "部"),
        ("drone", "中继无人机", "架"),
    ],
    "medical": [("ambulance", "负压救护车", "辆")],
    "construction": [("excavator", "挖掘机", "台"), ("crane", "汽车吊", "台")],
    "transport": [("excavator", "装载机", "台")],
    "social": [("boat", "橡皮艇", "艘"), ("drone", "航拍无人机", "架")],
    "military": [("boat", "冲锋舟", "艘"), ("generator", "发电机", "台")],
    "grassroots": [("pump", "抽水泵", "台"), ("generator", "小型发电机", "台")],
}
EXPERT_ORGS = [
    ("应急管理科学研究院", ["hazchem", "emergency_management"]),
    ("化工设计院", ["hazchem"]),
    ("大学化工学院", ["hazchem", "industry_trade"]),
    ("建筑设计研究院", ["construction"]),
    ("特种设备检验研究院", ["special_equipment"]),
    ("供电公司", ["power"]),
    ("燃气集团", ["gas"]),
    ("水利勘测设计院", ["flood"]),
    ("气象台", ["meteorology"]),
    ("地质工程勘察院", ["geology", "earthquake"]),
    ("消防救援支队", ["fire"]),
    ("第一人民医院", ["medical"]),
    ("交通运输综合执法支队", ["transport"]),
]
TITLES = ["senior", "associate", "associate", "intermediate"]
FACILITIES = [
    "water",
    "power",
    "toilets",
    "medical",
    "broadcast",
    "firefighting",
    "storage",
    "cooking",
    "waste",
    "lighting",
    "signage",
    "accessible",
    "command",
]
SHELTER_SITES = ["公园", "广场", "中学操场", "小学操场", "体育馆", "文化中心", "绿地", "人防工程"]


def _mobile(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _near(rng, place, spread: float) -> tuple[float | None, float | None]:
    if place["lon"] is None:
        return None, None
    return (
        round(place["lon"] + rng.uniform(-spread, spread), 6),
        round(place["lat"] + rng.uniform(-spread, spread), 6),
    )


def load_demo(*, seed: int, counts) -> None:
    from yingji.resources.nearest import resources_changed

    rng = random.Random(f"{seed}-resources")
    places = [
        {"pk": pk, "code": code, "name": name, "level": level, "parent": parent, "lon": lon, "lat": lat}
        for pk, code, name, level, parent, lon, lat in Place.objects.order_by("code").values_list(
            "pk", "code", "name", "level", "parent_id", "centroid_lon", "centroid_lat"
        )
    ]
    if not places:
        return
    by_level: dict[str, list[dict]] = {"city": [], "county": [], "town": [], "village": []}
    for p in places:
        by_level[p["level"]].append(p)
    # unsaved stand-ins carrying the fields the change log reads, so that it needs no query per row
    stubs = {p["pk"]: Place(pk=p["pk"], code=p["code"], name=p["name"], level=p["level"]) for p in places}
    depts: dict[tuple[int, str], int] = {}
    for pk, name, place_id in Department.objects.order_by("pk").values_list("pk", "name", "place_id"):
        for key, fragment in DEPT_MATCH.items():
            if fragment in name:
                depts.setdefault((place_id, key), pk)

    teams: list[Team] = []

    def team(place, name, kind, specialty, dept_key, heads, caps, spread=0.01):
        lon, lat = _near(rng, place, spread)
        teams.append(
            Team(
                name=name,
                kind=kind,
                specialty=specialty,
                owner_department_id=depts.get((place["pk"], dept_key)) if dept_key else None,
                owner_name="" if dept_key else ("国网供电公司" if specialty == "power" else ""),
                place=stubs[place["pk"]],
                address=f"{place['name']}应急路{rng.randint(1, 300)}号",
                longitude=lon,
                latitude=lat,
                headcount=max(3, heads + rng.randint(-heads // 5, heads // 5)),
                capabilities=caps,
                readiness=rng.choices(["standby", "deployed", "resting"], weights=[85, 5, 10])[0],
                duty_name=_name(rng),
                duty_mobile=_mobile(rng),
            )
        )

    for city in by_level["city"]:
        for name, kind, spec, dept, heads, caps in CITY_TEAMS:
            team(city, city["name"] + name, kind, spec, dept, heads, caps)
    for county in by_level["county"]:
        team(county, county["name"] + "消防救援大队", "comprehensive", "", "fire", 60, EQUIPMENT_CAPS)
        for k in range(rng.randint(3, 5)):
            team(
                county,
                f"{county['name']}第{k + 1}消防救援站",
                "comprehensive",
                "",
                "fire",
                30,
                EQUIPMENT_CAPS,
                0.06,
            )
        for name, kind, spec, dept, heads, caps in COUNTY_TEAMS:
            team(county, county["name"] + name, kind, spec, dept, heads, caps, 0.04)
    for town in by_level["town"]:
        team(
            town,
            town["name"] + "综合应急救援队",
            "grassroots",
            "",
            "",
            25,
            ["search_rescue", "flood_control"],
            0.005,
        )
    for i, village in enumerate(by_level["village"]):
        if i % 5 == 0:
            team(village, village["name"] + "应急小分队", "grassroots", "", "", 8, ["flood_control"], 0.002)
    Team.objects.bulk_create(teams, batch_size=1000)
    record_bulk(teams)

    today = timezone.localdate()
    members, equipment = [], []
    for t in teams:
        n = 3 if t.headcount <= 10 else rng.randint(4, 8)
        for k in range(n):
            certified = rng.random() < 0.7
            members.append(
                TeamMember(
                    team=t,
                    name=_name(rng),
                    position="队长" if k == 0 else ("副队长" if k == 1 else "队员"),
                    qualifications=rng.choice(
                        ["应急救援员", "消防员", "救生员", "急救员", "无人机驾驶员", "电工"]
                    ),
                    certificate_no=f"YJ{rng.randint(10**8, 10**9 - 1)}" if certified else "",
                    certificate_expiry=today + datetime.timedelta(days=rng.randint(-60, 1100))
                    if certified
                    else None,
                    mobile=_mobile(rng),
                )
            )
        key = t.specialty or t.kind
        for kind, label, unit in EQUIPMENT_FOR.get(key, EQUIPMENT_FOR.get(t.kind, []))[: rng.randint(1, 3)]:
            equipment.append(
                Equipment(
                    name=label,
                    kind=kind,
                    quantity=rng.randint(1, 6),
                    unit=unit,
                    owner_kind="team",
                    owner_team=t,
                    owner_department_id=t.owner_department_id,
                    owner_name=t.name,
                    shared=t.kind == "social",
                    place=t.place,
                    longitude=t.longitude,
                    latitude=t.latitude,
                    status=rng.choices(["available", "in_use", "maintenance"], weights=[88, 4, 8])[0],
                    contact_name=t.duty_name,
                    contact_mobile=t.duty_mobile,
                )
            )
    for county in by_level["county"]:
        for kind, label, unit, owner_kind, owner in [
            ("drone", "应急测绘无人机", "架", "government", "应急管理局"),
            ("comm_vehicle", "应急通信指挥车", "辆", "government", "应急管理局"),
            ("pump_truck", "龙吸水排涝车", "辆", "enterprise", "市政工程公司"),
            ("excavator", "履带式挖掘机", "台", "social", "工程机械协会（共享）"),
        ]:
            lon, lat = _near(rng, county, 0.03)
            equipment.append(
                Equipment(
                    name=label,
                    kind=kind,
                    quantity=rng.randint(1, 4),
                    unit=unit,
                    owner_kind=owner_kind,
                    owner_department_id=depts.get((county["pk"], "emergency"))
                    if owner_kind == "government"
                    else None,
                    owner_name=county["name"] + owner,
                    shared=owner_kind in ("enterprise", "social"),
                    place_id=county["pk"],
                    longitude=lon,
                    latitude=lat,
                    contact_name=_name(rng),
                    contact_mobile=_mobile(rng),
                )
            )
    TeamMember.objects.bulk_create(members, batch_size=2000)
    Equipment.objects.bulk_create(equipment, batch_size=2000)
    record_bulk(members)
    record_bulk(equipment)

    experts = []
    seats = by_level["city"] + by_level["county"]
    for i in range(N_EXPERTS):
        place = (
            seats[0]
            if i < N_EXPERTS // 3
            else seats[1 + i % max(len(seats) - 1, 1)]
            if len(seats) > 1
            else seats[0]
        )
        org, fields = EXPERT_ORGS[i % len(EXPERT_ORGS)]
        lon, lat = _near(rng, place, 0.02)
        experts.append(
            Expert(
                name=_name(rng),
                specialties=fields[: rng.randint(1, len(fields))],
                title=rng.choice(TITLES),
                organisation=place["name"] + org,
                position=rng.choice(["总工程师", "主任", "高级工程师", "副院长", "科长"]),
                place_id=place["pk"],
                address=f"{place['name']}学府路{rng.randint(1, 200)}号",
                longitude=lon,
                latitude=lat,
                mobile=_mobile(rng),
                availability=rng.choices(["available", "busy"], weights=[90, 10])[0],
            )
        )
    Expert.objects.bulk_create(experts)
    record_bulk(experts)

    shelters = []
    towns = by_level["town"]
    villages = by_level["village"]
    for county in by_level["county"]:
        shelters.append(_shelter(rng, county, "central", "", "county", today))
    while len(shelters) < N_SHELTERS and (towns or villages):
        i = len(shelters)
        if i % 3 != 2 and towns:
            town = towns[(i * 7) % len(towns)]
            shelters.append(
                _shelter(rng, town, "fixed", rng.choice(["short", "short", "medium", "long"]), "town", today)
            )
        elif villages:
            village = villages[(i * 13) % len(villages)]
            shelters.append(_shelter(rng, village, "emergency", "", "village", today))
    Shelter.objects.bulk_create(shelters, batch_size=1000)
    record_bulk(shelters)
    resources_changed()
    counts["teams"] = len(teams)
    counts["team_members"] = len(members)
    counts["experts"] = len(experts)
    counts["equipment"] = len(equipment)
    counts["shelters"] = len(shelters)


EQUIPMENT_CAPS = ["firefighting", "search_rescue", "high_angle"]
_PER_CAPITA = {
    "emergency": (1.0, 1.6),
    "short": (2.1, 3.0),
    "medium": (3.0, 4.0),
    "long": (4.5, 6.0),
    "central": (4.5, 6.0),
}
_AREA = {"emergency": (2000, 15000), "fixed": (10000, 80000), "central": (100000, 300000)}


def _shelter(rng, place, stype, period, grade, today) -> Shelter:
    area = Decimal(rng.randint(*_AREA[stype]))
    low, high = _PER_CAPITA[period or stype]
    capacity = max(1, int(area / Decimal(str(round(rng.uniform(low, high), 2)))))
    site = rng.choice(SHELTER_SITES)
    lon, lat = _near(rng, place, 0.004 if grade == "village" else 0.01)
    evaluation = rng.choices(["qualified", "improve", "not_evaluated"], weights=[70, 20, 10])[0]
    return Shelter(
        name=f"{place['name']}{site}{'中心' if stype == 'central' else ''}避难场所",
        code=f"BN{place['code'][:9]}{rng.randint(100, 999)}",
        shelter_type=stype,
        fixed_period=period,
        space_type="indoor" if site in ("体育馆", "文化中心", "人防工程") else "outdoor",
        grade=grade,
        place_id=place["pk"],
        address=f"{place['name']}{site}",
        longitude=lon,
        latitude=lat,
        effective_area_m2=area,
        capacity=capacity,
        facilities=sorted(rng.sample(FACILITIES, rng.randint(4, len(FACILITIES))), key=FACILITIES.index),
        keeper_name=_name(rng),
        keeper_mobile=_mobile(rng),
        evaluation=evaluation,
        evaluated_on=None
        if evaluation == "not_evaluated"
        else today - datetime.timedelta(days=rng.randint(30, 700)),
    )


def remove_demo(counts: dict) -> None:
    """Delete every resource row (they all stand on the demo region), audited as bulk deletes;
    members and equipment before the teams they point to."""
    from yingji.audit.choices import ChangeAction
    from yingji.resources.nearest import resources_changed

    for key, model, related in (
        ("team_members", TeamMember, ("team__place",)),
        ("equipment", Equipment, ("place",)),
        ("teams", Team, ("place",)),
        ("experts", Expert, ("place",)),
        ("shelters", Shelter, ("place",)),
    ):
        qs = model.objects.select_related(*related).defer(*(f"{r}__boundary" for r in related)).order_by("pk")
        objs = list(qs)
        for i in range(0, len(objs), 2000):
            record_bulk(objs[i : i + 2000], ChangeAction.DELETE)
        model.objects.all()._raw_delete(model.objects.db)
        counts[key] = len(objs)
    resources_changed()
