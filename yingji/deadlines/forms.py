from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.deadlines.choices import CalendarDayKind
from yingji.deadlines.models import CalendarDay
from yingji.framework.forms import ScopedModelForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CalendarDayForm(ScopedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "note"]
        widgets = {"date": DateInput()}


class CalendarRangeForm(forms.Form):
    """A whole period of the State Council notice at once, e.g. 2027-02-06 … 2027-02-14 放假 春节."""

    start = forms.DateField(label=_("开始日期"), widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label=_("结束日期（含）"), widget=DateInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(
        label=_("类型"), choices=CalendarDayKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label=_("节日"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "春节"}),
    )
    note = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class SupervisionForm(forms.Form):
    """挂牌督办: the listing level, the new time limit (24:00 of the date) and the requirements."""

    level_place = forms.ModelChoiceField(
        label=_("挂牌督办单位"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    due_date = forms.DateField(
        label=_("督办时限"),
        required=False,
        help_text=_("留空则沿用原办理时限"),
        widget=DateInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("督办要求"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )

    def __init__(self, *args, places=(), **kwargs):
        from yingji.places.models import Place

        super().__init__(*args, **kwargs)
        self.fields["level_place"].queryset = Place.objects.filter(pk__in=[p.pk for p in places]).order_by(
            "path"
        )
