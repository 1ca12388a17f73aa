import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingji.dispatch.choices import AssigneeKind, TaskStatus
from yingji.dispatch.models import Task
from yingji.framework.filtersets import BaseFilterSet, PlaceSubtreeFilter


class TaskFilterSet(BaseFilterSet):
    """Filters of the task list, the API and the export: status, incident, assignee kind, overdue,
    "mine" (the tasks the signed-in user answers for) and the incident's place."""

    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("状态"))
    incident = django_filters.NumberFilter(field_name="incident_id", label=_("事件编号（ID）"))
    assignee_kind = django_filters.ChoiceFilter(choices=AssigneeKind.choices, label=_("承办对象类型"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超时"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("未结束"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我承办的"))
    place = PlaceSubtreeFilter(place_field="incident__place", label=_("事件地区（区划代码，含下级）"))

    class Meta:
        model = Task
        fields = ["status", "incident", "assignee_kind", "overdue", "open", "mine", "place"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Task.objects.overdue(timezone.now()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_ = Task.objects.open().values("pk")
        return queryset.filter(pk__in=open_) if value else queryset.exclude(pk__in=open_)

    def filter_mine(self, queryset, name, value):
        from django.db.models import Q

        from yingji.dispatch.services import answering_roles
        from yingji.framework.access import assignments_of

        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        roles = set(answering_roles())
        departments = [a.department_id for a in assignments_of(user) if a.department_id and a.role in roles]
        person_id = getattr(user, "person_id", None)
        mine = Q(department_id__in=departments, assignee_kind__in=("team", "department"))
        if person_id:
            mine |= Q(person_id=person_id)
        return queryset.filter(mine)
