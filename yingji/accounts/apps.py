from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yingji.accounts"
    label = "accounts"
    verbose_name = _("人员与账号")

    def ready(self):
        from django.db.models import Prefetch

        from yingji.accounts import filtersets as f
        from yingji.accounts import forms, models, services, tables
        from yingji.accounts.api import serializers as s
        from yingji.accounts.api import views as v
        from yingji.framework.registry import ObjectType, register

        register(
            ObjectType(
                model=models.Person,
                filterset=f.PersonFilterSet,
                table=tables.PersonTable,
                form=forms.PersonForm,
                serializer=s.PersonSerializer,
                viewset=v.PersonViewSet,
                api_prefix="persons",
                save=services.save_person,
                detail_fields=(
                    "name",
                    "mobile",
                    "landline",
                    "id_number",
                    "email",
                    "place",
                    "enterprise",
                    "department",
                    "position",
                ),
                list_select_related=("place", "enterprise", "department"),
                search_fields=("name", "position"),
            )
        )
        register(
            ObjectType(
                model=models.User,
                filterset=f.UserFilterSet,
                table=tables.UserTable,
                form=forms.UserForm,
                serializer=s.UserSerializer,
                viewset=v.UserViewSet,
                api_prefix="users",
                save=services.save_user_from_form,
                detail_fields=(
                    "username",
                    "first_name",
                    "email",
                    "person",
                    "is_active",
                    "is_demo",
                    "last_login",
                ),
                list_select_related=("person",),
                list_prefetch_related=(
                    Prefetch(
                        "role_assignments",
                        queryset=models.RoleAssignment.objects.select_related(
                            "place", "enterprise", "department"
                        ).defer("place__boundary"),
                    ),
                ),
                search_fields=("username", "first_name", "person__name"),
            )
        )
        register(
            ObjectType(
                model=models.RoleAssignment,
                filterset=f.RoleAssignmentFilterSet,
                table=tables.RoleAssignmentTable,
                form=forms.RoleAssignmentForm,
                serializer=s.RoleAssignmentSerializer,
                viewset=v.RoleAssignmentViewSet,
                api_prefix="role-assignments",
                detail_fields=("user", "role", "place", "enterprise", "department"),
                list_select_related=("user", "place", "enterprise", "department"),
                search_fields=("user__username",),
            )
        )
