from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.checklists.models import CheckItem, CheckPlan, CheckRecord
from yingji.framework.forms import ScopedModelForm


class CheckPlanForm(ScopedModelForm):
    class Meta:
        model = CheckPlan
        fields = ["enterprise", "name", "post", "frequency", "responsible", "start_date", "active", "note"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CheckItemForm(ScopedModelForm):
    class Meta:
        model = CheckItem
        fields = ["plan", "order", "text", "category", "basis"]


class CheckRecordForm(ScopedModelForm):
    """Editing a recorded check: only who did it and the note (period and results are fixed)."""

    class Meta:
        model = CheckRecord
        fields = ["performer_name", "note"]


class PerformCheckForm(forms.Form):
    """One row per item of the plan: OK / not OK, a note, and (for "not OK") report as a hazard."""

    period = forms.DateField(
        label=_("检查日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("按此日期所在的日/周/月登记"),
    )
    performer_name = forms.CharField(
        label=_("检查人"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"ok_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=[("1", _("正常")), ("0", _("不正常"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("情况说明"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"hazard_{item.pk}"] = forms.BooleanField(
                label=_("上报为隐患"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def rows(self):
        return [
            (item, self[f"ok_{item.pk}"], self[f"note_{item.pk}"], self[f"hazard_{item.pk}"])
            for item in self.items
        ]

    def results(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "item": item,
                "ok": data[f"ok_{item.pk}"] == "1",
                "note": data[f"note_{item.pk}"],
                "report_hazard": data[f"hazard_{item.pk}"],
            }
            for item in self.items
        ]
