from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.accounts.models import Person, RoleAssignment, User
from yingji.framework.forms import ScopedModelForm


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "mobile",
            "landline",
            "id_number",
            "email",
            "place",
            "enterprise",
            "department",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        self.fields["place"].help_text = _("留空时取所在单位的地区")


class UserForm(ScopedModelForm):
    password = forms.CharField(
        label=_("新密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("至少10位，不能全为数字；留空则不修改"),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "person", "email", "is_active"]

    def save(self, commit=False):
        """The view saves through ``save_user``; the new password travels on the instance."""
        user = super().save(commit=False)
        user._new_password = self.cleaned_data.get("password") or None
        return user


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "place", "enterprise", "department"]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autofocus": True}),
    )
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"class": "form-control"}))
