import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.accounts.models import Person
from yingji.duty.models import DutyRoom, RosterTemplate, Shift
from yingji.framework.forms import ScopedModelForm

PERSON_FIELDS = ("leaders", "officers", "standby", "holiday_leaders", "holiday_officers")


def officials(user):
    """Persons who can be put on a roster: officials of a department or town government in scope."""
    return Person.objects.visible_to(user).filter(department__isnull=False).only("pk", "name", "position")


class DutyRoomForm(ScopedModelForm):
    class Meta:
        model = DutyRoom
        fields = ["name", "place", "department", "phone", "handover_time"]
        widgets = {"handover_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class RosterTemplateForm(ScopedModelForm):
    class Meta:
        model = RosterTemplate
        fields = [
            "room",
            "name",
            "anchor",
            "leaders",
            "officers",
            "officers_per_shift",
            "standby",
            "standby_per_shift",
            "holiday_mode",
            "holiday_leaders",
            "holiday_officers",
            "holiday_leader_required",
        ]
        widgets = {"anchor": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in PERSON_FIELDS:
            self.fields[name].queryset = officials(user)
            self.fields[name].widget.attrs["size"] = 8


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            day = dt.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("月份格式应为 YYYY-MM，如 2026-10。"), code="invalid_month"
            ) from None
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("月份超出范围。"), code="invalid_month")
        return day


class GenerateForm(forms.Form):
    template = forms.ModelChoiceField(RosterTemplate.objects.none(), label=_("排班模板"))
    month = MonthField(label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, user=None, room=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = RosterTemplate.objects.visible_to(user, "change")
        self.fields["template"].queryset = qs.filter(room=room) if room else qs


class ShiftMembersForm(forms.Form):
    leader = forms.ModelChoiceField(Person.objects.none(), label=_("带班领导"), required=False)
    officers = forms.ModelMultipleChoiceField(Person.objects.none(), label=_("值班员"))
    standby = forms.ModelMultipleChoiceField(Person.objects.none(), label=_("备勤"), required=False)
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "officers", "standby"):
            self.fields[name].queryset = officials(user)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "queryset") else "form-control"
            )


class SwapForm(forms.Form):
    shift = forms.ModelChoiceField(Shift.objects.none(), label=_("班次"))
    from_person = forms.ModelChoiceField(Person.objects.none(), label=_("原值班人员"))
    to_person = forms.ModelChoiceField(Person.objects.none(), label=_("替班人员"))
    counter_shift = forms.ModelChoiceField(
        Shift.objects.none(), label=_("对调班次"), required=False, help_text=_("对调时选择替班人员的班次")
    )
    reason = forms.CharField(label=_("换班理由"), max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        upcoming = (
            Shift.objects.visible_to(user)
            .filter(starts_at__gt=timezone.now())
            .select_related("room")
            .order_by("date", "room")[:400]
        )
        upcoming_ids = [s.pk for s in upcoming]
        qs = Shift.objects.filter(pk__in=upcoming_ids).select_related("room").order_by("date", "room")
        self.fields["shift"].queryset = qs
        self.fields["counter_shift"].queryset = qs
        for name in ("from_person", "to_person"):
            self.fields[name].queryset = officials(user)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field, "queryset") else "form-control"
            )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class HandoverForm(forms.Form):
    summary = forms.CharField(
        label=_("值班情况"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )
    new_items = forms.CharField(
        label=_("新增待办事项"),
        required=False,
        help_text=_("每行一项；未办结的事项自动移交下一班"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    close_items = forms.MultipleChoiceField(
        label=_("本班已办结的事项"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["close_items"].choices = [(str(i.pk), i.text) for i in items]


class CallForm(forms.Form):
    caller = forms.ModelChoiceField(DutyRoom.objects.none(), label=_("点名单位"))

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caller"].queryset = rooms if rooms is not None else DutyRoom.objects.none()
        self.fields["caller"].widget.attrs["class"] = "form-select form-select-sm"


class AnswerForm(forms.Form):
    note = forms.CharField(label=_("应答情况"), max_length=200, required=False)
