from django import forms
from django.core.exceptions import ValidationError

from yingji.framework.masking import keep_unchanged_masked, mask_value, personal_fields


class ScopedModelForm(forms.ModelForm):
    """A model form that offers only what the user may see in its dropdowns and masks personal data.

    Every foreign key whose model is scoped (has ``objects.visible_to``) is limited to the rows the
    user may view, so a town officer cannot even pick another town's village.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            qs = getattr(field, "queryset", None)
            if qs is not None and hasattr(qs, "visible_to"):
                field.queryset = qs.visible_to(user, "view")
        from yingji.framework.access import has_clearance

        if self.instance.pk and not has_clearance(user):
            for name, kind in personal_fields(type(self.instance)).items():
                if name in self.fields:
                    self.initial[name] = mask_value(kind, getattr(self.instance, name))
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-select"
                if isinstance(widget, forms.Select) and not isinstance(widget, forms.CheckboxSelectMultiple)
                else "form-check-input"
                if isinstance(widget, (forms.CheckboxInput,))
                else ""
                if isinstance(widget, forms.CheckboxSelectMultiple)
                else "form-control"
            )
            if css:
                widget.attrs.setdefault("class", css)

    def _clean_fields(self):
        super()._clean_fields()
        # a masked value sent back unchanged keeps the stored value
        kept = keep_unchanged_masked(self.instance, self.cleaned_data)
        for name in set(self.cleaned_data) - set(kept):
            self.cleaned_data[name] = getattr(self.instance, name)

    def _post_clean(self):
        super()._post_clean()
        self.mark_invalid()

    def mark_invalid(self):
        """Bootstrap shows a field's error only when its widget carries ``is-invalid``."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-errors"

    def add_validation_error(self, exc: ValidationError):
        """Put a model ValidationError raised by a service next to its fields."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)
        self.mark_invalid()
