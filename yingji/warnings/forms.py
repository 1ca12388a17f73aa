from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.framework.forms import ScopedModelForm
from yingji.places.models import Place
from yingji.warnings.choices import SubscriptionChannel
from yingji.warnings.models import Consultation, Subscription, Warning, WorkPrompt

DATETIME = {"type": "datetime-local"}


def _datetime_widget():
    return forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")


class WarningForm(ScopedModelForm):
    """Compose or edit a warning. The drawn area arrives as GeoJSON in a hidden input (map in
    ``static/warnings/compose.js``); the circle centre and radius are plain inputs the map fills."""

    class Meta:
        model = Warning
        fields = (
            "warning_type",
            "level",
            "headline",
            "issuer",
            "place",
            "effective_at",
            "expires_at",
            "description",
            "instruction",
            "area_places",
            "area_description",
            "area_polygon",
            "area_circle_latitude",
            "area_circle_longitude",
            "area_circle_radius_km",
            "target_groups",
            "industries",
            "risk_flags",
            "channels",
        )
        widgets = {
            "effective_at": _datetime_widget(),
            "expires_at": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "instruction": forms.Textarea(attrs={"rows": 4}),
            "area_polygon": forms.HiddenInput(),
            "area_places": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_places"].queryset = (
            self.fields["area_places"].queryset.defer("boundary").order_by("code")
        )
        self.fields["place"].queryset = self.fields["place"].queryset.defer("boundary").order_by("code")
        for name in ("area_circle_latitude", "area_circle_longitude", "area_circle_radius_km"):
            self.fields[name].widget.attrs.update({"step": "any"})
        self.fields["area_polygon"].required = False

    def clean_area_polygon(self):
        value = self.cleaned_data.get("area_polygon")
        return value or None


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class CapImportForm(forms.Form):
    file = forms.FileField(label=_("CAP 1.2 XML 文件"), required=False)
    text = forms.CharField(
        label=_("或粘贴 XML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )

    def document(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(1_000_001)
        return (self.cleaned_data.get("text") or "").encode()


class SubscriptionForm(ScopedModelForm):
    class Meta:
        model = Subscription
        fields = ("place", "channel", "address", "name", "active")


class PublicSubscriptionForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_("订阅地区"),
        queryset=Place.objects.filter(level__in=("city", "county", "town"))
        .defer("boundary")
        .order_by("code"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    channel = forms.ChoiceField(
        label=_("接收方式"),
        choices=SubscriptionChannel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    address = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    name = forms.CharField(
        label=_("称呼（可不填）"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("确认码"),
        max_length=6,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


class ConsultationForm(ScopedModelForm):
    class Meta:
        model = Consultation
        fields = ("kind", "title", "held_at", "place", "chair", "departments", "inputs", "conclusions")
        widgets = {
            "held_at": _datetime_widget(),
            "inputs": forms.Textarea(attrs={"rows": 5}),
            "conclusions": forms.Textarea(attrs={"rows": 5}),
            "departments": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = self.fields["place"].queryset.defer("boundary").order_by("code")


class WorkPromptForm(ScopedModelForm):
    class Meta:
        model = WorkPrompt
        fields = ("consultation", "number", "title", "content", "target_places", "target_departments")
        widgets = {
            "content": forms.Textarea(attrs={"rows": 8}),
            "target_places": forms.SelectMultiple(attrs={"size": 8}),
            "target_departments": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = self.fields["target_places"]
        places.queryset = (
            places.queryset.filter(level__in=("county", "town")).defer("boundary").order_by("code")
        )
