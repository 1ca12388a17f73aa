from django import forms
from django.utils.translation import gettext_lazy as _

from yingji.dispatch.models import Task
from yingji.framework.forms import ScopedModelForm

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TaskForm(ScopedModelForm):
    """派发任务: the incident, exactly one assignee, what to do and by when."""

    class Meta:
        model = Task
        fields = [
            "incident",
            "assignee_kind",
            "team",
            "assignee_department",
            "person",
            "title",
            "instructions",
            "due_at",
            "headcount_sent",
            "vehicles_sent",
        ]
        widgets = {"due_at": _DT, "instructions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"headcount_sent": _("队伍任务：计划出动人数，可在出发时更正")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.dispatch.services import assignable_departments
        from yingji.incidents.choices import Status
        from yingji.incidents.models import Incident

        self.fields["incident"].queryset = (
            Incident.objects.visible_to(self.user).exclude(status=Status.CLOSED).select_related("place")
        )
        self.fields["team"].queryset = self.fields["team"].queryset.select_related("place")
        raw = self.data.get("incident") or self.initial.get("incident")
        incident = None
        if raw:
            try:
                incident = self.fields["incident"].queryset.filter(pk=int(str(raw))).first()
            except (TypeError, ValueError):
                incident = None
        if incident is not None:
            self.fields["assignee_department"].queryset = assignable_departments(self.user, incident)


class TaskEditForm(ScopedModelForm):
    """修改任务 (dispatcher side, open tasks): never the incident or the assignee."""

    class Meta:
        model = Task
        fields = ["title", "instructions", "due_at", "headcount_sent", "vehicles_sent"]
        widgets = {"due_at": _DT, "instructions": forms.Textarea(attrs={"rows": 3})}


class IssueForm(forms.Form):
    """发放物资 to an incident: one warehouse, one or more items with quantities."""

    warehouse = forms.ModelChoiceField(queryset=None, label=_("发放仓库"))
    item = forms.ModelChoiceField(queryset=None, label=_("物资"))
    quantity = forms.DecimalField(label=_("数量"), min_value=0.01, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user=None, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        from yingji.materials.models import Item, Warehouse
        from yingji.materials.services import may_operate
        from yingji.resources.nearest import haversine_m

        warehouses = [
            w
            for w in Warehouse.objects.visible_to(user).filter(is_active=True).select_related("place")
            if may_operate(user, w)
        ]
        if incident is not None and incident.has_location:
            warehouses.sort(
                key=lambda w: (
                    haversine_m(incident.longitude, incident.latitude, w.longitude, w.latitude)
                    if w.has_location
                    else float("inf")
                )
            )
        from django.db.models import Case, IntegerField, Value, When

        order = Case(
            *[When(pk=w.pk, then=Value(i)) for i, w in enumerate(warehouses)],
            default=Value(len(warehouses)),
            output_field=IntegerField(),
        )
        self.fields["warehouse"].queryset = Warehouse.objects.filter(
            pk__in=[w.pk for w in warehouses]
        ).order_by(order)
        self.fields["item"].queryset = Item.objects.visible_to(user).order_by("name")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
