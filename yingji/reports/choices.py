"""Choices of public reports (群众举报, S9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    HAZARD = "hazard", _("事故隐患")
    ILLEGAL = "illegal", _("安全生产违法行为")


class ReportStatus(models.TextChoices):
    """The handling of a report, in order; the allowed moves are in ``reports.services.TRANSITIONS``."""

    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理，核查处理中")
    REJECTED = "rejected", _("不予受理")
    CLOSED = "closed", _("已办结")


#: States in which a report still needs action.
OPEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class RewardDecision(models.TextChoices):
    GRANTED = "granted", _("给予奖励")
    DENIED = "denied", _("不予奖励")
