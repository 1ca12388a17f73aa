from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.risks import grading
from yingji.risks.models import (
    ControlMeasure,
    RegionRisk,
    RegionRiskMeasure,
    RiskPoint,
    RiskProfile,
    RiskReport,
)


def _choices(table) -> list:
    return [("", "—")] + [(f"{value:g}", f"{value:g} {label}") for value, label in table.items()]


def _float_or_none(value):
    return None if value in ("", None) else float(value)


def _int_or_none(value):
    return None if value in ("", None) else int(value)


class AssessedFormMixin:
    """LEC and LS factors offered as their standard value tables (grading refuses anything else)."""

    def setup_factors(self):
        for name, table, coerce in (
            ("lec_l", grading.LEC_L, _float_or_none),
            ("lec_e", grading.LEC_E, _float_or_none),
            ("lec_c", grading.LEC_C, _float_or_none),
            ("ls_l", grading.LS_L, _int_or_none),
            ("ls_s", grading.LS_S, _int_or_none),
        ):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = forms.TypedChoiceField(
                    label=old.label,
                    choices=_choices(table),
                    coerce=coerce,
                    empty_value=None,
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
                if self.instance.pk and getattr(self.instance, name) is not None:
                    self.initial[name] = f"{getattr(self.instance, name):g}"
        if "review_date" in self.fields:
            self.fields["review_date"].widget = forms.DateInput(
                attrs={"type": "date", "class": "form-control"}
            )


_ASSESSMENT = ["accident_types", "method", "lec_l", "lec_e", "lec_c", "ls_l", "ls_s"]


def _single_enterprise(form):
    """Pre-select the enterprise when the user may pick only one (an enterprise user)."""
    field = form.fields.get("enterprise")
    if field is not None and not form.instance.pk and not form.initial.get("enterprise"):
        choices = list(field.queryset[:2])
        if len(choices) == 1:
            form.initial["enterprise"] = choices[0].pk


class RiskPointForm(AssessedFormMixin, ScopedModelForm):
    class Meta:
        model = RiskPoint
        fields = [
            "enterprise",
            "name",
            "area",
            "unit",
            "post",
            "hazard_factors",
            *_ASSESSMENT,
            "control_level",
            "responsible_name",
            "responsible_unit",
            "review_date",
        ]
        widgets = {"hazard_factors": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_factors()
        _single_enterprise(self)


class ControlMeasureForm(ScopedModelForm):
    class Meta:
        model = ControlMeasure
        fields = ["risk_point", "kind", "content", "responsible_name"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}


class RiskProfileForm(ScopedModelForm):
    class Meta:
        model = RiskProfile
        fields = ["enterprise", "note"]


class RiskReportForm(ScopedModelForm):
    class Meta:
        model = RiskReport
        fields = ["enterprise", "kind", "period", "reason", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.risks.reporting import current_period

        self.fields["period"].initial = current_period()
        _single_enterprise(self)
        self.fields["period"].help_text = _("定期报告填写报告期；变更报告可留空（取当前报告期）")


class RegionRiskForm(AssessedFormMixin, ScopedModelForm):
    class Meta:
        model = RegionRisk
        fields = [
            "place",
            "department",
            "name",
            "category",
            "location",
            "description",
            *_ASSESSMENT,
            "responsible_unit",
            "responsible_name",
            "review_date",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_factors()


class RegionRiskMeasureForm(ScopedModelForm):
    class Meta:
        model = RegionRiskMeasure
        fields = ["region_risk", "kind", "content", "responsible_unit"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}
