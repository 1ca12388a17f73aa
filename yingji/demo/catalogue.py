"""Static tables of the demo city generator (pure data, no Django).

Everything here is synthetic demo material written for Yingji: the departments' duty lists paraphrase
the "三管三必须" principle (管行业必须管安全、管业务必须管安全、管生产经营必须管安全, 《安全生产法》第三条)
in the usual wording of local 职责清单, but they are not an official document; the 13 专委会 names are
plausible demo names (seed 000 only says "13 个专委会"). Name pools, roads and 字号 are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------------------
# Departments (F2): one of each at the city and in every county; ``kind`` is a DepartmentKind code.
# Exactly one department per place has kind "emergency" (the 应急管理局), so other modules may look
# up "the emergency department of this place" with a get().


@dataclass(frozen=True)
class DepartmentType:
    key: str
    name: str  # full name after the place name, e.g. "应急管理局"
    short: str  # 简称 without the level prefix, e.g. "应急局"
    kind: str
    duties: tuple[str, ...]
    city_name: str | None = None  # a different name at the city level (消防救援支队 / 大队)


DEPARTMENT_TYPES: tuple[DepartmentType, ...] = (
    DepartmentType(
        "emergency",
        "应急管理局",
        "应急局",
        "emergency",
        (
            "依法对本级安全生产工作实施综合监督管理，承担安委会办公室日常工作，组织安全生产巡查、督导和考核。",
            "负责危险化学品、非煤矿山、烟花爆竹和工贸行业安全生产监督管理，组织重大危险源监测预警。",
            "组织实施安全生产分类分级执法、“双随机”检查和非现场执法，依法查处安全生产违法行为。",
            "指导协调生产安全事故应急救援，依法组织生产安全事故调查处理，监督事故查处和责任追究落实。",
            "指导行业主管部门和镇（街道）开展风险分级管控和隐患排查治理双重预防机制建设。",
        ),
    ),
    DepartmentType(
        "development",
        "发展和改革委员会",
        "发展改革委",
        "comprehensive",
        (
            "将安全生产和防灾减灾纳入国民经济和社会发展规划，统筹安排安全生产重大项目和投资。",
            "负责电力行业（含新能源发电）和石油天然气长输管道保护的行业安全管理。",
            "在固定资产投资项目审批、核准和备案中落实安全设施“三同时”有关要求。",
            "负责粮食和物资储备安全管理，督促粮食仓储企业落实安全生产主体责任。",
        ),
    ),
    DepartmentType(
        "industry",
        "工业和信息化局",
        "工信局",
        "industry",
        (
            "按照“管行业必须管安全”要求，负责工业企业（危险化学品生产企业除外）安全生产的行业管理。",
            "将安全生产纳入工业行业规划和产业政策，推动淘汰落后工艺、技术和装备，支持安全技术改造。",
            "组织指导船舶修造、民用爆炸物品生产等行业安全生产工作，配合开展化工产业安全整治提升。",
            "督促工业园区和“厂中厂”出租方、承租方落实安全管理责任。",
        ),
    ),
    DepartmentType(
        "police",
        "公安局",
        "公安局",
        "comprehensive",
        (
            "负责道路交通安全管理，依法查处道路交通安全违法行为，组织道路交通事故处理。",
            "负责民用爆炸物品、剧毒化学品购买和道路运输通行以及烟花爆竹运输的公共安全管理。",
            "负责大型群众性活动安全管理，指导重点单位和人员密集场所的治安保卫工作。",
            "依法侦办涉及安全生产的刑事案件，落实安全生产行政执法与刑事司法衔接工作。",
        ),
    ),
    DepartmentType(
        "housing",
        "住房和城乡建设局",
        "住建局",
        "industry",
        (
            "负责房屋建筑和市政基础设施工程施工安全监督管理，严防高处坠落、坍塌、起重伤害等事故。",
            "负责城镇燃气行业安全管理，督促燃气经营企业和非居民用户落实安全责任。",
            "负责深基坑、高支模、建筑起重机械等危险性较大的分部分项工程安全监管。",
            "负责既有房屋使用安全和经营性自建房安全隐患排查整治的行业指导。",
        ),
    ),
    DepartmentType(
        "transport",
        "交通运输局",
        "交通局",
        "industry",
        (
            "负责道路运输、水路运输和港口行业安全生产监督管理，督促运输企业落实主体责任。",
            "负责危险货物道路运输企业、车辆和从业人员的资质管理和动态监控。",
            "负责公路、水运工程建设施工安全监督管理。",
            "负责城市公共交通、出租汽车和机动车维修、驾驶员培训机构的安全监管。",
        ),
    ),
    DepartmentType(
        "water",
        "水利局",
        "水利局",
        "industry",
        (
            "负责水利工程建设和运行安全监督管理，组织水闸、堤防等水利工程安全鉴定。",
            "承担水旱灾害防御的组织、协调和指导工作，编制洪水干旱防御预案并组织实施。",
            "负责河道采砂和水利工程管理范围内涉河建设项目的安全监管。",
        ),
    ),
    DepartmentType(
        "agriculture",
        "农业农村局",
        "农业农村局",
        "industry",
        (
            "负责农业机械、渔业船舶和渔港安全生产监督管理。",
            "负责农药、兽药经营使用环节和农村沼气设施的安全监管。",
            "指导农产品加工企业、规模养殖场和农村经营性用房安全生产工作。",
            "组织农业防灾减灾，指导农业生产救灾和灾后恢复。",
        ),
    ),
    DepartmentType(
        "commerce",
        "商务局",
        "商务局",
        "industry",
        (
            "负责商贸流通行业安全生产管理，指导商场、超市、市场等人员密集场所落实安全责任。",
            "负责成品油流通行业管理，配合做好加油站安全监管。",
            "负责餐饮、住宿、家政等生活服务业的行业安全指导，督促餐饮场所规范使用燃气。",
            "负责报废机动车回收拆解行业安全监管。",
        ),
    ),
    DepartmentType(
        "culture",
        "文化广电和旅游局",
        "文广旅局",
        "industry",
        (
            "负责文化娱乐场所、A级旅游景区、星级饭店和旅行社的安全生产行业管理。",
            "负责演出场所、体育场馆和大型文化体育旅游活动的安全指导。",
            "负责广播电视设施安全和应急广播体系建设运行。",
            "组织旅游突发事件应急处置，及时发布旅游安全提示。",
        ),
    ),
    DepartmentType(
        "health",
        "卫生健康委员会",
        "卫健委",
        "industry",
        (
            "负责医疗卫生机构安全生产和消防安全的行业管理。",
            "负责医疗机构危险化学品、放射源和医疗废物的安全管理。",
            "负责职业病防治和职业健康监督管理，组织开展职业病危害因素监测。",
            "负责生产安全事故和自然灾害的紧急医学救援。",
        ),
    ),
    DepartmentType(
        "market",
        "市场监督管理局",
        "市场监管局",
        "industry",
        (
            "负责特种设备安全监督管理，组织特种设备事故调查处理。",
            "负责危险化学品包装物、容器和工业产品质量安全监督管理。",
            "负责食品生产经营环节安全监管，配合做好餐饮场所燃气安全整治。",
            "依法查处无照经营行为，配合开展“厂中厂”和出租厂房安全整治。",
        ),
    ),
    DepartmentType(
        "resources",
        "自然资源和规划局",
        "自然资源和规划局",
        "comprehensive",
        (
            "负责地质灾害防治，组织地质灾害调查评价和隐患点监测预警。",
            "负责矿产资源开发利用的监督管理，依法查处无证开采等违法行为。",
            "在国土空间规划中统筹安全生产和防灾减灾要求，落实危险化学品企业等安全防护距离。",
            "负责海洋灾害防御相关工作的协调指导。",
        ),
    ),
    DepartmentType(
        "ecology",
        "生态环境局",
        "生态环境局",
        "comprehensive",
        (
            "负责环境污染防治设施安全运行的监督检查，督促企业开展环保设施安全风险评估。",
            "负责危险废物收集、贮存、处置的环境监管，会同有关部门开展危险废物安全整治。",
            "负责核与辐射安全监督管理。",
            "负责突发环境事件应急处置和应急监测。",
        ),
    ),
    DepartmentType(
        "education",
        "教育局",
        "教育局",
        "industry",
        (
            "负责各级各类学校和幼儿园安全管理，督促学校落实安全主体责任。",
            "负责学校实验室危险化学品安全管理和校园消防安全工作。",
            "负责校车安全管理和学生交通安全教育，将安全生产和应急知识纳入教学内容。",
            "负责校外培训机构安全管理的行业指导。",
        ),
    ),
    DepartmentType(
        "fire",
        "消防救援大队",
        "消防救援大队",
        "comprehensive",
        (
            "依法实施消防监督检查，督促社会单位落实消防安全主体责任。",
            "承担火灾扑救和以抢救人员生命为主的应急救援工作。",
            "负责火灾事故调查和火灾统计。",
            "指导人员密集场所、高层建筑和大型综合体消防安全整治，组织消防宣传教育。",
        ),
        city_name="消防救援支队",
    ),
)

DEPARTMENT_KEYS = tuple(d.key for d in DEPARTMENT_TYPES)

TOWN_GOVERNMENT_DUTIES: tuple[str, ...] = (
    "按照“党政同责、一岗双责、齐抓共管、失职追责”要求，对本辖区安全生产和防灾减灾工作负属地管理责任。",
    "组织辖区企业安全检查和隐患排查整治，落实网格化安全监管，及时报告和处置生产安全事故。",
    "负责辖区经营性自建房、小微企业和“三合一”场所等风险隐患的排查治理。",
    "组织编制镇（街道）应急预案，建立基层应急救援队伍，组织群众转移避险和灾害信息报送。",
)

# Positions of department officials, in order (2–3 per department).
DEPARTMENT_POSITIONS = ("局长", "分管副局长", "安全生产科科长")
FIRE_POSITIONS = ("大队长", "副大队长", "防火监督科科长")
TOWN_POSITIONS = ("镇长", "分管安全生产副镇长", "应急管理办公室主任")
STREET_POSITIONS = ("街道办事处主任", "分管安全生产副主任", "应急管理办公室主任")

# --------------------------------------------------------------------------------------------------
# Committees (F2): per city and county one 安委会 with 13 专委会 and one 消委会. Demo names.

SAFETY_COMMITTEE = (
    "安全生产委员会",
    "统筹协调本地区安全生产工作，研究解决安全生产重大问题，督促各成员单位落实“三管三必须”。",
)
FIRE_COMMITTEE = ("消防安全委员会", "统筹协调本地区消防工作，研究部署火灾隐患排查整治和消防宣传。")
FIRE_COMMITTEE_LEAD = "fire"
FIRE_COMMITTEE_MEMBERS = ("police", "housing", "emergency", "commerce", "education", "health")

# (name, lead department key, member department keys, remit)
SPECIAL_COMMITTEES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "危险化学品安全专委会",
        "emergency",
        ("industry", "police", "transport", "ecology", "market"),
        "统筹危险化学品生产、储存、使用、经营、运输和废弃处置全链条安全监管。",
    ),
    (
        "道路交通安全专委会",
        "police",
        ("transport", "emergency", "housing", "education"),
        "统筹道路交通安全管理，整治重点车辆、重点路段和交通违法行为。",
    ),
    (
        "建筑施工安全专委会",
        "housing",
        ("transport", "water", "resources", "emergency"),
        "统筹房屋建筑、市政、交通、水利等工程建设领域施工安全。",
    ),
    (
        "消防安全专委会",
        "fire",
        ("police", "housing", "commerce", "culture", "education", "health"),
        "统筹人员密集场所、高层建筑和“三合一”场所等火灾风险防控。",
    ),
    (
        "工贸行业安全专委会",
        "industry",
        ("emergency", "commerce", "market"),
        "统筹冶金、有色、建材、机械、轻工、纺织等工贸行业安全生产，重点整治粉尘涉爆、涉氨制冷和有限空间作业。",
    ),
    (
        "水上交通安全专委会",
        "transport",
        ("water", "agriculture", "police", "emergency"),
        "统筹内河、沿江沿海水上交通和港口作业安全。",
    ),
    (
        "城镇燃气安全专委会",
        "housing",
        ("market", "emergency", "police", "development", "commerce"),
        "统筹燃气经营、输配和餐饮等非居民用户用气安全。",
    ),
    (
        "特种设备安全专委会",
        "market",
        ("emergency", "housing", "transport", "education"),
        "统筹锅炉、压力容器、电梯、起重机械、场（厂）内专用机动车辆等特种设备安全。",
    ),
    (
        "旅游安全专委会",
        "culture",
        ("police", "transport", "market", "fire"),
        "统筹旅游景区、星级饭店、旅行社和大型文旅活动安全。",
    ),
    (
        "农业农村安全专委会",
        "agriculture",
        ("emergency", "water", "resources", "police"),
        "统筹农业机械、渔业船舶、农村自建房和农产品加工安全。",
    ),
    (
        "水利安全专委会",
        "water",
        ("resources", "agriculture", "emergency", "transport"),
        "统筹水利工程建设运行安全和水旱灾害防御。",
    ),
    (
        "校园安全专委会",
        "education",
        ("police", "health", "market", "fire", "housing"),
        "统筹学校、幼儿园和校外培训机构安全，校车和实验室危险化学品安全。",
    ),
    (
        "电力安全专委会",
        "development",
        ("industry", "emergency", "housing", "market"),
        "统筹电力生产、电网运行和新能源发电项目安全。",
    ),
)

# --------------------------------------------------------------------------------------------------
# Industries (GB/T 4754-2017 divisions): relative frequency among enterprises under supervision in a
# Nantong-like economy (textiles, chemicals, machinery, shipbuilding and metal products dominate
# manufacturing), and the words used in company names.

INDUSTRY_WEIGHTS: dict[str, float] = {
    "01": 1.0, "03": 0.6, "04": 0.6, "05": 0.3, "10": 0.2,
    "13": 2.5, "14": 1.8, "15": 0.8, "17": 7.0, "18": 6.0, "19": 0.8, "20": 1.8, "21": 1.8, "22": 1.2,
    "23": 1.2, "24": 1.0, "25": 0.3, "26": 5.0, "27": 1.5, "28": 1.0, "29": 4.0, "30": 2.5, "31": 0.5,
    "32": 0.8, "33": 6.0, "34": 6.0, "35": 4.0, "36": 1.5, "37": 2.5, "38": 4.0, "39": 2.5, "40": 1.0,
    "41": 0.5, "42": 0.7, "43": 0.5,
    "44": 0.5, "45": 0.4, "46": 0.3,
    "47": 3.0, "48": 2.0, "49": 1.5, "50": 2.0,
    "51": 6.0, "52": 6.0,
    "54": 3.0, "55": 1.0, "58": 0.5, "59": 2.0, "60": 0.3,
    "61": 1.5, "62": 3.0,
    "70": 0.8, "72": 1.0, "74": 0.5, "78": 0.4, "80": 0.8, "81": 0.8, "83": 0.5, "84": 0.5,
    "88": 0.3, "89": 0.3, "90": 0.8,
}  # fmt: skip

#: In urban communities (社区) services are more frequent and factories rarer.
URBAN_SECTION_FACTOR: dict[str, float] = {
    "A": 0.1, "B": 0.0, "C": 0.35, "D": 0.6, "E": 1.0, "F": 2.5, "G": 1.0, "H": 3.0, "K": 2.0, "L": 2.0,
    "M": 2.0, "N": 1.5, "O": 2.5, "P": 2.0, "Q": 2.0, "R": 3.0,
}  # fmt: skip

INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "01": ("农业", "种植", "农业科技"), "03": ("畜牧", "养殖"), "04": ("水产", "渔业"), "05": ("农业服务", "农机服务"),
    "10": ("矿业", "建材矿产"),
    "13": ("食品", "粮油", "饲料", "农产品加工"), "14": ("食品", "调味品", "乳业"), "15": ("饮料", "酒业", "茶业"),
    "17": ("纺织", "家纺", "织造", "印染", "棉纺"), "18": ("服饰", "服装", "制衣"), "19": ("鞋业", "皮革制品"),
    "20": ("木业", "木制品"), "21": ("家具", "家居"), "22": ("纸业", "包装材料"), "23": ("印务", "彩印包装"),
    "24": ("文体用品", "工艺品"), "25": ("能源", "石化"), "26": ("化工", "化学", "精细化工", "新材料"),
    "27": ("药业", "制药", "生物医药"), "28": ("化纤", "纤维"), "29": ("塑业", "橡塑制品", "塑料制品"),
    "30": ("建材", "新型建材", "玻璃制品"), "31": ("钢铁", "特钢"), "32": ("铝业", "有色金属", "铜业"),
    "33": ("金属制品", "五金", "钢结构", "精密铸造"), "34": ("机械", "通用设备", "机电", "液压"),
    "35": ("专用设备", "装备", "智能装备"), "36": ("汽车零部件", "汽车配件"), "37": ("船舶", "船舶配套", "海洋工程"),
    "38": ("电气", "电器", "电缆", "电机"), "39": ("电子", "电子科技", "光电"), "40": ("仪表", "仪器"),
    "41": ("制品", "工贸"), "42": ("再生资源", "资源回收"), "43": ("设备维修", "机械修理"),
    "44": ("热电", "新能源", "电力"), "45": ("燃气", "天然气"), "46": ("水务", "供水"),
    "47": ("建设", "建筑工程", "建工"), "48": ("市政工程", "路桥工程", "水利工程"), "49": ("安装工程", "机电安装"),
    "50": ("装饰工程", "建筑装饰"), "51": ("贸易", "商贸", "物资", "化工贸易"), "52": ("超市", "商贸", "百货", "商行"),
    "54": ("运输", "物流", "汽车运输"), "55": ("航运", "船务"), "58": ("货运代理", "国际货运"), "59": ("仓储", "物流", "冷链物流"),
    "60": ("快递", "速递"), "61": ("酒店", "宾馆", "大酒店"), "62": ("餐饮", "餐饮管理", "酒楼"),
    "70": ("置业", "房地产开发", "物业管理"), "72": ("商务服务", "企业管理"), "74": ("工程技术", "检测技术"),
    "78": ("市政设施管理", "园林绿化"), "80": ("家政服务", "洗涤服务"), "81": ("汽车维修", "汽修"),
    "83": ("教育培训", "职业培训"), "84": ("医院", "诊所", "医疗"), "88": ("文化传媒", "文化艺术"),
    "89": ("体育发展", "健身"), "90": ("娱乐", "文化娱乐"),
}  # fmt: skip

#: Divisions where a company is not called "…有限公司" when very small.
SMALL_SHOP_SUFFIX: dict[str, tuple[str, ...]] = {
    "52": ("超市", "便利店", "商行"), "62": ("饭店", "餐馆"), "61": ("宾馆", "旅馆"), "81": ("汽修厂", "汽车修理部"),
}  # fmt: skip

#: Scale shares (large, medium, small, micro) by section; the rest of the sections use "default".
SCALE_SHARES: dict[str, tuple[float, float, float, float]] = {
    "C": (0.04, 0.14, 0.45, 0.37),
    "E": (0.05, 0.15, 0.45, 0.35),
    "D": (0.10, 0.30, 0.40, 0.20),
    "default": (0.01, 0.06, 0.33, 0.60),
}
#: Employees by scale (lowest, highest).
EMPLOYEES_BY_SCALE: dict[str, tuple[int, int]] = {
    "large": (1000, 6000), "medium": (300, 999), "small": (20, 299), "micro": (2, 19),
}  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Regulators: the department key regulating an industry division (行业主管部门, "管行业必须管安全").
# Divisions not listed fall back to the emergency department (综合监管).

_REGULATOR_RANGES: tuple[tuple[str, str, str], ...] = (
    ("01", "05", "agriculture"),
    ("06", "12", "emergency"),  # 非煤矿山
    ("13", "43", "industry"),  # 工贸行业
    ("25", "26", "emergency"),  # 石油煤炭加工、化工: 危险化学品生产 (overrides the line above)
    ("28", "28", "emergency"),
    ("44", "44", "development"),  # 电力
    ("45", "45", "housing"),  # 燃气
    ("46", "46", "water"),
    ("47", "50", "housing"),
    ("51", "52", "commerce"),
    ("53", "60", "transport"),
    ("61", "61", "market"),
    ("62", "62", "commerce"),
    ("63", "65", "industry"),
    ("70", "70", "housing"),
    ("71", "72", "commerce"),
    ("73", "73", "industry"),
    ("74", "74", "market"),  # 检验检测
    ("75", "75", "industry"),
    ("76", "76", "water"),
    ("77", "77", "ecology"),
    ("78", "78", "housing"),
    ("79", "79", "resources"),
    ("80", "80", "commerce"),
    ("81", "81", "transport"),  # 机动车维修
    ("82", "82", "commerce"),
    ("83", "83", "education"),
    ("84", "85", "health"),
    ("86", "90", "culture"),
)


def regulator_key(division: str, risk_flags: tuple[str, ...] | list[str] = ()) -> str:
    """Department key regulating an enterprise of ``division``; a trading or storage company handling
    hazardous chemicals (危险化学品经营) is regulated by the emergency department."""
    if division in ("51", "59") and "hazardous_chemicals" in risk_flags:
        return "emergency"
    key = "emergency"
    for lo, hi, dept in _REGULATOR_RANGES:  # later ranges override earlier ones
        if lo <= division <= hi:
            key = dept
    return key


# --------------------------------------------------------------------------------------------------
# Risk flags: (flag, probability) by division; see yingji.orgs.catalogues.RISK_FLAGS.

_CONFINED_MANUFACTURING = 0.12

RISK_FLAG_RULES: dict[str, tuple[tuple[str, float], ...]] = {
    "04": (("ammonia_refrigeration", 0.10),),
    "10": (("mine", 1.0),),
    "13": (("dust_explosion", 0.25), ("ammonia_refrigeration", 0.25), ("confined_space", 0.40)),
    "14": (("dust_explosion", 0.20), ("ammonia_refrigeration", 0.15), ("confined_space", 0.35)),
    "15": (("confined_space", 0.40), ("ammonia_refrigeration", 0.10)),
    "17": (("dust_explosion", 0.10), ("confined_space", 0.30)),
    "18": (("crowded_place", 0.10),),
    "20": (("dust_explosion", 0.60), ("confined_space", 0.10)),
    "21": (("dust_explosion", 0.50),),
    "22": (("dust_explosion", 0.15), ("confined_space", 0.40)),
    "24": (("dust_explosion", 0.15),),
    "25": (("hazardous_chemicals", 0.90), ("major_hazard_source", 0.30), ("hazardous_process", 0.20),
           ("confined_space", 0.60)),
    "26": (("hazardous_chemicals", 0.80), ("major_hazard_source", 0.15), ("hazardous_process", 0.25),
           ("confined_space", 0.60)),
    "27": (("hazardous_chemicals", 0.45), ("hazardous_process", 0.10), ("confined_space", 0.40)),
    "28": (("hazardous_chemicals", 0.50), ("confined_space", 0.40)),
    "29": (("dust_explosion", 0.10), ("confined_space", 0.15)),
    "30": (("dust_explosion", 0.10), ("confined_space", 0.15)),
    "31": (("molten_metal", 0.85), ("metallurgy", 0.90), ("confined_space", 0.30)),
    "32": (("molten_metal", 0.70), ("metallurgy", 0.80), ("dust_explosion", 0.20), ("confined_space", 0.20)),
    "33": (("dust_explosion", 0.30), ("molten_metal", 0.20), ("confined_space", 0.12)),
    "37": (("confined_space", 0.50), ("hazardous_chemicals", 0.05)),
    "42": (("dust_explosion", 0.10), ("confined_space", 0.25)),
    "44": (("confined_space", 0.30), ("hazardous_chemicals", 0.10)),
    "45": (("gas", 1.0), ("hazardous_chemicals", 0.60), ("major_hazard_source", 0.10)),
    "46": (("confined_space", 0.60), ("hazardous_chemicals", 0.20)),
    "47": (("construction", 1.0),),
    "48": (("construction", 1.0), ("confined_space", 0.20)),
    "49": (("construction", 1.0),),
    "50": (("construction", 1.0),),
    "51": (("hazardous_chemicals", 0.08),),
    "52": (("crowded_place", 0.35), ("fireworks", 0.01), ("gas", 0.05)),
    "54": (("road_transport", 0.15),),
    "59": (("ammonia_refrigeration", 0.10), ("hazardous_chemicals", 0.06), ("confined_space", 0.10)),
    "61": (("crowded_place", 0.70), ("gas", 0.20)),
    "62": (("crowded_place", 0.40), ("gas", 0.45)),
    "77": (("confined_space", 0.60),),
    "78": (("confined_space", 0.40),),
    "83": (("crowded_place", 0.60),),
    "84": (("crowded_place", 0.60), ("hazardous_chemicals", 0.05)),
    "88": (("crowded_place", 0.70),),
    "89": (("crowded_place", 0.60),),
    "90": (("crowded_place", 0.80),),
}  # fmt: skip


def risk_flag_rules(division: str) -> tuple[tuple[str, float], ...]:
    """Flag probabilities for ``division``; other manufacturing divisions get a confined-space share."""
    rules = RISK_FLAG_RULES.get(division)
    if rules is not None:
        return rules
    if "13" <= division <= "43":
        return (("confined_space", _CONFINED_MANUFACTURING),)
    return ()


# --------------------------------------------------------------------------------------------------
# Names

SURNAMES = "张王陈李刘朱顾施陆黄徐周吴杨沈曹季缪袁丁孙倪严范邱葛钱姜宋蔡郁冯瞿成茅龚唐卢石许郭胡高何马罗梁赵邵秦汤俞樊仇陶管储冒保"
# Common surnames are drawn more often: the first 20 twice as often as the rest.
SURNAME_WEIGHTS = tuple(2.0 if i < 20 else 1.0 for i in range(len(SURNAMES)))
GIVEN_MALE = "伟强军勇杰涛明斌华建国平辉峰磊刚俊波鹏飞晨浩宇亮东兵林海文志新健锋超云龙生荣祥宏永金春成忠德义"
GIVEN_FEMALE = "芳娟敏静丽艳霞燕玲红梅琴萍雪婷慧莉英倩洁颖佳蓉悦晶兰凤秀云丹薇晓露琳娜瑶婧雯"

TRADE_NAME_CHARS = "恒鑫华盛达泰宏源丰瑞通联创汇博凯嘉润隆昌兴邦德信诚和安祥利宇航腾飞锦程远志明海江天正中新永益长万金宝辰星晟睿晨尚升顺科杰旺荣富立舜禾"
ROADS = (
    "长江路", "人民路", "青年路", "工农路", "通富路", "江海大道", "世纪大道", "园区路", "兴业路", "振兴路", "建设路",
    "解放路", "富民路", "新港路", "沿江路", "东海路", "海洋路", "纬一路", "经二路", "黄河路", "珠江路", "星湖大道",
    "工业大道", "开发大道", "创业路", "科技路", "锦绣路", "和平路", "幸福路", "中心大街",
)  # fmt: skip

#: Mobile number prefixes of the three carriers (1[3-9]x).
MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "177", "180",
    "181", "186", "187", "188", "189", "199",
)  # fmt: skip

INTERMEDIARY_KINDS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("evaluation", 15, ("安全技术服务有限公司", "安全评价有限公司", "安全科技有限公司")),
    ("testing", 20, ("检测技术有限公司", "检验检测有限公司", "安全检测有限公司")),
    ("training", 10, ("安全生产培训中心", "职业技能培训学校")),
    ("consulting", 15, ("安全咨询有限公司", "安全管理咨询有限公司", "应急技术服务有限公司")),
)
