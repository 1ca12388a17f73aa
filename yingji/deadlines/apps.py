from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "yingji.deadlines"
    label = "deadlines"
    verbose_name = _("期限督办")

    def ready(self):
        from yingji.deadlines import filtersets as f
        from yingji.deadlines import forms, models, tables
        from yingji.deadlines.api import serializers as s
        from yingji.deadlines.api import views as v
        from yingji.deadlines.services import save_calendar_day
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import CHANGE, READ, VIEW, Role, grant

        register(
            ObjectType(
                model=models.Deadline,
                filterset=f.DeadlineFilterSet,
                table=tables.DeadlineTable,
                serializer=s.DeadlineSerializer,
                viewset=v.DeadlineViewSet,
                section="platform",
                api_prefix="deadlines",
                # times are shown (in local time) by the deadline page's own panel
                detail_fields=(
                    "title",
                    "rule",
                    "status",
                    "responsible",
                    "supervisor",
                    "place",
                    "enterprise",
                    "listed_by",
                    "supervision_note",
                    "cancel_reason",
                ),
                list_select_related=("place", "responsible", "supervisor", "listed_by", "content_type"),
                search_fields=("title", "object_id"),
                # deadlines are created by the modules that own the items; pages only read and act on them
                extra={"read_only": True},
            )
        )
        register(
            ObjectType(
                model=models.CalendarDay,
                filterset=f.CalendarDayFilterSet,
                table=tables.CalendarDayTable,
                form=forms.CalendarDayForm,
                serializer=s.CalendarDaySerializer,
                viewset=v.CalendarDayViewSet,
                save=save_calendar_day,
                section="platform",
                api_prefix="calendar-days",
                detail_fields=("date", "kind", "name", "note"),
                search_fields=("name", "note"),
            )
        )

        # Who sees and acts on deadlines, in their place scope ("分级负责、属地管理"). Bureau officers
        # supervise (办结/撤销/挂牌督办 need ``change``); the others see the deadlines of their area.
        # Nobody deletes deadlines (cancel() keeps the history). The holiday calendar
        # (deadlines.calendarday) stays with platform administrators.
        grant(Role.BUREAU_OFFICER, "deadlines.deadline", {VIEW, CHANGE})
        for role in (
            Role.DEPARTMENT_OFFICER,
            Role.ENFORCEMENT_OFFICER,
            Role.DUTY_OFFICER,
            Role.LEADER,
            Role.GRID_WORKER,
            Role.DISASTER_INFO_OFFICER,
            Role.ENTERPRISE_USER,
        ):
            grant(role, "deadlines.deadline", READ)
