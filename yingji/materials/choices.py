"""Choices of the materials app (C9 物资储备): stable English codes, translatable Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarehouseLevel(models.TextChoices):
    """The four levels of the reserve network "一张网" (市-县-镇-村); equal to the place level."""

    CITY = "city", _("市级储备库")
    COUNTY = "county", _("县级储备库")
    TOWN = "town", _("镇级储备点")
    VILLAGE = "village", _("村级储备室")


class ItemCategory(models.TextChoices):
    SHELTER = "shelter", _("安置类")
    RESCUE = "rescue", _("救生类")
    FLOOD = "flood", _("防汛排涝类")
    POWER = "power", _("电力照明类")
    FOOD = "food", _("食品类")
    WATER = "water", _("饮用水")
    MEDICAL = "medical", _("医疗防疫类")
    TOOLS = "tools", _("工具器材类")


class ReserveKind(models.TextChoices):
    """Physical reserves (实物储备) are the stock itself; these two are held by agreements."""

    CONTRACT = "contract", _("协议储备")
    CAPACITY = "capacity", _("产能储备")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("入库")
    ISSUE = "issue", _("出库（发放）")
    TRANSFER = "transfer", _("调拨")
    STOCKTAKE = "stocktake", _("盘点")
    SCRAP = "scrap", _("报废")
    ROTATION = "rotation", _("轮换")


#: The kind's code in document numbers ``WZ-<code>-<year>-<seq>`` (拼音 initials).
NUMBER_CODES = {
    MovementKind.RECEIPT: "RK",
    MovementKind.ISSUE: "CK",
    MovementKind.TRANSFER: "DB",
    MovementKind.STOCKTAKE: "PD",
    MovementKind.SCRAP: "BF",
    MovementKind.ROTATION: "LH",
}


class MovementStatus(models.TextChoices):
    POSTED = "posted", _("已过账")
    REQUESTED = "requested", _("已申请")
    APPROVED = "approved", _("已批准")
    DISPATCHED = "dispatched", _("已发运")
    RECEIVED = "received", _("已接收")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤销")


#: A document in one of these states never changes again.
FINAL_STATUSES = (
    MovementStatus.POSTED,
    MovementStatus.RECEIVED,
    MovementStatus.REJECTED,
    MovementStatus.CANCELLED,
)


class Direction(models.TextChoices):
    IN = "in", _("入")
    OUT = "out", _("出")


class RecipientKind(models.TextChoices):
    INCIDENT = "incident", _("突发事件")
    PLACE = "place", _("地区")
    PERSON = "person", _("个人/单位")


class AcceptanceResult(models.TextChoices):
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class ReceiptSource(models.TextChoices):
    PURCHASE = "purchase", _("采购")
    DONATION = "donation", _("捐赠")
    ALLOCATION = "allocation", _("上级下拨")
    RETURN = "return", _("使用后归还")
