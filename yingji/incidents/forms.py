from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingji.accounts.models import Person
from yingji.framework.forms import ScopedModelForm
from yingji.incidents.choices import ResponseLevel, Status
from yingji.incidents.models import DepartmentDuty, Incident, IncidentReview, PlanDuty, ResponsePlan
from yingji.orgs.models import Department
from yingji.places.models import Place

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
    """一键通知: pick the departments, people and places around the incident (only those the user may
    see), plus any further mobile numbers."""

    subject = forms.CharField(label=_("标题"), max_length=200, required=False)
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    departments = forms.ModelMultipleChoiceField(
        label=_("部门"), queryset=Department.objects.none(), required=False, help_text=_("通知部门的登记人员")
    )
    persons = forms.ModelMultipleChoiceField(label=_("人员"), queryset=Person.objects.none(), required=False)
    places = forms.ModelMultipleChoiceField(
        label=_("地区"), queryset=Place.objects.none(), required=False, help_text=_("应急广播、显示屏等")
    )
    mobiles = forms.CharField(
        label=_("其他手机号码"), required=False, help_text=_("多个号码用逗号或空格分隔")
    )
    channels = forms.MultipleChoiceField(
        label=_("渠道"),
        required=False,
        choices=[("inapp", _("站内消息")), ("sms", _("短信")), ("broadcast", _("应急广播"))],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, incident, user, **kwargs):
        super().__init__(*args, **kwargs)
        ancestors = incident.place.chain_paths()
        # the incident's place and its ancestors, and the places one level below the incident's town
        # (its villages) or below the incident's own place above town level. Only one level down, so
        # that an incident recorded at a county or the city offers its towns or districts, not the
        # hundreds or thousands of villages beneath them.
        local = (
            incident.place.parent
            if incident.place.level == "village" and incident.place.parent_id
            else incident.place
        )
        self.fields["places"].queryset = (
            Place.objects.visible_to(user)
            .filter(Q(path__in=ancestors) | Q(pk=local.pk) | Q(parent_id=local.pk))
            .defer("boundary")
            .order_by("path")
        )
        departments = Department.objects.visible_to(user).filter(place__path__in=ancestors)
        self.fields["departments"].queryset = departments.select_related("place").order_by(
            "place__path", "name"
        )
        self.fields["persons"].queryset = (
            Person.objects.visible_to(user)
            .filter(department__in=departments)
            .order_by("department_id", "name")
        )
        for name in ("departments", "persons", "places"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "size": "4"})

    def clean_mobiles(self):
        raw = self.cleaned_data["mobiles"].replace("，", ",").replace(",", " ")
        return [m for m in raw.split() if m]


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
