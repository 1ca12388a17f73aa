from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "yingji.warnings"
    label = "warnings"
    verbose_name = _("预警发布")

    def ready(self):
        from yingji.framework.registry import ObjectType, register
        from yingji.framework.roles import ADD, ALL, CHANGE, DELETE, READ, VIEW, Role, grant
        from yingji.warnings import filtersets as f
        from yingji.warnings import forms, lifecycle, models, periodic, services, tables  # noqa: F401
        from yingji.warnings.api import serializers as s
        from yingji.warnings.api import views as v

        register(
            ObjectType(
                model=models.Warning,
                filterset=f.WarningFilterSet,
                table=tables.WarningTable,
                form=forms.WarningForm,
                serializer=s.WarningSerializer,
                viewset=v.WarningViewSet,
                save=lifecycle.save_warning,
                section="warning",
                api_prefix="warnings",
                detail_fields=(
                    "identifier",
                    "msg_type",
                    "references",
                    "origin",
                    "warning_type",
                    "level",
                    "status",
                    "issuer",
                    "sender_name",
                    "place",
                    "effective_at",
                    "expires_at",
                    "sent_at",
                    "description",
                    "instruction",
                    "area_description",
                    "target_groups",
                    "industries",
                    "risk_flags",
                    "channels",
                    "created_by",
                ),
                list_select_related=("place", "issuer"),
                search_fields=("headline", "identifier", "description"),
            )
        )
        register(
            ObjectType(
                model=models.Subscription,
                filterset=f.SubscriptionFilterSet,
                table=tables.SubscriptionTable,
                form=forms.SubscriptionForm,
                serializer=s.SubscriptionSerializer,
                viewset=v.SubscriptionViewSet,
                section="warning",
                api_prefix="warning-subscriptions",
                detail_fields=("place", "channel", "address", "name", "confirmed", "confirmed_at", "active"),
                list_select_related=("place",),
                search_fields=("name", "address"),
            )
        )
        register(
            ObjectType(
                model=models.Consultation,
                filterset=f.ConsultationFilterSet,
                table=tables.ConsultationTable,
                form=forms.ConsultationForm,
                serializer=s.ConsultationSerializer,
                viewset=v.ConsultationViewSet,
                save=services.save_consultation,
                section="warning",
                api_prefix="consultations",
                detail_fields=("kind", "held_at", "place", "chair", "departments", "inputs", "conclusions"),
                list_select_related=("place", "chair"),
                search_fields=("title", "inputs", "conclusions"),
            )
        )
        register(
            ObjectType(
                model=models.WorkPrompt,
                filterset=f.WorkPromptFilterSet,
                table=tables.WorkPromptTable,
                form=forms.WorkPromptForm,
                serializer=s.WorkPromptSerializer,
                viewset=v.WorkPromptViewSet,
                save=services.save_work_prompt,
                section="warning",
                api_prefix="work-prompts",
                detail_fields=(
                    "number",
                    "title",
                    "consultation",
                    "content",
                    "target_places",
                    "target_departments",
                    "issued_at",
                    "issued_by",
                ),
                list_select_related=("place", "consultation"),
                search_fields=("title", "number", "content"),
            )
        )

        # Role matrix (docs/warnings.md). Besides view/add/change/delete, warnings know two rights of
        # their own: ``approve`` (审核, four-eyes: never the author) and ``publish`` (发布、解除).
        W, SUB, CON, PROMPT, ACK = (
            "warnings.warning",
            "warnings.subscription",
            "warnings.consultation",
            "warnings.workprompt",
            "warnings.workpromptack",
        )
        grant(Role.BUREAU_OFFICER, W, {*ALL, lifecycle.APPROVE, lifecycle.PUBLISH})
        grant(Role.DUTY_OFFICER, W, {VIEW, ADD, CHANGE, lifecycle.PUBLISH})
        grant(Role.LEADER, W, {VIEW, lifecycle.APPROVE})
        for role in (
            Role.DEPARTMENT_OFFICER,
            Role.ENFORCEMENT_OFFICER,
            Role.GRID_WORKER,
            Role.DISASTER_INFO_OFFICER,
            Role.EXPERT,
        ):
            grant(role, W, READ)
        # public subscriptions: bureau officers keep the list (correct, deactivate); the public adds
        grant(Role.BUREAU_OFFICER, SUB, {VIEW, CHANGE, DELETE})
        grant(Role.DUTY_OFFICER, SUB, READ)
        grant(Role.LEADER, SUB, READ)
        # consultations and work prompts: the bureau organises; departments and duty officers read;
        # the targets acknowledge (change on their acknowledgement rows)
        grant(Role.BUREAU_OFFICER, CON, ALL)
        grant(Role.BUREAU_OFFICER, PROMPT, ALL)
        grant(Role.BUREAU_OFFICER, ACK, {VIEW, CHANGE})
        for role in (Role.DEPARTMENT_OFFICER, Role.DUTY_OFFICER, Role.LEADER, Role.EXPERT):
            grant(role, CON, READ)
            grant(role, PROMPT, READ)
            grant(role, ACK, READ)
        for role in (Role.DEPARTMENT_OFFICER, Role.DUTY_OFFICER):
            grant(role, ACK, {VIEW, CHANGE})

        from yingji.warnings.response import register_response_types

        register_response_types()
