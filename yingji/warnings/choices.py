"""Choices of warning publication (W3). Levels, meteorological signal types and which levels each
allows: domain-facts §5 (中国气象局令第16号 and its annex); the allowed levels are data in ``catalogue.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningType(models.TextChoices):
    # meteorological warning signals (气象灾害预警信号)
    TYPHOON = "typhoon", _("台风")
    RAINSTORM = "rainstorm", _("暴雨")
    SNOWSTORM = "snowstorm", _("暴雪")
    COLD_WAVE = "cold_wave", _("寒潮")
    GALE = "gale", _("大风")
    SANDSTORM = "sandstorm", _("沙尘暴")
    HEAT = "heat", _("高温")
    DROUGHT = "drought", _("干旱")
    LIGHTNING = "lightning", _("雷电")
    HAIL = "hail", _("冰雹")
    FROST = "frost", _("霜冻")
    FOG = "fog", _("大雾")
    HAZE = "haze", _("霾")
    ROAD_ICING = "road_icing", _("道路结冰")
    # other warnings
    FLOOD = "flood", _("洪水")
    GEOLOGICAL = "geological", _("地质灾害")
    FOREST_FIRE = "forest_fire", _("森林火险")
    MARINE = "marine", _("海洋灾害")
    ACCIDENT = "accident", _("事故灾难")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    """预警级别: 一级 (红) is the highest (突发事件应对法; domain-facts §5)."""

    BLUE = "blue", _("蓝色（Ⅳ级）")
    YELLOW = "yellow", _("黄色（Ⅲ级）")
    ORANGE = "orange", _("橙色（Ⅱ级）")
    RED = "red", _("红色（Ⅰ级）")


class Status(models.TextChoices):
    """Lifecycle; the allowed moves are in ``warnings.lifecycle``."""

    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")
    UPDATED = "updated", _("已更新")
    CANCELLED = "cancelled", _("已解除")
    EXPIRED = "expired", _("已过期")
    REJECTED = "rejected", _("已退回")


class MsgType(models.TextChoices):
    """CAP 1.2 msgType of the published document."""

    ALERT = "Alert", _("发布")
    UPDATE = "Update", _("更新")
    CANCEL = "Cancel", _("解除")


class Origin(models.TextChoices):
    LOCAL = "local", _("本平台编制")
    IMPORTED = "imported", _("外部导入（CAP）")


class TargetGroup(models.TextChoices):
    DISTRICT_RESPONSIBLE = "district", _("区县级责任人")
    TOWN_RESPONSIBLE = "town", _("乡镇（街道）级责任人")
    VILLAGE_RESPONSIBLE = "village", _("村（社区）级责任人")
    INFO_OFFICERS = "info_officers", _("灾害信息员")
    ENTERPRISES = "enterprises", _("区域内企业")
    SHELTER_KEEPERS = "shelter_keepers", _("避难场所管理人")
    SUBSCRIBERS = "subscribers", _("公众订阅者")
    VULNERABLE = "vulnerable", _("特殊群体")


class EventAction(models.TextChoices):
    """One step of a warning's lifecycle, recorded as a ``WarningEvent``."""

    COMPOSE = "compose", _("编制")
    EDIT = "edit", _("修改")
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("审核通过")
    REJECT = "reject", _("退回")
    PUBLISH = "publish", _("发布")
    UPDATE = "update", _("更新")
    CANCEL = "cancel", _("解除")
    EXPIRE = "expire", _("过期")
    IMPORT = "import", _("导入")


class SubscriptionChannel(models.TextChoices):
    """How a public subscriber is reached (the same codes as ``messaging.ChannelCode``)."""

    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")


class ConsultationKind(models.TextChoices):
    """会商 sessions: regular (monthly, quarterly) and real-time for a coming or ongoing event (W2)."""

    MONTHLY = "monthly", _("月度会商")
    QUARTERLY = "quarterly", _("季度会商")
    REALTIME = "realtime", _("实时会商")
