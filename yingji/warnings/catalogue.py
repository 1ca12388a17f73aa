"""The warning catalogue: which levels each type allows, the defence guidance per type and level, the
CAP category of each type, THE mapping of levels to CAP severity/urgency/certainty and the GB/T 35965.1
identifier rule. Data, not code: every table can be overridden from settings (``YINGJI_WARNINGS_*``)
because local variants exist (domain-facts §5: Beijing, Guangdong, Jiangsu have their own signal sets).

Sources: levels per meteorological signal — 《气象灾害预警信号发布与传播办法》(中国气象局令第16号) and its
annex 《气象灾害预警信号及防御指南》 (domain-facts §5; 霾 has red since the CMA 2013 revision). The guidance
texts summarise the essence of that annex in our own words; the non-meteorological guidance is a
platform default [U]. CAP enumerations: OASIS CAP 1.2 (domain-facts §7.1); colour → severity is the
commercial-feed convention Red→Extreme … Blue→Minor [P]; urgency and certainty are platform defaults [U].
Identifier: GB/T 35965.1-2018 Annex A ``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`` (domain-facts §7.2, [P]).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from yingji.warnings.choices import Level, WarningType

B, Y, O, R = Level.BLUE, Level.YELLOW, Level.ORANGE, Level.RED  # noqa: E741 (the four colours)
ALL_LEVELS = (B, Y, O, R)
#: Highest first is 红 (一级); the rank orders levels (blue 1 … red 4).
LEVEL_RANK = {B: 1, Y: 2, O: 3, R: 4}
#: Roman grade and CMA wording of each level (titles read "…橙色预警信号[II级/严重]").
LEVEL_GRADE = {B: ("IV", "一般"), Y: ("III", "较重"), O: ("II", "严重"), R: ("I", "特别严重")}

#: The 14 meteorological warning signals (中国气象局令第16号).
METEOROLOGICAL = (
    WarningType.TYPHOON,
    WarningType.RAINSTORM,
    WarningType.SNOWSTORM,
    WarningType.COLD_WAVE,
    WarningType.GALE,
    WarningType.SANDSTORM,
    WarningType.HEAT,
    WarningType.DROUGHT,
    WarningType.LIGHTNING,
    WarningType.HAIL,
    WarningType.FROST,
    WarningType.FOG,
    WarningType.HAZE,
    WarningType.ROAD_ICING,
)

_LEVELS = {
    WarningType.TYPHOON: ALL_LEVELS,
    WarningType.RAINSTORM: ALL_LEVELS,
    WarningType.SNOWSTORM: ALL_LEVELS,
    WarningType.COLD_WAVE: ALL_LEVELS,
    WarningType.GALE: ALL_LEVELS,
    WarningType.SANDSTORM: (Y, O, R),
    WarningType.HEAT: (Y, O, R),
    WarningType.DROUGHT: (O, R),
    WarningType.LIGHTNING: (Y, O, R),
    WarningType.HAIL: (O, R),
    WarningType.FROST: (B, Y, O),  # no red
    WarningType.FOG: (Y, O, R),
    WarningType.HAZE: (Y, O, R),  # red since the CMA 2013-01 revision
    WarningType.ROAD_ICING: (Y, O, R),
    # other warnings use the four statutory levels (突发事件应对法)
    WarningType.FLOOD: ALL_LEVELS,
    WarningType.GEOLOGICAL: ALL_LEVELS,
    WarningType.FOREST_FIRE: ALL_LEVELS,
    WarningType.MARINE: ALL_LEVELS,
    WarningType.ACCIDENT: ALL_LEVELS,
    WarningType.OTHER: ALL_LEVELS,
}

#: CAP 1.2 ``category`` of each type.
_CATEGORY = {
    **dict.fromkeys(METEOROLOGICAL, "Met"),
    WarningType.FLOOD: "Met",  # CAP: "Met - Meteorological (inc. flood)"
    WarningType.GEOLOGICAL: "Geo",  # "Geo - Geophysical (inc. landslide)"
    WarningType.FOREST_FIRE: "Fire",
    WarningType.MARINE: "Met",
    WarningType.ACCIDENT: "Safety",
    WarningType.OTHER: "Other",
}

#: National release-system event codes (11Bxx). Only the three seen in a real feed are listed (domain-facts
#: §5 [P]); the full list was not found [U]. Extend with ``YINGJI_WARNINGS_EVENT_CODES``.
_EVENT_CODES = {WarningType.LIGHTNING: "11B14", WarningType.HAIL: "11B15", WarningType.FOG: "11B17"}


@dataclass(frozen=True)
class CapLevel:
    severity: str
    urgency: str
    certainty: str


#: THE mapping of a level to CAP severity / urgency / certainty (the one table; docs/warnings.md).
#: severity: Red→Extreme, Orange→Severe, Yellow→Moderate, Blue→Minor [P]. urgency: red and orange call for
#: action now (Immediate), yellow and blue within the coming hours (Expected) [U]. certainty: a warning is
#: a forecast judged more likely than not (Likely, ≥50 %) [U].
_CAP_LEVELS = {
    R: CapLevel("Extreme", "Immediate", "Likely"),
    O: CapLevel("Severe", "Immediate", "Likely"),
    Y: CapLevel("Moderate", "Expected", "Likely"),
    B: CapLevel("Minor", "Expected", "Likely"),
}

#: CAP severities that do not come from our table, read on import: the nearest level.
_SEVERITY_FALLBACK = {"Unknown": B}

#: Identifier parts after the 6-digit GB/T 2260 code: 机构行业码 (GB/T 4657, 3 digits), internal code
#: (3 digits, default 000) and extension (2 digits, default 00). The bureau's GB/T 4657 code is not in
#: domain-facts [U]: set ``YINGJI_WARNINGS_ORG_CODE`` for the deployment.
ORG_CODE = "000"
UNIT_CODE = "000"
EXT_CODE = "00"


def _setting(name: str, default):
    return getattr(settings, f"YINGJI_WARNINGS_{name}", default)


def allowed_levels(warning_type: str) -> tuple[str, ...]:
    """The levels a type allows, lowest first."""
    table = {**_LEVELS, **_setting("LEVELS", {})}
    return tuple(table.get(warning_type, ()))


def level_allowed(warning_type: str, level: str) -> bool:
    return level in allowed_levels(warning_type)


def type_level_pairs() -> list[tuple[str, str]]:
    """Every (type, level) the catalogue allows."""
    return [(t, lv) for t in WarningType.values for lv in allowed_levels(t)]


def cap_category(warning_type: str) -> str:
    return {**_CATEGORY, **_setting("CAP_CATEGORIES", {})}.get(warning_type, "Other")


def event_code(warning_type: str) -> str:
    return {**_EVENT_CODES, **_setting("EVENT_CODES", {})}.get(warning_type, "")


def type_for_event_code(code: str) -> str | None:
    table = {**_EVENT_CODES, **_setting("EVENT_CODES", {})}
    return next((t for t, c in table.items() if c == code), None)


def cap_level(level: str) -> CapLevel:
    table = {**_CAP_LEVELS, **_setting("CAP_LEVELS", {})}
    return table[level]


def level_for_severity(severity: str) -> str | None:
    """The level whose CAP severity is ``severity`` (the mapping read backwards)."""
    table = {**_CAP_LEVELS, **_setting("CAP_LEVELS", {})}
    for level, cap in table.items():
        if cap.severity == severity:
            return level
    return _SEVERITY_FALLBACK.get(severity)


def type_for_event(text: str) -> str | None:
    """The type named in a CAP ``event`` text ("台风", "暴雨红色预警信号" …); longest label first."""
    text = text or ""
    labels = sorted(((str(label), code) for code, label in WarningType.choices), key=lambda p: -len(p[0]))
    for label, code in labels:
        if code != WarningType.OTHER and label in text:
            return code
    return None


def event_text(warning_type: str) -> str:
    return str(WarningType(warning_type).label)


def signal_title(warning_type: str, level: str) -> str:
    """A headline in the national style: "台风红色预警信号[I级/特别严重]" (meteorological), else "洪水红色预警"."""
    colour = str(Level(level).label).split("（")[0]
    grade, word = LEVEL_GRADE[level]
    if warning_type in METEOROLOGICAL:
        return f"{event_text(warning_type)}{colour}预警信号[{grade}级/{word}]"
    return f"{event_text(warning_type)}{colour}预警[{grade}级/{word}]"


# --- defence guidance ------------------------------------------------------------------------

_GUIDANCE = {
    WarningType.TYPHOON: {
        B: "政府及有关部门按职责做好防台风准备；停止露天集体活动和高空等户外危险作业；相关水域作业和过往船舶"
        "采取应对措施，加固港口设施；加固门窗、围板、棚架、广告牌等易被风吹动的搭建物，切断危险的室外电源。",
        Y: "做好防台风应急准备；停止室内外大型集会和高空等户外危险作业；相关水域作业和过往船舶回港避风；"
        "加固或拆除易被风吹动的搭建物；危房人员及时转移；台风眼经过时风力会暂时减小，切勿外出，继续在安全处避风。",
        O: "做好防台风抢险应急工作；停止室内外大型集会，停课、停业（特殊行业除外）；船舶回港避风，防止走锚、"
        "搁浅和碰撞；人员留在防风安全处；危险地带和危房居民转移；注意防范强降水引发的山洪、地质灾害。",
        R: "做好防台风应急和抢险工作；停止集会、停课、停业（特殊行业除外）；回港船舶妥善安排人员留守或转移到"
        "安全地带；人员待在防风安全处，不得外出；危险地带和危房居民全部转移；全力防范山洪、地质灾害和风暴潮。",
    },
    WarningType.RAINSTORM: {
        B: "做好防暴雨准备；学校、幼儿园采取措施保证学生和幼儿安全；驾驶人员注意道路积水和交通阻塞；"
        "检查城市、农田、鱼塘排水系统，做好排涝准备。",
        Y: "做好防暴雨工作；交通管理部门对强降雨路段实施管制，在积水路段引导交通；切断低洼地带有危险的室外电源，"
        "暂停空旷地方的户外作业，转移危险地带人员和危房居民；检查排水系统，采取排涝措施。",
        O: "做好防暴雨应急工作；切断有危险的室外电源，暂停户外作业；处于危险地带的单位停课、停业，保护已到校"
        "学生和在岗人员安全；做好城市、农田排涝，防范山洪、滑坡、泥石流等灾害。",
        R: "做好防暴雨应急和抢险工作；停止集会、停课、停业（特殊行业除外）；转移危险区域人员；"
        "做好山洪、滑坡、泥石流、城市内涝等灾害的防御和抢险工作。",
    },
    WarningType.SNOWSTORM: {
        B: "做好防雪灾和防冻害准备；交通、铁路、电力、通信等部门巡查维护线路，做好道路清扫和融雪；"
        "驾驶人员小心驾驶，行人防寒防滑；储备饲料，加固棚架等易被雪压的临时搭建物。",
        Y: "做好防雪灾和防冻害应急工作；有关部门加强巡查维护和道路清扫，疏导车辆；车辆采取防滑措施；"
        "加固棚架等易被雪压的临时搭建物，将户外牲畜赶入棚圈。",
        O: "做好防雪灾和防冻害应急和抢险工作；必要时关闭结冰道路交通；减少不必要的户外活动；"
        "加固棚架，做好牲畜防寒。",
        R: "做好防雪灾和防冻害应急和抢险工作；必要时停课、停业（特殊行业除外）；必要时机场暂停起降、"
        "火车暂停运行、高速公路暂时封闭；做好受灾群众救助。",
    },
    WarningType.COLD_WAVE: {
        B: "做好防寒潮准备；注意添衣保暖；对热带作物、水产品采取防护措施；做好防风准备。",
        Y: "做好防寒潮工作；注意添衣保暖，照顾好老、弱、病人；对牲畜、家禽、水产品和农作物采取防寒措施；做好防风工作。",
        O: "做好防寒潮应急工作；注意防寒保暖；农业、水产业、畜牧业积极采取防霜冻、冰冻措施，减少损失；做好防风工作。",
        R: "做好防寒潮应急和抢险工作；注意防寒保暖，关注困难群众和露宿人员；农业、水产业、畜牧业全力防冻；"
        "做好防风和水管、道路防冻工作。",
    },
    WarningType.GALE: {
        B: "做好防大风工作；关好门窗，加固围板、棚架、广告牌等搭建物，妥善安置室外物品；相关水域船舶回港避风"
        "或绕道航行；行人不要在广告牌、临时搭建物下逗留；注意森林、草原防火。",
        Y: "做好防大风工作；停止露天活动和高空等户外危险作业；危险地带人员和危房居民转到避风场所；"
        "船舶采取应对措施，加固港口设施；切断户外危险电源；注意森林、草原防火。",
        O: "做好防大风应急工作；抗风能力弱的中小学校和单位停课、停业，人员减少外出；船舶回港避风；"
        "机场、铁路、高速公路、水上交通采取保障安全措施；注意森林、草原防火。",
        R: "做好防大风应急和抢险工作；人员尽可能留在防风安全处，不要随意外出；回港船舶妥善安排人员留守或转移；"
        "切断危险电源；机场、铁路、高速公路、水上交通采取保障安全措施；注意森林、草原防火。",
    },
    WarningType.SANDSTORM: {
        Y: "做好防御沙尘暴工作；关好门窗，加固易被风吹动的搭建物，密封精密仪器；外出佩戴口罩、纱巾等防尘用品；"
        "呼吸道疾病患者和对风沙敏感人员不要到室外活动。",
        O: "做好防御沙尘暴应急工作；停止露天活动和高空、水上等户外危险作业；机场、铁路、高速公路做好交通安全防护，"
        "驾驶人员小心驾驶；户外人员戴好防尘用品。",
        R: "做好防御沙尘暴应急抢险工作；人员留在防风、防尘的地方，不要在户外活动；学校、幼儿园推迟上学或放学；"
        "必要时机场暂停起降、火车暂停运行、高速公路暂时封闭。",
    },
    WarningType.HEAT: {
        Y: "做好防暑降温准备；午后尽量减少户外活动；为老、弱、病、幼人群提供防暑指导；"
        "高温条件下和长时间露天作业的人员采取防护措施。",
        O: "落实防暑降温保障措施；高温时段避免户外活动，高温作业人员缩短连续工作时间；保护老、弱、病、幼人群；"
        "防范用电负荷过大引发的火灾。",
        R: "采取防暑降温应急措施；停止户外露天作业（特殊行业除外）；对老、弱、病、幼人群采取保护措施；"
        "有关部门和单位特别注意防火和电力保障。",
    },
    WarningType.DROUGHT: {
        O: "做好防御干旱应急工作；启动应急供水方案，采取调水、打井、送水等手段保障城乡居民生活和牲畜饮水；"
        "压减城镇供水指标，限制非生产性高耗水和大量农业灌溉用水；适时开展人工增雨。",
        R: "做好防御干旱的应急和救灾工作；启动远距离调水等应急供水方案，确保城乡居民生活和牲畜饮水；"
        "限时或限量供应居民生活用水，缩小或阶段性停止农业灌溉供水；严禁非生产性高耗水；加大人工增雨力度。",
    },
    WarningType.LIGHTNING: {
        Y: "做好防雷工作；密切关注天气，尽量避免户外活动。",
        O: "落实防雷应急措施；人员留在室内并关好门窗；户外人员躲入有防雷设施的建筑物或汽车内；切断危险电源；"
        "不要在树下、电杆下、塔吊下避雨；空旷场地不要打伞，不要扛金属农具或球拍。",
        R: "做好防雷应急抢险工作；人员躲入有防雷设施的建筑物或汽车内并关好门窗；远离天线、水管、铁丝网、"
        "金属门窗和电线等带电设备；不使用无防雷装置的电器；密切关注雷电预警信息。",
    },
    WarningType.HAIL: {
        O: "做好防冰雹应急工作；适时开展人工防雹作业；户外行人立即到安全处暂避；将家禽、牲畜赶入有顶棚的场所，"
        "妥善保护汽车等室外物品；注意防御伴随的雷电灾害。",
        R: "做好防冰雹应急和抢险工作；适时开展人工防雹作业；户外行人立即到安全处暂避；将家禽、牲畜赶入有顶棚的"
        "场所，保护室外物品和设备；注意防御伴随的雷电、大风灾害。",
    },
    WarningType.FROST: {
        B: "做好防霜冻准备；农村基层组织和农户关注霜冻预警信息；对农作物、蔬菜、花卉、瓜果和林业育种采取防护措施。",
        Y: "做好防霜冻应急工作；农村基层组织发动群众防灾抗灾；对农作物、林业育种采取田间灌溉等防冻措施；"
        "对蔬菜、花卉、瓜果采取覆盖、喷洒防冻液等措施。",
        O: "做好防霜冻应急工作；农村基层组织广泛发动群众防灾抗灾；对农作物、蔬菜、花卉、瓜果和林业育种采取"
        "积极的防冻措施，尽量减少损失。",
    },
    WarningType.FOG: {
        Y: "做好防雾准备；机场、高速公路、轮渡码头加强交通管理；驾驶人员注意雾的变化，小心驾驶；户外活动注意安全。",
        O: "做好防雾工作；机场、高速公路、轮渡码头加强调度指挥；驾驶人员严格控制车、船速度；减少户外活动。",
        R: "做好防雾应急工作；有关单位适时采取交通管制，如机场暂停起降、高速公路暂时封闭、轮渡暂时停航；"
        "驾驶人员尽快就近在安全区域停靠；不要进行户外活动。",
    },
    WarningType.HAZE: {
        Y: "驾驶人员小心驾驶；空气质量明显降低，人员适当防护；呼吸道疾病患者尽量减少外出，外出时戴口罩。",
        O: "政府及有关部门按职责控制污染物排放；人员适当防护，呼吸道疾病患者尽量避免外出；"
        "机场、高速公路、轮渡码头加强交通管理；驾驶人员谨慎驾驶。",
        R: "政府及有关部门按职责采取措施控制污染物排放；中小学、幼儿园停止户外活动；老人、儿童和呼吸系统疾病患者"
        "留在室内；加强交通管理，驾驶人员谨慎驾驶。",
    },
    WarningType.ROAD_ICING: {
        Y: "交通、公安等部门做好道路结冰应对准备；驾驶人员注意路况，安全行驶；行人少骑自行车，注意防滑。",
        O: "交通、公安等部门做好道路结冰应急工作；驾驶人员采取防滑措施，听从指挥，慢速驾驶；行人出门注意防滑。",
        R: "交通、公安等部门做好道路结冰应急和抢险工作；注意指挥和疏导车辆，必要时关闭结冰道路交通；"
        "人员尽量减少外出。",
    },
    WarningType.FLOOD: {
        B: "水利部门加强水情监测，做好防汛准备；沿河、低洼地区群众注意水位变化，远离河道。",
        Y: "防汛责任人上岗到位，巡查堤防、水库、涵闸；停止河道内作业，转移滩地、低洼处人员和物资。",
        O: "启动防汛应急响应，抢险队伍和物资前置；组织危险区域群众转移；学校、企业视情停课、停业。",
        R: "全力防汛抢险，必要时采取分洪、滞洪措施；危险区域人员全部转移到安全地带；停止集会、停课、停业（特殊行业除外）。",
    },
    WarningType.GEOLOGICAL: {
        B: "加强地质灾害隐患点巡查监测，群测群防员上岗；雨天避免在山坡、沟谷停留。",
        Y: "加密隐患点巡查，受威胁群众做好转移准备；暂停危险区域施工作业。",
        O: "组织受威胁群众撤离隐患区；封闭危险路段；专业抢险队伍待命。",
        R: "立即转移全部受威胁人员，封锁危险区域，严禁人员进入；全力做好抢险救援。",
    },
    WarningType.FOREST_FIRE: {
        B: "加强林区巡护，严格野外用火管理。",
        Y: "禁止野外用火，加强入山检查，扑火队伍做好准备。",
        O: "全面禁止野外用火，视情关闭林区景点，扑火队伍靠前驻防。",
        R: "实行最严格的防火管控，关闭林区，严禁人员进入；扑火队伍和装备处于临战状态。",
    },
    WarningType.MARINE: {
        B: "海上作业船只注意海况，做好回港准备；加固港口设施。",
        Y: "海上作业船只回港避风，停止海上养殖作业，沿海游乐场所停止营业。",
        O: "船只全部回港，加固海堤和养殖设施，转移海上和滩涂作业人员。",
        R: "停止一切海上活动，沿海低洼地区人员转移，全力做好防潮抢险。",
    },
    WarningType.ACCIDENT: {
        B: "有关单位加强监测和巡查，做好应急准备。",
        Y: "有关企业和部门启动应急预案，疏散无关人员，控制事态扩大。",
        O: "划定警戒区域，疏散周边群众，专业救援力量赶赴现场。",
        R: "启动最高级别应急响应，扩大疏散范围，周边群众按指令转移，封闭影响区域道路。",
    },
    WarningType.OTHER: {
        B: "关注事态发展，做好应急准备。",
        Y: "有关部门加强值守和监测，做好处置准备。",
        O: "启动应急响应，做好人员防护和转移准备。",
        R: "全力应对，按当地政府指令采取避险措施。",
    },
}


def guidance(warning_type: str, level: str) -> str:
    """The defence guidance (防御指南) for a type and level ("" when the type does not allow the level)."""
    table = _setting("GUIDANCE", {})
    return table.get(warning_type, {}).get(level) or _GUIDANCE.get(warning_type, {}).get(level, "")


def catalogue_json() -> dict:
    """What the compose page needs: allowed levels and guidance per type."""
    return {
        t: {"levels": list(allowed_levels(t)), "guidance": {lv: guidance(t, lv) for lv in allowed_levels(t)}}
        for t in WarningType.values
    }


# --- identifiers -------------------------------------------------------------------------------


def issuer_code(place) -> str:
    """``ZZZZZZDDDUUUXX``: the 6-digit GB/T 2260 code of the issuing place, the 机构行业码, the internal
    code and the extension."""
    return (
        place.code[:6]
        + _setting("ORG_CODE", ORG_CODE)
        + _setting("UNIT_CODE", UNIT_CODE)
        + _setting("EXT_CODE", EXT_CODE)
    )


def make_identifier(place, at: dt.datetime, n: int) -> str:
    """``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`` (31 characters, Beijing time)."""
    stamp = timezone.localtime(at, timezone.get_fixed_timezone(8 * 60)).strftime("%Y%m%d%H%M%S")
    return f"{issuer_code(place)}_{stamp}_{n}"


def new_identifier(place, at: dt.datetime | None = None) -> str:
    """A free identifier for a warning issued for ``place`` at ``at``: the sequence digit N counts 0–9
    within one second; when all ten are taken the next second is used."""
    from yingji.warnings.models import Warning

    at = (at or timezone.now()).replace(microsecond=0)
    for _ in range(3600):
        prefix = make_identifier(place, at, 0)[:-1]
        used = set(Warning.objects.filter(identifier__startswith=prefix).values_list("identifier", flat=True))
        for n in range(10):
            candidate = f"{prefix}{n}"
            if candidate not in used:
                return candidate
        at += dt.timedelta(seconds=1)
    raise RuntimeError("no free warning identifier")
