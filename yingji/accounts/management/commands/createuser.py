"""``yingji createuser NAME --role ROLE [--place CODE] [--enterprise USCC] [--department ID]``."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from yingji.accounts.models import User
from yingji.accounts.services import assign_role, save_user
from yingji.framework.access import SYSTEM
from yingji.framework.roles import Role
from yingji.orgs.models import Department, Enterprise
from yingji.places.models import Place


class Command(BaseCommand):
    help = "Create a user account with one role and its scope (prompts for the password)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--place", help="12-digit region code of the scope")
        parser.add_argument("--enterprise", help="统一社会信用代码 of the enterprise (enterprise users)")
        parser.add_argument("--department", type=int, help="department id")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--password", help="password (prompted when omitted)")

    def handle(self, *args, username, role, place, enterprise, department, name, password, **options):
        try:
            place_obj = Place.objects.get(code=place) if place else None
            enterprise_obj = Enterprise.objects.get(uscc=enterprise) if enterprise else None
            department_obj = Department.objects.get(pk=department) if department else None
        except (Place.DoesNotExist, Enterprise.DoesNotExist, Department.DoesNotExist) as exc:
            raise CommandError(f"scope not found: {exc}") from exc
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        password = password or getpass.getpass("Password: ")
        try:
            with transaction.atomic():
                user = save_user(User(username=username, first_name=name), actor=SYSTEM, password=password)
                assign_role(
                    user,
                    role,
                    actor=SYSTEM,
                    place=place_obj,
                    enterprise=enterprise_obj,
                    department=department_obj,
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"created {username} ({Role(role).label})"))
