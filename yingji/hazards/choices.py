"""Choices of the hazard closed loop (隐患排查治理, S2; 灾害风险隐患, D3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardKind(models.TextChoices):
    WORK_SAFETY = "work_safety", _("生产安全事故隐患")
    DISASTER = "disaster", _("灾害风险隐患")


class Source(models.TextChoices):
    SELF_CHECK = "self_check", _("企业自查")
    INSPECTION = "inspection", _("执法检查")
    GRID = "grid", _("网格员巡查")
    SUPERVISION = "supervision", _("上级督查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    SENSOR = "sensor", _("监测预警")
    DATA_CLUE = "data_clue", _("数据线索")
    INFO_OFFICER = "info_officer", _("灾害信息员报送")


class Grade(models.TextChoices):
    """《安全生产事故隐患排查治理暂行规定》第三条 (domain-facts §2)."""

    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class Status(models.TextChoices):
    """The closed loop, in order; the allowed moves are in ``hazards.workflow``."""

    REPORTED = "reported", _("已上报")
    CONFIRMED = "confirmed", _("已确认")
    ASSIGNED = "assigned", _("已交办")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    VERIFIED = "verified", _("已验收")
    CLOSED = "closed", _("已销号")
    DISMISSED = "dismissed", _("不予认定")


#: States in which a hazard is still open (counts against "清零").
OPEN_STATUSES = (
    Status.REPORTED,
    Status.CONFIRMED,
    Status.ASSIGNED,
    Status.RECTIFYING,
    Status.RECTIFIED,
    Status.VERIFIED,
)


class DisasterType(models.TextChoices):
    """Kinds of natural-disaster risk hazards reported by grid workers and information officers (D3)."""

    GEOLOGICAL = "geological", _("地质灾害隐患点")
    WATERLOGGING = "waterlogging", _("易涝积水点")
    DANGEROUS_HOUSE = "dangerous_house", _("危险房屋")
    EMBANKMENT = "embankment", _("堤防险工险段")
    RESERVOIR = "reservoir", _("病险水库山塘")
    FOREST_FIRE = "forest_fire", _("森林火险隐患")
    BILLBOARD = "billboard", _("户外广告牌等高空设施")
    OTHER = "other", _("其他")


class Action(models.TextChoices):
    """The steps of the closed loop, as recorded on :class:`~yingji.hazards.models.HazardEvent`."""

    REPORT = "report", _("上报")
    CONFIRM = "confirm", _("确认定级")
    DISMISS = "dismiss", _("不予认定")
    ASSIGN = "assign", _("交办整改")
    PROGRESS = "progress", _("整改进展")
    RECTIFY = "rectify", _("整改完成")
    VERIFY = "verify", _("验收通过")
    REJECT = "reject", _("验收不通过")
    CLOSE = "close", _("销号")
    FIX_IMMEDIATELY = "fix_immediately", _("立查立改")
    SUPERVISE = "supervise", _("挂牌督办")
    PHOTO = "photo", _("上传照片")


class PhotoStage(models.TextChoices):
    FOUND = "found", _("发现")
    RECTIFICATION = "rectification", _("整改")
    VERIFICATION = "verification", _("验收")
