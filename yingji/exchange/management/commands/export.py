"""``yingji export KIND FILE [--user USERNAME] [key=value ...]``: the list export from the command line."""

from django.core.management import BaseCommand, CommandError

from yingji.exchange.excel import write_export
from yingji.exchange.management.users import user_by_name
from yingji.framework import registry

KINDS = {
    "places": "places.place",
    "enterprises": "orgs.enterprise",
    "departments": "orgs.department",
    "persons": "accounts.person",
}


class Command(BaseCommand):
    help = (
        "Export places, enterprises, departments or persons to .xlsx, with the list page's filters "
        "(e.g. place=320602000000 industry=26). With --user the user's scope and masking apply; "
        "without it the system exports everything unmasked."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.parse_args = parser.parse_intermixed_args  # filters may come before or after --user
        return parser

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("filters", nargs="*", metavar="key=value")
        parser.add_argument("--user", help="export as this user")

    def handle(self, *args, kind, file, filters, user, **options):
        actor = user_by_name(user)
        otype = registry.get(KINDS[kind])
        data = {}
        for item in filters:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"过滤条件应写成 key=value：{item}")
            data[key] = value
        model = otype.model
        queryset = model.objects.all() if actor is None else model.objects.visible_to(actor, "view")
        if data:
            unknown = set(data) - set(otype.filterset.base_filters)
            if unknown:
                raise CommandError(
                    f"未知的过滤条件：{', '.join(sorted(unknown))}；可用：{', '.join(otype.filterset.base_filters)}"
                )
            filterset = otype.filterset(data, queryset=queryset)
            if not filterset.is_valid():
                raise CommandError(f"过滤条件有误：{filterset.errors.as_text()}")
            queryset = filterset.qs
        count = write_export(otype, queryset, actor, file)
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 条{model._meta.verbose_name}到 {file}"))
