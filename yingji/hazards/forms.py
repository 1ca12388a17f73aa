"""Forms of the hazard pages. They only parse input; the rules are checked by the workflow services,
whose errors (with their codes) are put next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.hazards.choices import DisasterType, Grade, HazardKind, PhotoStage, Source
from yingji.hazards.criteria import standard_choices
from yingji.hazards.models import Hazard, RectificationPlan
from yingji.hazards.services import EDITABLE_FIELDS


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class HazardEditForm(ScopedModelForm):
    """Corrections of the descriptive fields (the steps of the loop have their own forms)."""

    class Meta:
        model = Hazard
        fields = list(EDITABLE_FIELDS)


class HazardReportForm(forms.Form):
    """上报隐患 (phone-friendly): an enterprise, a village, or the point where it was found."""

    kind = forms.ChoiceField(label=_("隐患类别"), choices=HazardKind.choices, initial=HazardKind.WORK_SAFETY)
    disaster_type = forms.ChoiceField(
        label=_("灾害隐患类型"), choices=[("", "—")] + list(DisasterType.choices), required=False
    )
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    title = forms.CharField(label=_("隐患名称"), max_length=200, required=False)
    description = forms.CharField(
        label=_("隐患描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.CharField(label=_("隐患分类（检查项）"), max_length=60, required=False)
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, required=False)
    place = forms.ModelChoiceField(label=_("所在村（社区）"), queryset=None, required=False)
    address = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    longitude = forms.FloatField(label=_("经度"), required=False)
    latitude = forms.FloatField(label=_("纬度"), required=False)
    found_at = forms.DateTimeField(
        label=_("发现时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空为当前时间"),
    )
    photo = forms.ImageField(label=_("现场照片"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        from yingji.orgs.models import Enterprise
        from yingji.places.models import Place

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (
            Enterprise.objects.visible_to(user).only("id", "name").order_by("name")
        )
        self.fields["place"].queryset = (
            Place.objects.visible_to(user).filter(level="village").defer("boundary").order_by("code")
        )
        _style(self)


class ConfirmForm(forms.Form):
    grade = forms.ChoiceField(label=_("隐患等级"), choices=[("", "—")] + list(Grade.choices), required=False)
    major_standard = forms.ChoiceField(
        label=_("重大隐患判定标准"), choices=[("", "—")] + standard_choices(), required=False
    )
    major_criterion = forms.CharField(label=_("判定依据（条款、情形）"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("不予认定理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AssignForm(forms.Form):
    """交办整改: the 五落实, and for a major hazard the six elements of its 治理方案."""

    responsible = forms.ModelChoiceField(label=_("整改责任人"), queryset=None, required=False)
    responsible_unit = forms.CharField(label=_("整改责任单位"), max_length=200, required=False)
    measures = forms.CharField(label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    funds = forms.DecimalField(label=_("整改资金（万元）"), required=False, min_value=0, decimal_places=2)
    due_at = forms.DateField(
        label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contingency_plan = forms.CharField(
        label=_("应急预案（防范措施）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, hazard=None, user=None, **kwargs):
        from yingji.accounts.models import Person

        super().__init__(*args, **kwargs)
        persons = Person.objects.visible_to(user).defer("id_number")
        if hazard is not None and hazard.enterprise_id:
            persons = persons.filter(enterprise_id=hazard.enterprise_id)
        elif hazard is not None:  # the persons of the hazard's town
            town = "/".join(hazard.place.path.strip("/").split("/")[:3]) + "/"
            persons = persons.filter(place__path__startswith=town)
        self.fields["responsible"].queryset = persons.order_by("name")
        self.major = hazard is not None and hazard.grade == Grade.MAJOR
        if self.major:
            for name in RectificationPlan.ELEMENTS:
                self.fields[f"plan_{name}"] = forms.CharField(
                    label=RectificationPlan._meta.get_field(name).verbose_name,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        _style(self)

    def plan(self) -> dict:
        return {name: self.cleaned_data.get(f"plan_{name}", "") for name in RectificationPlan.ELEMENTS}


class NoteForm(forms.Form):
    """Progress, rectification evidence, immediate fix, closing: a text and an optional photo."""

    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("照片"), required=False)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
        _style(self)


class VerifyForm(NoteForm):
    approve = forms.ChoiceField(
        label=_("验收结论"),
        choices=[("yes", _("通过")), ("no", _("不通过，退回整改"))],
        widget=forms.RadioSelect,
        initial="yes",
    )


class SuperviseForm(forms.Form):
    level_place = forms.ModelChoiceField(label=_("挂牌督办单位"), queryset=None, required=False)
    due_at = forms.DateField(
        label=_("督办时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("督办要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, places=(), **kwargs):
        from yingji.places.models import Place

        super().__init__(*args, **kwargs)
        self.fields["level_place"].queryset = Place.objects.filter(pk__in=[p.pk for p in places]).defer(
            "boundary"
        )
        _style(self)


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=PhotoStage.choices)
    image = forms.ImageField(label=_("照片"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
