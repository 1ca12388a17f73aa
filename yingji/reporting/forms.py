from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.incidents.choices import Status
from yingji.incidents.models import Incident
from yingji.orgs.models import Department
from yingji.places.models import Place
from yingji.reporting.choices import RecipientLevel, ReportKind
from yingji.reporting.models import IncomingInfo, MisReport, UpwardReport

_DT = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(FilesField, self).clean(f, initial) for f in files]


class IncomingInfoForm(ScopedModelForm):
    """The 接报 form: the first thing a duty officer fills in, so only the essentials are required
    (type, place, time of occurrence); the time received defaults to now."""

    incident = forms.ModelChoiceField(
        label=_("关联已有事件"),
        queryset=Incident.objects.none(),
        required=False,
        help_text=_("同一事件的后续信息请选择已有事件；留空则新建事件"),
    )
    title = forms.CharField(
        label=_("事件名称"), max_length=200, required=False, help_text=_("留空时按“地点+类型”自动生成")
    )
    attachments = FilesField(
        label=_("附件"), required=False, help_text=_("现场照片（JPG/PNG）或文件（PDF、Word、Excel），可多选")
    )

    class Meta:
        model = IncomingInfo
        fields = [
            "source",
            "received_at",
            "reporter_name",
            "reporter_phone",
            "reporter_unit",
            "event_type",
            "place",
            "address",
            "occurred_at",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss_wan",
            "description",
            "longitude",
            "latitude",
        ]
        widgets = {
            "received_at": forms.DateTimeInput(**_DT),
            "occurred_at": forms.DateTimeInput(**_DT),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["incident"].queryset = (
            Incident.objects.visible_to(user, "view").exclude(status=Status.CLOSED).order_by("-occurred_at")
        )
        self.fields["incident"].widget.attrs["class"] = "form-select"
        self.fields["title"].widget.attrs["class"] = "form-control"
        self.fields["attachments"].widget.attrs["class"] = "form-control"
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        self.order_fields(["incident", "title", *self.Meta.fields, "attachments"])


class UpwardReportForm(ScopedModelForm):
    """信息上报: the six elements of 493号令 第十二条 and the figures at the time of the report."""

    class Meta:
        model = UpwardReport
        fields = [
            "reported_at",
            "external_recipient",
            "copies",
            "copy_note",
            "unit_overview",
            "time_place_scene",
            "course",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss_wan",
            "measures",
            "other",
        ]
        widgets = {
            "reported_at": forms.DateTimeInput(**_DT),
            "copies": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("unit_overview", "time_place_scene", "course", "measures", "other")
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["reported_at"].required = False
        self.fields["reported_at"].help_text = _("留空为当前时间")
        self.fields["copies"].queryset = Department.objects.none()


class NewReportForm(UpwardReportForm):
    """An extra report (a 续报 with news, a 终报, a department's report) not created by the rules."""

    incident = forms.ModelChoiceField(label=_("事件"), queryset=Incident.objects.none())
    kind = forms.ChoiceField(label=_("报送类型"), choices=ReportKind.choices)
    from_place = forms.ModelChoiceField(
        label=_("报送地区"), queryset=Place.objects.none(), help_text=_("县（区）或市")
    )
    from_department = forms.ModelChoiceField(
        label=_("报送部门"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("行业部门报送时选择；将自动抄送同级应急管理部门"),
    )
    recipient_level = forms.ChoiceField(label=_("接收层级"), choices=RecipientLevel.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["incident"].queryset = Incident.objects.visible_to(user, "view").order_by("-occurred_at")
        self.fields["from_place"].queryset = Place.objects.visible_to(user, "view").filter(
            level__in=("county", "city")
        )
        departments = Department.objects.visible_to(user, "view").filter(place__level__in=("county", "city"))
        self.fields["from_department"].queryset = departments
        self.fields["copies"].queryset = departments
        for name in ("incident", "from_place", "from_department", "kind", "recipient_level"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.order_fields(["incident", "kind", "from_place", "from_department", "recipient_level"])


class MisReportForm(ScopedModelForm):
    class Meta:
        model = MisReport
        fields = ["incident", "report", "kind", "found_at", "responsible_unit", "description"]
        widgets = {"found_at": forms.DateTimeInput(**_DT), "description": forms.Textarea(attrs={"rows": 4})}
