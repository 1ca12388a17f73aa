"""Choices of the risk app (S1 风险分级管控). Codes are stable English identifiers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    """The four risk levels and their colours (domain-facts §3: 重大/红, 较大/橙, 一般/黄, 低/蓝)."""

    MAJOR = "major", _("重大风险")
    LARGE = "large", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


#: Rank of each level (higher is worse), for "highest risk" and "raise one level".
LEVEL_RANK = {RiskLevel.LOW: 1, RiskLevel.GENERAL: 2, RiskLevel.LARGE: 3, RiskLevel.MAJOR: 4}
#: Levels by rank.
LEVELS_BY_RANK = {rank: level for level, rank in LEVEL_RANK.items()}
#: 较大以上 (the levels that must be reported to the regulator).
REPORTABLE_LEVELS = (RiskLevel.MAJOR, RiskLevel.LARGE)

#: Colour code, Chinese colour name and CSS colour of each level (四色: 红橙黄蓝).
LEVEL_COLOURS = {
    RiskLevel.MAJOR: ("red", _("红"), "#dc3545"),
    RiskLevel.LARGE: ("orange", _("橙"), "#fd7e14"),
    RiskLevel.GENERAL: ("yellow", _("黄"), "#ffc107"),
    RiskLevel.LOW: ("blue", _("蓝"), "#0d6efd"),
}


class Method(models.TextChoices):
    LEC = "lec", _("作业条件危险性评价法（LEC）")
    LS = "ls", _("风险矩阵法（LS）")


#: GB 6441-1986《企业职工伤亡事故分类》: the 20 accident types, in the standard's order.
ACCIDENT_TYPES: list[tuple[str, str]] = [
    ("object_strike", _("物体打击")),
    ("vehicle", _("车辆伤害")),
    ("machinery", _("机械伤害")),
    ("lifting", _("起重伤害")),
    ("electric_shock", _("触电")),
    ("drowning", _("淹溺")),
    ("scald", _("灼烫")),
    ("fire", _("火灾")),
    ("fall", _("高处坠落")),
    ("collapse", _("坍塌")),
    ("roof_fall", _("冒顶片帮")),
    ("water_inrush", _("透水")),
    ("blasting", _("放炮")),
    ("explosive", _("火药爆炸")),
    ("gas_explosion", _("瓦斯爆炸")),
    ("boiler_explosion", _("锅炉爆炸")),
    ("vessel_explosion", _("容器爆炸")),
    ("other_explosion", _("其他爆炸")),
    ("poisoning", _("中毒和窒息")),
    ("other", _("其他伤害")),
]


class MeasureKind(models.TextChoices):
    """Kinds of control measures (工程技术、管理、培训教育、个体防护、应急处置)."""

    ENGINEERING = "engineering", _("工程技术措施")
    MANAGEMENT = "management", _("管理措施")
    TRAINING = "training", _("培训教育措施")
    PPE = "ppe", _("个体防护措施")
    EMERGENCY = "emergency", _("应急处置措施")


class ControlLevel(models.TextChoices):
    """Who controls a risk (分级管控: 公司、部门（车间）、班组、岗位)."""

    COMPANY = "company", _("公司级")
    DEPARTMENT = "department", _("部门（车间）级")
    TEAM = "team", _("班组级")
    POST = "post", _("岗位级")


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("定期报告")
    CHANGE = "change", _("变更报告")


class ReportState(models.TextChoices):
    """Computed state of an enterprise's report obligation for a period (not stored)."""

    ON_TIME = "on_time", _("已按时报告")
    REPORTED_LATE = "reported_late", _("已逾期补报")
    DUE = "due", _("待报告")
    LATE = "late", _("逾期未报")


class RegionRiskCategory(models.TextChoices):
    """Fields of the region-level public-safety risk lists (两张清单, seed 003)."""

    HAZCHEM = "hazchem", _("危险化学品")
    INDUSTRY = "industry", _("工矿商贸")
    ROAD = "road", _("道路交通")
    WATER = "water", _("水上交通")
    FIRE = "fire", _("消防")
    GAS = "gas", _("城镇燃气")
    CONSTRUCTION = "construction", _("建设施工")
    CROWD = "crowd", _("人员密集场所")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    NATURAL = "natural", _("自然灾害")
    NEW_BUSINESS = "new_business", _("新业态新领域")
    OTHER = "other", _("其他")
