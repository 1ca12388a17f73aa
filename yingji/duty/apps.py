from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROOM, TEMPLATE, SHIFT, SWAP, HANDOVER, ROLLCALL = (
    "duty.dutyroom",
    "duty.rostertemplate",
    "duty.shift",
    "duty.swaprequest",
    "duty.handover",
    "duty.rollcall",
)
ALL_KINDS = (ROOM, TEMPLATE, SHIFT, SWAP, HANDOVER, ROLLCALL)


def grant_rights() -> None:
    """The role matrix of duty (docs/duty.md, "Who may do what")."""
    from yingji.framework.roles import ADD, ALL, CHANGE, READ, VIEW, Role, grant

    for label in ALL_KINDS:
        grant(Role.BUREAU_OFFICER, label, ALL)  # manages rooms, rosters, templates; approves swaps
        grant(Role.LEADER, label, READ)
        grant(Role.DUTY_OFFICER, label, READ)
        grant(Role.DEPARTMENT_OFFICER, label, READ)  # its department's room (department scope)
    # duty officers (and department officers for their department's room) keep the watch:
    # record handovers, ask for swaps, answer roll-calls; a duty officer may also place a manual call
    for role in (Role.DUTY_OFFICER, Role.DEPARTMENT_OFFICER):
        grant(role, HANDOVER, {VIEW, ADD})
        grant(role, SWAP, {VIEW, ADD})
    grant(Role.DUTY_OFFICER, ROLLCALL, {VIEW, ADD, CHANGE})
    grant(Role.DEPARTMENT_OFFICER, ROLLCALL, {VIEW, CHANGE})


def _relink_after_delete(sender, instance, **kwargs):
    from yingji.duty.services import relink_rooms

    relink_rooms()


class DutyConfig(AppConfig):
    name = "yingji.duty"
    label = "duty"
    verbose_name = _("值班值守")

    def ready(self):
        from yingji.duty import filtersets as f
        from yingji.duty import forms, models, services, tables
        from yingji.duty.api import serializers as s
        from yingji.duty.api import views as v
        from yingji.framework.registry import ObjectType, register

        grant_rights()
        from django.db.models.signals import post_delete

        # a deleted room's lower rooms answer to the next room up (whatever deleted it: page, API, admin)
        post_delete.connect(_relink_after_delete, sender=models.DutyRoom, dispatch_uid="duty_relink_rooms")
        common = {"section": "command"}
        register(
            ObjectType(
                model=models.DutyRoom,
                filterset=f.DutyRoomFilterSet,
                table=tables.DutyRoomTable,
                form=forms.DutyRoomForm,
                serializer=s.DutyRoomSerializer,
                viewset=v.DutyRoomViewSet,
                save=services.save_dutyroom,
                api_prefix="duty/rooms",
                detail_fields=("name", "place", "department", "phone", "parent", "handover_time"),
                list_select_related=("place", "department", "parent"),
                search_fields=("name", "phone"),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.RosterTemplate,
                filterset=f.RosterTemplateFilterSet,
                table=tables.RosterTemplateTable,
                form=forms.RosterTemplateForm,
                serializer=s.RosterTemplateSerializer,
                viewset=v.RosterTemplateViewSet,
                api_prefix="duty/roster-templates",
                detail_fields=(
                    "room",
                    "name",
                    "anchor",
                    "officers_per_shift",
                    "standby_per_shift",
                    "holiday_mode",
                    "holiday_leader_required",
                ),
                list_select_related=("room",),
                search_fields=("name",),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Shift,
                filterset=f.ShiftFilterSet,
                table=tables.ShiftTable,
                serializer=s.ShiftSerializer,
                viewset=v.ShiftViewSet,
                api_prefix="duty/shifts",
                detail_fields=(
                    "room",
                    "date",
                    "starts_at",
                    "ends_at",
                    "kind",
                    "day_name",
                    "leader_required",
                    "edited",
                    "template",
                    "notes",
                ),
                list_select_related=("room",),
                list_prefetch_related=("members__person",),
                export_fields=(
                    ("room__name", _("值班室")),
                    ("date", _("值班日期")),
                    ("kind", _("日期类型")),
                    ("day_name", _("节日名称")),
                    ("edited", _("已人工调整")),
                ),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.SwapRequest,
                filterset=f.SwapRequestFilterSet,
                table=tables.SwapRequestTable,
                serializer=s.SwapRequestSerializer,
                viewset=v.SwapRequestViewSet,
                api_prefix="duty/swap-requests",
                detail_fields=(
                    "shift",
                    "from_person",
                    "to_person",
                    "counter_shift",
                    "reason",
                    "status",
                    "requested_by",
                    "decided_by",
                    "decided_at",
                    "decision_note",
                ),
                list_select_related=("shift__room", "from_person", "to_person"),
                search_fields=("reason",),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.Handover,
                filterset=f.HandoverFilterSet,
                table=tables.HandoverTable,
                serializer=s.HandoverSerializer,
                viewset=v.HandoverViewSet,
                api_prefix="duty/handovers",
                detail_fields=("room", "from_shift", "to_shift", "handed_at", "handed_by", "summary"),
                list_select_related=("room", "from_shift__room", "handed_by"),
                search_fields=("summary",),
                **common,
            )
        )
        register(
            ObjectType(
                model=models.RollCall,
                filterset=f.RollCallFilterSet,
                table=tables.RollCallTable,
                serializer=s.RollCallSerializer,
                viewset=v.RollCallViewSet,
                api_prefix="duty/roll-calls",
                detail_fields=(
                    "caller",
                    "room",
                    "called_at",
                    "due_at",
                    "origin",
                    "status",
                    "answered_at",
                    "answered_by",
                    "answer_note",
                ),
                list_select_related=("caller", "room", "answered_by"),
                search_fields=("answer_note",),
                **common,
            )
        )
