from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.reports import conf
from yingji.reports.choices import ReportKind, RewardDecision
from yingji.reports.models import PublicReport


class PublicReportForm(ScopedModelForm):
    """Officers' edit: re-route to another department, fix the place, keep an internal record."""

    class Meta:
        model = PublicReport
        fields = ["place", "department", "handling_note"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PublicSubmitForm(forms.Form):
    """The public report form (no account). ``website`` is a honeypot: people never see or fill it."""

    kind = forms.ChoiceField(label=_("举报类别"), choices=ReportKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("举报事项"), max_length=100, help_text=_("一句话概括，例如：某仓库违规存放液化气瓶")
    )
    description = forms.CharField(
        label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    enterprise_name = forms.CharField(label=_("被举报单位（选填）"), max_length=200, required=False)
    address = forms.CharField(label=_("具体位置（选填）"), max_length=200, required=False)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    area = forms.ChoiceField(
        label=_("所在镇（街道）"),
        required=False,
        help_text=_("未在地图上选择位置时必选"),
    )
    photos = PhotosField(
        label=_("现场照片（选填）"),
        required=False,
        help_text=_("最多 %(n)d 张，JPG/PNG/WebP，每张不超过 %(mb)d MB")
        % {"n": conf.MAX_PHOTOS, "mb": conf.MAX_PHOTO_BYTES // 2**20},
    )
    reporter_name = forms.CharField(label=_("您的姓名（选填）"), max_length=50, required=False)
    reporter_mobile = forms.CharField(
        label=_("您的手机（选填）"),
        max_length=20,
        required=False,
        help_text=_("留下手机号可收到受理和办结短信；不填即匿名举报"),
    )
    website = forms.CharField(required=False, label=_("请勿填写"))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("— 请选择 —")), *areas]
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "multiple": True})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for field in self.fields.values():
            if isinstance(field.widget, (forms.RadioSelect, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("不予受理理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ClueForm(forms.Form):
    text = forms.CharField(
        label=_("线索内容"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class CloseForm(forms.Form):
    result = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("将向举报人公开，请勿填写个人信息"),
    )


class RewardForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("奖励决定"),
        choices=RewardDecision.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    amount = forms.DecimalField(
        label=_("奖励金额（元）"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    decided_on = forms.DateField(
        label=_("决定日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ConvertForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("隐患所在企业（选填）"),
        queryset=None,
        help_text=_("列出举报所在镇（街道）的企业；位置不准时请先修改举报的所在区划"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    category = forms.CharField(
        label=_("隐患分类（选填）"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, user=None, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.orgs.models import Enterprise
        from yingji.places.choices import PlaceLevel

        qs = Enterprise.objects.visible_to(user, "view").only("id", "name").order_by("name")
        if report is not None:
            # the report's town: a village's parent, else the town (or county) the reporter chose
            place = report.place
            area = place.path.rsplit("/", 2)[0] + "/" if place.level == PlaceLevel.VILLAGE else place.path
            qs = qs.filter(place__path__startswith=area)
            if report.enterprise_name.strip() and not self.is_bound:
                self.initial["enterprise"] = _named(qs, report.enterprise_name.strip())
        self.fields["enterprise"].queryset = qs


def _named(enterprises, name: str):
    """The one enterprise called ``name``, else the one whose name contains it, else None."""
    for lookup in ("name", "name__icontains"):
        found = list(enterprises.filter(**{lookup: name}).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0]
    return None
