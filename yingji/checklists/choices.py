"""Choices of enterprise self-check plans (隐患自查, S2 source 企业自查)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a post checks its list; one record per period (day / ISO week / calendar month)."""

    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
