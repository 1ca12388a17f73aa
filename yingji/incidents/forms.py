from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.incidents.choices import ResponseLevel, Status
from yingji.incidents.models import DepartmentDuty, Incident, IncidentReview, PlanDuty, ResponsePlan

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(ScopedModelForm):
    """The category follows from the type; the grade of an accident is computed (493号令 第三条)."""

    class Meta:
        model = Incident
        fields = [
            "title",
            "event_type",
            "grade",
            "place",
            "address",
            "longitude",
            "latitude",
            "enterprise",
            "occurred_at",
            "received_at",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "trapped",
            "evacuated",
            "direct_loss_wan",
            "description",
            "measures",
        ]
        widgets = {"occurred_at": _DT, "received_at": _DT}


class ResponsePlanForm(ScopedModelForm):
    class Meta:
        model = ResponsePlan
        fields = ["name", "place", "category", "event_type", "level", "steps", "source", "active"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 8})}


class PlanDutyForm(ScopedModelForm):
    class Meta:
        model = PlanDuty
        fields = ["plan", "order", "role", "department", "department_kind", "task", "time_limit_minutes"]


class DepartmentDutyForm(ScopedModelForm):
    class Meta:
        model = DepartmentDuty
        fields = ["place", "department", "department_kind", "category", "event_type", "duties", "source"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 5})}


# --- action forms of the command page -----------------------------------------------------------


class LevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("响应级别"), choices=[("", _("解除响应"))] + list(ResponseLevel.choices), required=False
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Status.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class CasualtiesForm(forms.Form):
    deaths = forms.IntegerField(label=_("死亡"), min_value=0, required=False)
    missing = forms.IntegerField(label=_("失踪"), min_value=0, required=False)
    serious_injuries = forms.IntegerField(label=_("重伤"), min_value=0, required=False)
    minor_injuries = forms.IntegerField(label=_("轻伤"), min_value=0, required=False)
    trapped = forms.IntegerField(label=_("被困"), min_value=0, required=False)
    evacuated = forms.IntegerField(label=_("转移"), min_value=0, required=False)
    direct_loss_wan = forms.DecimalField(
        label=_("直接经济损失（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


class CommandForm(forms.Form):
    commander = forms.CharField(label=_("现场指挥长"), max_length=60, required=False)
    command_post = forms.CharField(label=_("现场指挥部"), max_length=200, required=False)
    longitude = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=500)
    decision = forms.BooleanField(label=_("作为决策记录"), required=False)


class NotifyForm(forms.Form):
    subject = forms.CharField(label=_("标题"), max_length=200, required=False)
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    users = forms.CharField(label=_("账号编号"), required=False)
    persons = forms.CharField(label=_("人员编号"), required=False)
    places = forms.CharField(label=_("地区（区划代码）"), required=False)
    departments = forms.CharField(label=_("部门编号"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("渠道"),
        required=False,
        choices=[("inapp", _("站内消息")), ("sms", _("短信")), ("broadcast", _("应急广播"))],
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = IncidentReview
        fields = ["summary", "causes", "went_well", "improvements", "lessons", "participants", "reviewed_at"]
        widgets = {
            "reviewed_at": _DT,
            **{
                name: forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"})
                for name in ("summary", "causes", "went_well", "improvements", "lessons")
            },
        }
