"""Choices of the rescue resources (C6 teams, C7 experts, C8 equipment, C10 shelters).

Codes are stable English identifiers; labels are translatable Chinese.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    """Kinds of rescue forces ("综合救援队伍管全面、专业救援队伍保领域、社会救援队伍补短板", seed 002)."""

    COMPREHENSIVE = "comprehensive", _("综合性消防救援队伍")
    PROFESSIONAL = "professional", _("专业应急救援队伍")
    SOCIAL = "social", _("社会应急力量")
    GRASSROOTS = "grassroots", _("基层应急救援队伍（镇/村）")
    MILITARY = "military", _("解放军和武警部队")


class Specialty(models.TextChoices):
    """Field of a professional team."""

    HAZCHEM = "hazchem", _("危险化学品")
    FLOOD = "flood", _("防汛抗旱")
    POWER = "power", _("电力抢修")
    GAS = "gas", _("燃气抢险")
    COMMUNICATIONS = "communications", _("通信保障")
    MEDICAL = "medical", _("医疗救护")
    MINE = "mine", _("矿山救援")
    FOREST_FIRE = "forest_fire", _("森林灭火")
    WATER = "water", _("水上搜救")
    EARTHQUAKE = "earthquake", _("地震和地质灾害")
    TRANSPORT = "transport", _("交通运输保障")
    CONSTRUCTION = "construction", _("建筑工程抢险")
    OTHER = "other", _("其他")


#: What a team can do (several per team).
CAPABILITIES = (
    ("firefighting", _("灭火")),
    ("search_rescue", _("搜救")),
    ("water_rescue", _("水域救援")),
    ("hazchem", _("危化品处置")),
    ("flood_control", _("抗洪抢险")),
    ("medical", _("医疗救护")),
    ("power_repair", _("电力抢修")),
    ("gas_repair", _("燃气抢修")),
    ("communications", _("应急通信")),
    ("heavy_machinery", _("工程机械")),
    ("high_angle", _("高空救援")),
    ("drone", _("无人机侦察")),
    ("forest_fire", _("森林灭火")),
    ("logistics", _("后勤保障")),
)


class Readiness(models.TextChoices):
    STANDBY = "standby", _("待命")
    DEPLOYED = "deployed", _("执行任务")
    RESTING = "resting", _("休整")


#: Fields of expertise of an expert (several per expert).
EXPERT_FIELDS = (
    ("hazchem", _("危险化学品")),
    ("mining", _("矿山")),
    ("fire", _("消防")),
    ("industry_trade", _("工贸")),
    ("construction", _("建筑施工")),
    ("special_equipment", _("特种设备")),
    ("gas", _("燃气")),
    ("power", _("电力")),
    ("transport", _("交通运输")),
    ("flood", _("防汛抗旱")),
    ("meteorology", _("气象")),
    ("geology", _("地质灾害")),
    ("earthquake", _("地震")),
    ("forest_fire", _("森林防火")),
    ("medical", _("医疗卫生")),
    ("emergency_management", _("应急管理")),
)


class ExpertTitle(models.TextChoices):
    SENIOR = "senior", _("正高级")
    ASSOCIATE = "associate", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    OTHER = "other", _("其他")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("可联系")
    BUSY = "busy", _("暂不可用")
    RETIRED = "retired", _("已退出")


class EquipmentKind(models.TextChoices):
    """Catalogue of equipment (C8 装备普查)."""

    DRONE = "drone", _("无人机")
    COMM_VEHICLE = "comm_vehicle", _("通信指挥车")
    SATELLITE_PHONE = "satellite_phone", _("卫星电话")
    PUMP_TRUCK = "pump_truck", _("排涝泵车")
    PUMP = "pump", _("抽水泵")
    GENERATOR = "generator", _("发电机（车）")
    LIGHTING = "lighting", _("照明设备（车）")
    BOAT = "boat", _("冲锋舟/橡皮艇")
    FIRE_ENGINE = "fire_engine", _("消防车")
    EXCAVATOR = "excavator", _("挖掘机")
    CRANE = "crane", _("起重机（吊车）")
    AMBULANCE = "ambulance", _("救护车")
    LIFE_DETECTOR = "life_detector", _("生命探测仪")
    GAS_DETECTOR = "gas_detector", _("气体检测仪")
    OTHER = "other", _("其他")


class OwnerKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    TEAM = "team", _("救援队伍")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL = "social", _("社会力量（共享共用）")


class EquipmentStatus(models.TextChoices):
    AVAILABLE = "available", _("完好可用")
    IN_USE = "in_use", _("使用中")
    MAINTENANCE = "maintenance", _("维修保养")
    SCRAPPED = "scrapped", _("报废")


class ShelterType(models.TextChoices):
    """GB 51143-2015 《防灾避难场所设计规范》: 紧急 / 固定 / 中心 (domain facts §9)."""

    EMERGENCY = "emergency", _("紧急避难场所")
    FIXED = "fixed", _("固定避难场所")
    CENTRAL = "central", _("中心避难场所")


class FixedPeriod(models.TextChoices):
    """GB 51143-2015: a 固定避难场所 is 短期 / 中期 / 长期."""

    SHORT = "short", _("短期")
    MEDIUM = "medium", _("中期")
    LONG = "long", _("长期")


class SpaceType(models.TextChoices):
    """场地型 (公园、广场、操场) vs 场所型 (学校室内、体育馆、人防车库) (domain facts §9)."""

    OUTDOOR = "outdoor", _("室外（场地型）")
    INDOOR = "indoor", _("室内（场所型）")


class ShelterGrade(models.TextChoices):
    """GB/T 44013-2024: grade = administrative level (domain facts §9)."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWN = "town", _("乡镇（街道）级")
    VILLAGE = "village", _("村（社区）级")


class ShelterStatus(models.TextChoices):
    CLOSED = "closed", _("未启用")
    OPEN = "open", _("已启用")
    FULL = "full", _("已满员")


class Evaluation(models.TextChoices):
    NOT_EVALUATED = "not_evaluated", _("未评估")
    QUALIFIED = "qualified", _("达标")
    IMPROVE = "improve", _("需整改")
    UNQUALIFIED = "unqualified", _("不达标")


#: Facilities checklist of a shelter (GB 21734 配套设施; GB/T 33744 管护使用).
SHELTER_FACILITIES = (
    ("water", _("应急供水")),
    ("power", _("应急供电")),
    ("toilets", _("应急厕所")),
    ("medical", _("医疗救护")),
    ("broadcast", _("应急广播")),
    ("firefighting", _("消防设施")),
    ("storage", _("物资储备")),
    ("cooking", _("应急炊事")),
    ("waste", _("垃圾/污水处理")),
    ("lighting", _("应急照明")),
    ("signage", _("标志标识")),
    ("accessible", _("无障碍设施")),
    ("command", _("应急指挥")),
)
