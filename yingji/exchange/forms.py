from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.exchange.choices import ImportKind


class ImportUploadForm(forms.Form):
    """Choose what to import and the filled-in template."""

    kind = forms.ChoiceField(
        label=_("导入类型"), choices=ImportKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in ImportKind.choices if k in kinds]
