"""Hazards (事故隐患 / 灾害风险隐患) and the record of every step of their closed loop.

The states and the moves between them are enforced by ``yingji.hazards.workflow``; no code outside
that module sets ``status``. Rules and their sources: ``docs/hazards.md``.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from yingji.framework.access import Scope
from yingji.framework.models import BaseModel, GeoMixin
from yingji.hazards.choices import Action, DisasterType, Grade, HazardKind, PhotoStage, Source, Status
from yingji.hazards.criteria import standard_choices


class Hazard(GeoMixin, BaseModel):
    number = models.CharField(_("隐患编号"), max_length=32, unique=True, editable=False)
    kind = models.CharField(
        _("隐患类别"), max_length=12, choices=HazardKind.choices, default=HazardKind.WORK_SAFETY
    )
    disaster_type = models.CharField(
        _("灾害隐患类型"), max_length=20, choices=DisasterType.choices, blank=True
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="hazards",
        help_text=_("企业隐患取企业所在村（社区）；其他隐患取发现地点所在村（社区）"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("监管部门"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards",
    )
    #: the enterprise's GB/T 4754 division (大类) when the hazard was reported (copied so that the
    #: statistics need no join; empty for hazards without an enterprise)
    industry = models.CharField(_("行业大类"), max_length=2, blank=True, editable=False)
    address = models.CharField(_("具体位置"), max_length=200, blank=True)
    title = models.CharField(_("隐患名称"), max_length=200)
    description = models.TextField(_("隐患描述"), blank=True)
    category = models.CharField(
        _("隐患分类"), max_length=60, blank=True, help_text=_("对应的检查表检查项或隐患分类")
    )
    grade = models.CharField(_("隐患等级"), max_length=8, choices=Grade.choices, blank=True)
    major_criterion = models.CharField(
        _("重大隐患判定依据"), max_length=200, blank=True, help_text=_("判定标准及条款")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED, editable=False
    )
    found_at = models.DateTimeField(_("发现时间"))
    finder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards_found",
    )
    finder_name = models.CharField(_("发现人姓名"), max_length=50, blank=True)
    immediate = models.BooleanField(_("立查立改"), default=False)

    # "五落实" (domain-facts §2): responsible person/unit, measures, funds, deadline, contingency plan
    responsible = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("整改责任人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards_responsible",
    )
    responsible_unit = models.CharField(_("整改责任单位"), max_length=200, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    funds = models.DecimalField(_("整改资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    due_at = models.DateTimeField(_("整改期限"), null=True, blank=True)
    contingency_plan = models.TextField(_("应急预案（防范措施）"), blank=True)

    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    #: how many verification levels this hazard needs, fixed when it is confirmed (see workflow)
    review_levels = models.PositiveSmallIntegerField(_("验收层级数"), default=1)
    reviews_passed = models.PositiveSmallIntegerField(_("已通过验收层级"), default=0)

    major_standard = models.CharField(
        _("重大隐患判定标准"),
        max_length=20,
        choices=standard_choices(),
        blank=True,
        help_text=_("重大隐患须注明所依据的判定标准（见 yingji/hazards/criteria.py）"),
    )
    dismiss_reason = models.TextField(_("不予认定理由"), blank=True)
    rectification_note = models.TextField(_("整改情况说明"), blank=True)
    verified_at = models.DateTimeField(_("验收通过时间"), null=True, blank=True)
    supervised_by = models.ForeignKey(
        "places.Place",
        verbose_name=_("挂牌督办单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hazards_supervised",
        help_text=_("挂牌督办的市、县（区）或镇（街道）；挂牌后只能由该级销号"),
    )
    supervised_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True)
    supervision_due_at = models.DateTimeField(_("督办时限"), null=True, blank=True)
    supervision_note = models.TextField(_("督办要求"), blank=True)

    scope = Scope(place="place", enterprise="enterprise", department="department")

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ("-found_at", "-id")
        indexes = [
            models.Index(fields=["status", "grade"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["found_at"]),
            models.Index(fields=["due_at"]),
            # the overdue count of the statistics: an index-only scan of the open hazards' deadlines
            models.Index(
                fields=["due_at"],
                include=["place", "kind"],
                condition=models.Q(
                    status__in=["reported", "confirmed", "assigned", "rectifying", "rectified", "verified"]
                ),
                name="hazards_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    # The statistics' tallies (``yingji.hazards.tally``) follow every save and delete.
    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        from yingji.hazards import tally

        obj._tally_state = tally.state_of(obj)
        return obj

    def save(self, *args, **kwargs):
        from yingji.hazards import tally

        if self.enterprise_id and not self.industry:
            self.industry = self.enterprise.industry or ""
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            before = getattr(self, "_tally_state", None)
            if before is None and not self._state.adding:  # loaded without some of the fields
                before = tally.db_state(type(self), self.pk)
            super().save(*args, **kwargs)
            self._tally_state = tally.saved(self, before)


@receiver(post_delete, sender=Hazard, dispatch_uid="hazards-tally-delete")
def _hazard_deleted(sender, instance, **kwargs):
    from yingji.hazards import tally

    tally.deleted(instance)


class HazardTally(models.Model):
    """Counts of hazards per town (镇/街道; a hazard placed above town level counts at its own place),
    kind, industry section, status, grade and source — the statistics read these instead of every
    hazard. Kept by :mod:`yingji.hazards.tally` in the transaction of every hazard write."""

    town_path = models.CharField(max_length=120)
    kind = models.CharField(max_length=12)
    section = models.CharField(max_length=1, blank=True)  # "" no enterprise, "?" unknown division
    status = models.CharField(max_length=12)
    grade = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=16)
    n = models.BigIntegerField(default=0)
    with_deadline = models.BigIntegerField(default=0)  # due_at set
    overdue_closed = models.BigIntegerField(default=0)  # closed_at > due_at
    timed = models.BigIntegerField(default=0)  # closed_at set
    close_hours = models.FloatField(default=0)  # sum of closed_at − found_at (hours) where closed_at set

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["town_path", "kind", "section", "status", "grade", "source"], name="hazards_tally_key"
            )
        ]

    def __str__(self):
        return (
            f"{self.town_path} {self.kind} {self.section} {self.status} {self.grade} {self.source}: {self.n}"
        )


class HazardCloseHours(models.Model):
    """How many closed hazards took each whole number of hours to close, per town and kind (the
    histogram of the median time to close). Kept with :class:`HazardTally`."""

    town_path = models.CharField(max_length=120)
    kind = models.CharField(max_length=12)
    hours = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town_path", "kind", "hours"], name="hazards_close_key")
        ]

    def __str__(self):
        return f"{self.town_path} {self.kind} {self.hours} h: {self.n}"


class RectificationPlan(BaseModel):
    """The 治理方案 of a major hazard: the six elements of 《安全生产事故隐患排查治理暂行规定》第十五条
    (domain-facts §2), organised by the enterprise's 主要负责人."""

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="plan"
    )
    goals = models.TextField(_("治理的目标和任务"))
    methods = models.TextField(_("采取的方法和措施"))
    funding = models.TextField(_("经费和物资的落实"))
    organisation = models.TextField(_("负责治理的机构和人员"))
    schedule = models.TextField(_("治理的时限和要求"))
    safety_measures = models.TextField(_("安全措施和应急预案"))

    scope = Scope(place="hazard__place", enterprise="hazard__enterprise", department="hazard__department")

    #: the six elements, in the order of the regulation
    ELEMENTS = ("goals", "methods", "funding", "organisation", "schedule", "safety_measures")

    class Meta:
        verbose_name = _("隐患治理方案")
        verbose_name_plural = _("隐患治理方案")

    def __str__(self):
        return f"{self.hazard.number} 治理方案"


class HazardEvent(BaseModel):
    """One step of a hazard's closed loop: who did what, when, from which state to which (the timeline)."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    scope = Scope(place="hazard__place", enterprise="hazard__enterprise", department="hazard__department")

    class Meta:
        verbose_name = _("隐患处置记录")
        verbose_name_plural = _("隐患处置记录")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.hazard_id} {self.get_action_display()}"


def _photo_path(instance, filename):
    from yingji.framework.uploads import stored_name

    ext = filename.rsplit(".", 1)[-1] if "." in filename else "jpg"
    return stored_name("hazards", ext)


class HazardPhoto(BaseModel):
    """A photo of a hazard at one stage (发现/整改/验收); served only through the scoped photo view."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(_("阶段"), max_length=14, choices=PhotoStage.choices, default=PhotoStage.FOUND)
    image = models.ImageField(_("照片"), upload_to=_photo_path, max_length=200)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    event = models.ForeignKey(
        HazardEvent,
        verbose_name=_("处置记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(place="hazard__place", enterprise="hazard__enterprise", department="hazard__department")

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")
        ordering = ("created", "id")

    def __str__(self):
        return f"{self.hazard_id} {self.get_stage_display()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("hazards:photo", args=[self.pk])
