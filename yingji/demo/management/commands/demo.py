"""``yingji demo``: load the demo city, or remove the demo logins.

    yingji demo load [--if-empty | --replace] [--seed 2026] [--enterprises 5000]
                     [--persons-per-enterprise 2] [--no-users]
    yingji demo remove-users

``load --if-empty`` is what ``yingji serve`` runs on every start: when any place exists it does
nothing (one query; the generator is not even imported). See docs/demo.md.
"""

import time
import unicodedata

from django.conf import settings
from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "演示数据：load 生成并加载演示城市；remove-users 删除演示账号（生产模式启动前必须删除）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{load,logins,remove-users}")
        load = sub.add_parser("load", help="生成并加载演示城市（南通式区划、部门、企业、人员和演示账号）")
        mode = load.add_mutually_exclusive_group()
        mode.add_argument("--if-empty", action="store_true", help="已有任何区划数据时什么也不做")
        mode.add_argument(
            "--replace", action="store_true", help="先删除已有的区划、单位、人员和演示账号，再加载"
        )
        load.add_argument(
            "--seed", type=int, default=2026, help="随机种子：相同种子生成相同数据（默认 2026）"
        )
        load.add_argument("--enterprises", type=int, default=5000, help="企业数量（默认 5000）")
        load.add_argument(
            "--persons-per-enterprise",
            type=int,
            default=2,
            help="每家企业登记的人员数：主要负责人、安全管理人员……（默认 2）",
        )
        load.add_argument("--no-users", action="store_true", help="不创建演示账号")
        sub.add_parser("remove-users", help="删除全部演示账号（is_demo）")
        sub.add_parser("logins", help="列出演示账号及其角色和范围")

    def handle(self, *args, subcommand, **options):
        if subcommand == "remove-users":
            return self.remove_users()
        if subcommand == "logins":
            return self.print_logins()
        return self.load(**options)

    def remove_users(self):
        from yingji.demo.generator import remove_demo_users

        n = remove_demo_users()
        self.stdout.write(self.style.SUCCESS(f"已删除 {n} 个演示账号。"))

    def load(self, *, if_empty, replace, seed, enterprises, persons_per_enterprise, no_users, **_options):
        from yingji.places.models import Place

        if if_empty and Place.objects.exists():
            if _options.get("verbosity", 1) >= 1:
                self.stdout.write("已有区划数据，跳过加载演示数据。")
            return
        from yingji.demo.generator import DemoError, load_demo

        if Place.objects.exists() and not replace:
            raise CommandError(
                "数据库中已有行政区划数据，未加载演示数据。如需删除现有区划、单位、人员和演示账号后重新加载，"
                "请加 --replace；如只想在空库时加载，请加 --if-empty。"
            )
        start = time.monotonic()
        self.stdout.write(f"正在生成演示城市（种子 {seed}，企业 {enterprises:,} 家）……")
        try:
            counts = load_demo(
                seed=seed,
                enterprises=enterprises,
                persons_per_enterprise=persons_per_enterprise,
                users=not no_users,
                replace=replace,
            )
        except DemoError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        if "removed" in counts:
            self.stdout.write(f"已删除原有数据：{self._format(counts['removed'])}")
        elapsed = time.monotonic() - start
        self.stdout.write(self.style.SUCCESS(f"演示数据已加载（{elapsed:.1f} 秒）：{self._format(counts)}"))
        if counts.get("users_skipped"):
            self.stdout.write(
                self.style.WARNING(
                    f"有 {counts['users_skipped']} 个演示用户名已被非演示账号占用，未创建这些演示账号。"
                )
            )
        if _options.get("verbosity", 1) >= 1:
            self.print_logins()

    @staticmethod
    def _format(counts: dict) -> str:
        keys = (
            "places",
            "departments",
            "committees",
            "memberships",
            "enterprises",
            "intermediaries",
            "persons",
            "users",
            "role_assignments",
            "audit_entries",
        )
        return "，".join(f"{k}={counts[k]:,}" for k in keys if k in counts)

    def print_logins(self):
        from yingji.accounts.models import RoleAssignment

        rows = (
            RoleAssignment.objects.filter(user__is_demo=True)
            .select_related("user", "place", "enterprise", "department")
            .order_by("user__date_joined", "pk")
        )
        if not rows:
            return
        self.stdout.write(f"\n演示账号（密码均为 {settings.DEMO_PASSWORD}）：")
        self.stdout.write("  " + _pad("用户名", 17) + _pad("角色", 16) + _pad("范围", 34) + "说明")
        for a in rows:
            where = (
                " / ".join(str(x) for x in (a.place, a.department, a.enterprise) if x) or "全市（不限范围）"
            )
            self.stdout.write(
                "  "
                + _pad(a.user.username, 17)
                + _pad(a.get_role_display(), 16)
                + _pad(where, 34)
                + a.user.first_name
            )
        self.stdout.write("")


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, counting CJK characters as two columns."""
    text = str(text)
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)
