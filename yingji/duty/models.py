"""Duty (值班值守, SPEC C1): duty rooms, 24-hour shifts with their posts, roster templates, swaps,
handovers with open items carried over, and roll-calls of lower rooms by their upper room.

Every object is scoped through its duty room: the room's place (a city, county or town) and, for a
department's room, its department (``Scope(place=..., department=...)``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.duty.choices import (
    DutyRole,
    HolidayMode,
    ItemStatus,
    RollCallOrigin,
    RollCallStatus,
    ShiftKind,
    SwapStatus,
)
from yingji.framework.access import Scope
from yingji.framework.models import BaseModel
from yingji.utilities.validators import landline_validator


class DutyRoom(BaseModel):
    """A duty room (值班室) or command centre (指挥中心) of a city, county (district) or town, or of a
    department at one of these levels.

    ``department`` empty means the place's own room (the emergency bureau's room at city and county
    level, the town government's room at town level). ``parent`` is the upper room that roll-calls
    this one; it is derived by :func:`yingji.duty.services.relink_rooms` (never entered): a department
    room answers to the same place's own room, a place's own room to the own room of the nearest
    ancestor place that has one.
    """

    name = models.CharField(_("值班室名称"), max_length=120)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示本级应急管理部门（乡镇为人民政府）的值班室"),
    )
    phone = models.CharField(_("值班电话"), max_length=40, blank=True, validators=[landline_validator])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级值班室"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("自动确定：部门值班室的上级为本级值班室，本级值班室的上级为上级地区的值班室"),
    )
    handover_time = models.TimeField(
        _("交接班时间"), null=True, blank=True, help_text=_("留空使用系统默认（08:30）；班次为24小时")
    )

    scope = Scope(place="place", department="department")

    class Meta:
        verbose_name = _("值班室")
        verbose_name_plural = _("值班室")
        ordering = ["place__code", "department_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=Q(department__isnull=True),
                name="duty_one_own_room_per_place",
                violation_error_code="room_exists",
                violation_error_message=_(
                    "该地区已有本级值班室：每个地区只设一个本级值班室，部门值班室请选择所属部门。"
                ),
            ),
            models.UniqueConstraint(
                fields=["place", "department"],
                name="duty_one_room_per_department",
                violation_error_code="room_exists",
                violation_error_message=_("该部门已有值班室：每个部门只设一个值班室。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.place_id and self.place.level == "village":
            errors["place"] = ValidationError(
                _("值班室设在市、县（区）、乡镇（街道）或部门，不能设在村（社区）。"), code="room_level"
            )
        if self.department_id and self.place_id and self.department.place_id != self.place_id:
            errors["department"] = ValidationError(
                _("部门须属于所选地区：“%(d)s”属于%(p)s。")
                % {"d": self.department, "p": self.department.place},
                code="department_place",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_own_room(self) -> bool:
        return self.department_id is None


class RosterTemplate(BaseModel):
    """Rotation lists per post from which a month of shifts is generated (排班模板).

    Each list rotates by day: day *n* after ``anchor`` takes person ``n mod len`` (officers and standby
    take ``per_shift`` consecutive persons). Rest days (weekends and statutory holidays per the
    working-day calendar) use the holiday lists when ``holiday_mode`` says so; a holiday shift needs
    a leader when ``holiday_leader_required``.
    """

    room = models.ForeignKey(
        DutyRoom, verbose_name=_("值班室"), on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(_("模板名称"), max_length=80)
    anchor = models.DateField(
        _("轮换起始日"), default=timezone.localdate, help_text=_("轮换从这一天的第一人开始")
    )
    leaders = models.ManyToManyField(
        "accounts.Person", verbose_name=_("带班领导轮换"), related_name="+", blank=True
    )
    officers = models.ManyToManyField(
        "accounts.Person", verbose_name=_("值班员轮换"), related_name="+", blank=True
    )
    standby = models.ManyToManyField(
        "accounts.Person", verbose_name=_("备勤轮换"), related_name="+", blank=True
    )
    officers_per_shift = models.PositiveSmallIntegerField(_("每班值班员人数"), default=2)
    standby_per_shift = models.PositiveSmallIntegerField(_("每班备勤人数"), default=1)
    holiday_mode = models.CharField(
        _("休息日排班"), max_length=20, choices=HolidayMode.choices, default=HolidayMode.SAME
    )
    holiday_leaders = models.ManyToManyField(
        "accounts.Person", verbose_name=_("节假日带班领导轮换"), related_name="+", blank=True
    )
    holiday_officers = models.ManyToManyField(
        "accounts.Person", verbose_name=_("节假日值班员轮换"), related_name="+", blank=True
    )
    holiday_leader_required = models.BooleanField(
        _("节假日须有带班领导"), default=True, help_text=_("法定节假日班次必须安排带班领导")
    )

    scope = Scope(place="room__place", department="room__department")

    class Meta:
        verbose_name = _("排班模板")
        verbose_name_plural = _("排班模板")
        ordering = ["room", "name"]

    def __str__(self):
        return f"{self.room} · {self.name}"

    def clean(self):
        if self.officers_per_shift < 1:
            raise ValidationError(
                {"officers_per_shift": ValidationError(_("每班至少一名值班员。"), code="officers_min")}
            )


class Shift(BaseModel):
    """One 24-hour shift of a duty room (值班班次), from the hand-over time of ``date`` to the next
    day's. Its posts are :class:`ShiftMember` rows. ``edited`` marks a shift changed by hand or by a
    swap: generating the month again keeps it."""

    room = models.ForeignKey(
        DutyRoom, verbose_name=_("值班室"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("值班日期"))
    starts_at = models.DateTimeField(_("接班时间"))
    ends_at = models.DateTimeField(_("交班时间"))
    kind = models.CharField(
        _("日期类型"), max_length=10, choices=ShiftKind.choices, default=ShiftKind.WORKDAY
    )
    day_name = models.CharField(_("节日名称"), max_length=30, blank=True)
    leader_required = models.BooleanField(_("须有带班领导"), default=False)
    edited = models.BooleanField(
        _("已人工调整"), default=False, help_text=_("人工修改或换班后为“是”，重新生成排班时保留")
    )
    template = models.ForeignKey(
        RosterTemplate,
        verbose_name=_("排班模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope(place="room__place", department="room__department")

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["room", "date"]
        constraints = [models.UniqueConstraint(fields=["room", "date"], name="duty_one_shift_per_room_day")]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="duty_shift_span")]

    def __str__(self):
        return f"{self.room} {self.date:%Y-%m-%d}"

    @property
    def is_rest_day(self) -> bool:
        return self.kind in (ShiftKind.WEEKEND, ShiftKind.HOLIDAY)

    def members_by_role(self) -> dict:
        out = {role: [] for role in DutyRole.values}
        for member in self.members.all():
            out[member.role].append(member.person)
        return out


class ShiftMember(BaseModel):
    """One person on one post of a shift (带班领导 / 值班员 / 备勤). "Who is on duty now" is one query:
    ``ShiftMember.objects.filter(shift__starts_at__lte=now, shift__ends_at__gt=now)``."""

    shift = models.ForeignKey(Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("岗位"), max_length=10, choices=DutyRole.choices)
    person = models.ForeignKey(
        "accounts.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    scope = Scope(place="shift__room__place", department="shift__room__department")

    class Meta:
        verbose_name = _("值班人员")
        verbose_name_plural = _("值班人员")
        ordering = ["shift", "role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="duty_person_once_per_shift"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person}"


class SwapRequest(BaseModel):
    """A request to hand one's post on a shift to someone else (换班/替班), approved or rejected by a
    bureau officer of the room's place. With ``counter_shift`` it is an exchange: the other person's
    post on that shift passes back to the requester."""

    shift = models.ForeignKey(Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="swaps")
    from_person = models.ForeignKey(
        "accounts.Person", verbose_name=_("原值班人员"), on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        "accounts.Person", verbose_name=_("替班人员"), on_delete=models.PROTECT, related_name="+"
    )
    counter_shift = models.ForeignKey(
        Shift,
        verbose_name=_("对调班次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("对调时填写：替班人员在该班次的岗位交给原值班人员"),
    )
    reason = models.CharField(_("换班理由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    scope = Scope(place="shift__room__place", department="shift__room__department")

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.shift} {self.from_person} → {self.to_person}"


class Handover(BaseModel):
    """A handover (交接班) at the end of a shift: the outgoing shift's summary and the open items
    (:class:`HandoverItem`) passed to the next shift."""

    room = models.ForeignKey(
        DutyRoom, verbose_name=_("值班室"), on_delete=models.CASCADE, related_name="handovers"
    )
    from_shift = models.ForeignKey(
        Shift, verbose_name=_("交班班次"), on_delete=models.CASCADE, related_name="handovers_out"
    )
    to_shift = models.ForeignKey(
        Shift,
        verbose_name=_("接班班次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handovers_in",
    )
    handed_at = models.DateTimeField(_("交接时间"), default=timezone.now)
    summary = models.TextField(_("值班情况"))
    handed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("交班人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried = models.ManyToManyField(
        "HandoverItem", verbose_name=_("移交的待办事项"), blank=True, related_name="carried_in"
    )

    scope = Scope(place="room__place", department="room__department")

    class Meta:
        verbose_name = _("交接班记录")
        verbose_name_plural = _("交接班记录")
        ordering = ["-handed_at"]
        constraints = [models.UniqueConstraint(fields=["from_shift"], name="duty_one_handover_per_shift")]

    def __str__(self):
        return f"{self.room} {self.from_shift.date:%Y-%m-%d} 交接班"


class HandoverItem(BaseModel):
    """An open item (待办事项) recorded at a handover; it stays with the room, shown to every following
    shift, until someone closes it."""

    room = models.ForeignKey(
        DutyRoom, verbose_name=_("值班室"), on_delete=models.CASCADE, related_name="items"
    )
    handover = models.ForeignKey(
        Handover, verbose_name=_("提出于"), on_delete=models.CASCADE, related_name="new_items"
    )
    text = models.CharField(_("事项"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(place="room__place", department="room__department")

    class Meta:
        verbose_name = _("交接事项")
        verbose_name_plural = _("交接事项")
        ordering = ["room", "created"]
        indexes = [models.Index(fields=["room", "status"], name="duty_item_open")]

    def __str__(self):
        return self.text


class RollCall(BaseModel):
    """One roll-call (点名) of a lower room by its upper room: when it was called, until when it must
    be answered (the configurable window, default 5 minutes), who answered and when. A call not
    answered by ``due_at`` is missed."""

    caller = models.ForeignKey(
        DutyRoom, verbose_name=_("点名单位"), on_delete=models.CASCADE, related_name="calls_made"
    )
    room = models.ForeignKey(
        DutyRoom, verbose_name=_("被点名值班室"), on_delete=models.CASCADE, related_name="roll_calls"
    )
    called_at = models.DateTimeField(_("点名时间"))
    due_at = models.DateTimeField(_("应答时限"))
    origin = models.CharField(
        _("方式"), max_length=10, choices=RollCallOrigin.choices, default=RollCallOrigin.MANUAL
    )
    called_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("点名人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RollCallStatus.choices, default=RollCallStatus.PENDING
    )
    answered_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("应答人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_note = models.CharField(_("应答情况"), max_length=200, blank=True)

    scope = Scope(place="room__place", department="room__department")

    class Meta:
        verbose_name = _("点名记录")
        verbose_name_plural = _("点名记录")
        ordering = ["-called_at", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "room", "called_at"], name="duty_one_call_per_room_instant"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="duty_rollcall_due"),
            models.Index(fields=["room", "called_at"], name="duty_rollcall_room"),
        ]

    def __str__(self):
        return f"{self.caller} → {self.room} {timezone.localtime(self.called_at):%m-%d %H:%M}"

    @property
    def answer_seconds(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.called_at).total_seconds()
