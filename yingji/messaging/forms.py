from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.messaging.channels import channel_choices
from yingji.messaging.choices import ChannelCode, MessageCategory


class MessageSendForm(forms.Form):
    """An officer's message: recipients are offered only from the officer's scope."""

    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    link = forms.CharField(
        label=_("链接"),
        max_length=500,
        required=False,
        help_text=_("可选：打开消息时跳转的平台内页面，如 /orgs/enterprises/1/"),
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=MessageCategory.choices, initial=MessageCategory.GENERAL
    )
    channels = forms.MultipleChoiceField(
        label=_("发送渠道"), widget=forms.CheckboxSelectMultiple, initial=[ChannelCode.INAPP]
    )
    users = forms.ModelMultipleChoiceField(
        label=_("接收用户"),
        queryset=None,
        required=False,
        help_text=_("站内消息发到账号；短信、语音发到其人员的手机"),
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("接收人员"),
        queryset=None,
        required=False,
        help_text=_("短信、语音、政务微信发到手机；有账号的同时收到站内消息"),
    )
    places = forms.ModelMultipleChoiceField(
        label=_("广播/显示屏地区"), queryset=None, required=False, help_text=_("应急广播和显示屏按地区发送")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.accounts.models import Person, User
        from yingji.places.models import Place

        self.user = user
        self.fields["channels"].choices = channel_choices()
        self.fields["users"].queryset = (
            User.objects.visible_to(user, "view").filter(is_active=True).order_by("username")
        )
        self.fields["persons"].queryset = Person.objects.visible_to(user, "view").order_by("name", "id")
        self.fields["places"].queryset = Place.objects.visible_to(user, "view").order_by("path")
        for name, field in self.fields.items():
            if name == "channels":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget.attrs.setdefault("size", 8)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("users") or data.get("persons") or data.get("places")):
            raise forms.ValidationError(_("请至少选择一个接收人（用户、人员或地区）。"), code="no_recipients")
        return data

    def mark_invalid(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-errors"
