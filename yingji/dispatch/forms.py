from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from yingji.dispatch.choices import AssigneeKind
from yingji.dispatch.models import Task
from yingji.framework.forms import ScopedModelForm
from yingji.places.choices import PlaceLevel

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


#: the team dropdown lists this many teams, the nearest to the incident first (the one-click search
#: finds any other and links here with ``?team=``)
TEAM_CHOICES = 50
ASSIGNEE_FIELDS = {
    AssigneeKind.TEAM: "team",
    AssigneeKind.DEPARTMENT: "assignee_department",
    AssigneeKind.PERSON: "person",
}


def parse_pk(raw):
    """A primary key from a query string or form value; None when it is not one."""
    raw = str(raw if raw is not None else "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


class TaskForm(ScopedModelForm):
    """派发任务: the incident, exactly one assignee, what to do and by when.

    The assignee dropdowns are bounded to what a duty room picks from for *this* incident, so that the
    page stays small in a city of thousands of people: the nearest :data:`TEAM_CHOICES` teams (with
    their distance), the departments with jurisdiction at the incident's place (the place and the
    places above it), and the people of those departments and the non-enterprise people (grid workers,
    village cadres) of the incident's town. The value asked for (``?team=`` …) is always offered.
    Without a chosen incident they are empty (the page reloads itself when the incident is picked).
    The service still checks the assignee against the user's scope (``services._check_assignee``),
    and the model refuses an assignee that does not match ``assignee_kind``.
    """

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
        from yingji.incidents.choices import Status
        from yingji.incidents.models import Incident

        self.fields["incident"].queryset = (
            Incident.objects.visible_to(self.user)
            .exclude(status=Status.CLOSED)
            .select_related("place")
            .order_by("-occurred_at", "-pk")
        )
        pk = parse_pk(self._value("incident"))
        self.incident = self.fields["incident"].queryset.filter(pk=pk).first() if pk else None
        self._bound_assignees()
        self.fields["incident"].widget.attrs["data-reload"] = "assignees"
        self.fields["assignee_kind"].widget.attrs["data-assignee-kind"] = ""
        for kind, name in ASSIGNEE_FIELDS.items():
            self.fields[name].widget.attrs["data-assignee"] = kind
            if self.incident is None:
                self.fields[name].empty_label = _("请先选择事件")
        for name in ("headcount_sent", "vehicles_sent"):
            self.fields[name].widget.attrs["data-assignee"] = AssigneeKind.TEAM

    def _value(self, name):
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _bound_assignees(self) -> None:
        from yingji.accounts.models import Person
        from yingji.dispatch.services import assignable_departments
        from yingji.orgs.models import Department
        from yingji.resources.models import Team

        if self.incident is None:
            for name in ASSIGNEE_FIELDS.values():
                self.fields[name].queryset = self.fields[name].queryset.none()
            return
        place = self.incident.place
        wanted = {name: parse_pk(self._value(name)) for name in ASSIGNEE_FIELDS.values()}

        # teams: the nearest, nearest first, with their distance in the label
        distances = self._nearest_teams()
        if wanted["team"] is not None:
            distances.setdefault(wanted["team"], None)
        order = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(distances)],
            default=Value(len(distances)),
            output_field=IntegerField(),
        )
        self.fields["team"].queryset = (
            Team.objects.visible_to(self.user).filter(pk__in=list(distances)).order_by(order, "name")
        )
        self.fields["team"].label_from_instance = lambda team: _labelled(team.name, distances.get(team.pk))

        # departments: those with jurisdiction at the incident's place
        in_charge = Department.objects.filter(place__path__in=place.chain_paths())
        self.fields["assignee_department"].queryset = (
            assignable_departments(self.user, self.incident)
            .filter(Q(pk__in=in_charge.values("pk")) | _also(wanted["assignee_department"]))
            .select_related("place")
            .order_by("place__path", "name")
        )

        # people: of those departments, and the people outside enterprises of the incident's town
        people = Q(department__in=in_charge.values("pk"))
        if place.level in (PlaceLevel.TOWN, PlaceLevel.VILLAGE):
            town = place.parent if place.level == PlaceLevel.VILLAGE and place.parent_id else place
            people |= Q(place__path__startswith=town.path, enterprise__isnull=True)
        self.fields["person"].queryset = (
            Person.objects.visible_to(self.user)
            .filter(people | _also(wanted["person"]))
            .select_related("department", "place")
            .order_by("department_id", "name", "pk")
        )
        self.fields["person"].label_from_instance = _person_label

    def _nearest_teams(self) -> dict:
        """{team pk: distance in metres} of the nearest teams the user may see, nearest first."""
        from yingji.dispatch.situation import SituationError, incident_point
        from yingji.resources import nearest

        try:
            lon, lat = incident_point(self.incident)
        except SituationError:
            return {}
        found = nearest.search(
            self.user, nearest.Query(longitude=lon, latitude=lat, kinds=("team",), limit=TEAM_CHOICES)
        )
        return {row["id"]: row["distance_m"] for row in found.get("team", [])}


def _also(pk) -> Q:
    """The row asked for by the link or the posted form, offered even when outside the bounded list."""
    return Q(pk=pk) if pk is not None else Q(pk__in=[])


def _labelled(name: str, distance_m) -> str:
    if distance_m is None:
        return name
    return _("%(name)s（%(km)s公里）") % {"name": name, "km": f"{distance_m / 1000:.1f}"}


def _person_label(person) -> str:
    where = person.department or person.place
    return f"{person.name}（{where}）" if where else person.name


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
