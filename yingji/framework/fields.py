from django import forms
from django.db import models


class FlagsField(models.CharField):
    """A set of flag codes stored as ",code1,code2," so that one flag is one portable LIKE filter
    (``field__contains=",code,"``) on SQLite and PostgreSQL alike. In Python it is a list of codes."""

    def __init__(self, *args, flag_choices=(), **kwargs):
        self.flag_choices = list(flag_choices)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["flag_choices"] = self.flag_choices
        return name, path, args, kwargs

    @staticmethod
    def to_list(value) -> list[str]:
        if not value:
            return []
        if isinstance(value, (list, tuple, set)):
            return [v for v in value if v]
        return [v for v in str(value).split(",") if v]

    def from_db_value(self, value, expression, connection):
        return self.to_list(value)

    def to_python(self, value):
        return self.to_list(value)

    def get_prep_value(self, value):
        codes = self.to_list(value)
        return "," + ",".join(codes) + "," if codes else ""

    def validate(self, value, model_instance):
        valid = {c for c, _ in self.flag_choices}
        bad = [v for v in self.to_list(value) if v not in valid]
        if bad:
            from django.core.exceptions import ValidationError

            raise ValidationError("未知的标记：%(bad)s", code="invalid_flag", params={"bad": ", ".join(bad)})

    def value_to_string(self, obj):
        return ",".join(self.value_from_object(obj))

    def display(self, value) -> str:
        labels = dict(self.flag_choices)
        return "、".join(str(labels.get(v, v)) for v in self.to_list(value))

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.flag_choices,
            required=not self.blank,
            label=self.verbose_name,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )
