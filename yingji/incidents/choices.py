"""Choices of incidents (C3). Categories and grades: 突发事件应对法 第三条 (domain-facts §5); accident
grades: 生产安全事故报告和调查处理条例 第三条 (domain-facts §1.1); response levels Ⅰ–Ⅳ (§5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """突发事件 的四类 (突发事件应对法 第二条)."""

    ACCIDENT = "accident", _("事故灾难")
    NATURAL = "natural", _("自然灾害")
    HEALTH = "health", _("公共卫生事件")
    SOCIAL = "social", _("社会安全事件")


class EventType(models.TextChoices):
    """Subtypes of the four categories; ``CATEGORY_OF`` maps each to its category."""

    # 事故灾难
    WORK_SAFETY = "work_safety", _("工矿商贸生产安全事故")
    HAZMAT = "hazmat", _("危险化学品事故")
    MINE = "mine", _("矿山事故")
    CONSTRUCTION = "construction", _("建筑施工事故")
    ROAD_TRAFFIC = "road_traffic", _("道路交通事故")
    FIRE = "fire", _("火灾事故")
    WATERWAY = "waterway", _("水上交通事故")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备事故")
    GAS = "gas", _("燃气事故")
    PUBLIC_FACILITY = "public_facility", _("公共设施和设备事故")
    ENVIRONMENT = "environment", _("环境污染和生态破坏事件")
    OTHER_ACCIDENT = "other_accident", _("其他事故灾难")
    # 自然灾害 (自然灾害情况统计调查制度, domain-facts §6)
    FLOOD = "flood", _("洪涝")
    DROUGHT = "drought", _("干旱")
    TYPHOON = "typhoon", _("台风")
    WIND_HAIL = "wind_hail", _("风雹")
    LOW_TEMPERATURE = "low_temperature", _("低温冷冻")
    SNOW = "snow", _("雪灾")
    EARTHQUAKE = "earthquake", _("地震")
    GEOLOGICAL = "geological", _("崩塌、滑坡、泥石流")
    STORM_SURGE = "storm_surge", _("风暴潮")
    FOREST_FIRE = "forest_fire", _("森林草原火灾")
    BIOLOGICAL = "biological", _("生物灾害")
    OTHER_NATURAL = "other_natural", _("其他自然灾害")
    # 公共卫生事件
    INFECTIOUS = "infectious", _("传染病疫情")
    UNEXPLAINED_DISEASE = "unexplained_disease", _("群体性不明原因疾病")
    FOOD_SAFETY = "food_safety", _("食品安全事件")
    POISONING = "poisoning", _("职业中毒")
    ANIMAL_EPIDEMIC = "animal_epidemic", _("动物疫情")
    OTHER_HEALTH = "other_health", _("其他公共卫生事件")
    # 社会安全事件
    TERRORISM = "terrorism", _("恐怖袭击事件")
    MASS_INCIDENT = "mass_incident", _("群体性事件")
    ECONOMIC = "economic", _("经济安全事件")
    FOREIGN = "foreign", _("涉外突发事件")
    OTHER_SOCIAL = "other_social", _("其他社会安全事件")


_ACCIDENT_TYPES = (
    EventType.WORK_SAFETY,
    EventType.HAZMAT,
    EventType.MINE,
    EventType.CONSTRUCTION,
    EventType.ROAD_TRAFFIC,
    EventType.FIRE,
    EventType.WATERWAY,
    EventType.SPECIAL_EQUIPMENT,
    EventType.GAS,
    EventType.PUBLIC_FACILITY,
    EventType.ENVIRONMENT,
    EventType.OTHER_ACCIDENT,
)
_NATURAL_TYPES = (
    EventType.FLOOD,
    EventType.DROUGHT,
    EventType.TYPHOON,
    EventType.WIND_HAIL,
    EventType.LOW_TEMPERATURE,
    EventType.SNOW,
    EventType.EARTHQUAKE,
    EventType.GEOLOGICAL,
    EventType.STORM_SURGE,
    EventType.FOREST_FIRE,
    EventType.BIOLOGICAL,
    EventType.OTHER_NATURAL,
)
_HEALTH_TYPES = (
    EventType.INFECTIOUS,
    EventType.UNEXPLAINED_DISEASE,
    EventType.FOOD_SAFETY,
    EventType.POISONING,
    EventType.ANIMAL_EPIDEMIC,
    EventType.OTHER_HEALTH,
)
_SOCIAL_TYPES = (
    EventType.TERRORISM,
    EventType.MASS_INCIDENT,
    EventType.ECONOMIC,
    EventType.FOREIGN,
    EventType.OTHER_SOCIAL,
)

#: event type -> its category
CATEGORY_OF: dict[str, str] = {
    **{t.value: Category.ACCIDENT.value for t in _ACCIDENT_TYPES},
    **{t.value: Category.NATURAL.value for t in _NATURAL_TYPES},
    **{t.value: Category.HEALTH.value for t in _HEALTH_TYPES},
    **{t.value: Category.SOCIAL.value for t in _SOCIAL_TYPES},
}

#: Accident types the 493号令 grades (生产安全事故). Environmental pollution is excluded by its
#: Art. 2 (domain-facts §1); its grade is set by hand like the other categories.
GRADED_BY_493 = frozenset(t.value for t in _ACCIDENT_TYPES if t != EventType.ENVIRONMENT)

#: 493号令 第十三条: casualty changes are reported within 7 days for road-traffic and fire accidents,
#: 30 days otherwise (domain-facts §1.2).
SHORT_SUPPLEMENT_WINDOW = frozenset({EventType.ROAD_TRAFFIC.value, EventType.FIRE.value})


class Grade(models.TextChoices):
    """事件等级 (突发事件应对法 第三条; for accidents 493号令 第三条). ``ordering`` ranks them."""

    ORDINARY = "ordinary", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    PARTICULARLY_MAJOR = "particularly_major", _("特别重大")


GRADE_RANK = {
    Grade.ORDINARY.value: 1,
    Grade.LARGER.value: 2,
    Grade.MAJOR.value: 3,
    Grade.PARTICULARLY_MAJOR.value: 4,
}


class ResponseLevel(models.TextChoices):
    """应急响应级别: Ⅰ级 is the highest (domain-facts §5)."""

    LEVEL_1 = "1", _("Ⅰ级响应")
    LEVEL_2 = "2", _("Ⅱ级响应")
    LEVEL_3 = "3", _("Ⅲ级响应")
    LEVEL_4 = "4", _("Ⅳ级响应")


class Status(models.TextChoices):
    REPORTED = "reported", _("已接报")
    RESPONDING = "responding", _("应急处置中")
    RECOVERY = "recovery", _("善后恢复")
    CLOSED = "closed", _("已结束")


class TimelineKind(models.TextChoices):
    """What an entry of an incident's timeline records."""

    CREATED = "created", _("事件创建")
    INFO = "info", _("接报信息")
    REPORT = "report", _("信息报送")
    DECISION = "decision", _("决策")
    GRADE = "grade", _("等级变化")
    LEVEL = "level", _("响应级别")
    STATUS = "status", _("状态变化")
    CASUALTIES = "casualties", _("伤亡损失")
    WARNING = "warning", _("预警")
    NOTIFY = "notify", _("通知")
    REMIND = "remind", _("提醒")
    CHECKLIST = "checklist", _("一图一表")
    DISPATCH = "dispatch", _("调度")
    TASK = "task", _("任务")
    MATERIAL = "material", _("物资")
    REVIEW = "review", _("复盘")
    NOTE = "note", _("备注")


#: status → the statuses it may move to (one state machine: ``services.change_status``)
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.REPORTED.value: (Status.RESPONDING.value, Status.CLOSED.value),
    Status.RESPONDING.value: (Status.RECOVERY.value,),
    Status.RECOVERY.value: (Status.CLOSED.value,),
    Status.CLOSED.value: (),
}


class DutyRole(models.TextChoices):
    """Who a row of a plan's duty table (一图一表) is for."""

    LEADER = "leader", _("带班领导")
    OFFICER = "officer", _("值班员")
    STANDBY = "standby", _("备勤人员")
    DEPARTMENT = "department", _("部门")
    COMMANDER = "commander", _("现场指挥部")
