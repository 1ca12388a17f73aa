from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.orgs.catalogues import INDUSTRY_CHOICES, RISK_FLAGS  # noqa: F401  (re-exported for forms and filters)


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("在营")
    SUSPENDED = "suspended", _("停产整顿")
    CLOSED = "closed", _("关闭")


class DepartmentKind(models.TextChoices):
    EMERGENCY = "emergency", _("应急管理部门")
    INDUSTRY = "industry", _("行业主管部门")
    COMPREHENSIVE = "comprehensive", _("综合部门")
    GOVERNMENT = "government", _("人民政府（含乡镇街道）")


class CommitteeKind(models.TextChoices):
    SAFETY_COMMITTEE = "safety", _("安全生产委员会（安委会）")
    SPECIAL_COMMITTEE = "special", _("专业委员会（专委会）")
    FIRE_COMMITTEE = "fire", _("消防安全委员会（消委会）")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("牵头单位")
    MEMBER = "member", _("成员单位")


class IntermediaryKind(models.TextChoices):
    EVALUATION = "evaluation", _("安全评价机构")
    TESTING = "testing", _("检测检验机构")
    TRAINING = "training", _("培训机构")
    CONSULTING = "consulting", _("咨询服务机构")
