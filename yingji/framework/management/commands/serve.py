"""``yingji serve``: prepare and run the platform — what ``make run`` starts.

Migrates, collects static files, loads the demo city on first start (demo mode), prints the
address and demo logins, then runs gunicorn (web) and the Huey consumer (worker) until stopped.
Running it again reuses the database and starts quickly.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Migrate, load the demo city if empty, and run web + worker processes."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true", help="start the web server only")
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo city")

    def handle(self, *args, host, port, web_workers, no_worker, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO_MODE and not no_demo:
            call_command("demo", "load", "--if-empty", verbosity=0, stdout=self.stdout)
        from yingji.accounts.services import assert_no_demo_users

        assert_no_demo_users()
        self.print_banner(host, port)
        bin_dir = os.path.dirname(sys.executable)
        procs = [
            subprocess.Popen(
                [
                    os.path.join(bin_dir, "gunicorn"),
                    "yingji.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(web_workers),
                    "--threads",
                    "2",
                    "--timeout",
                    "120",
                    "--access-logfile",
                    "-",
                    "--no-control-socket",  # several servers may run on one machine
                    "--preload",  # import the app once; workers fork ready
                ]
            )
        ]
        if not no_worker:
            procs.append(subprocess.Popen([os.path.join(bin_dir, "yingji"), "worker"]))
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
        stop()
        for p in procs:
            p.wait(timeout=30)

    def print_banner(self, host, port):
        self.stdout.write(self.style.SUCCESS(f"\nYingji 应急 is running at http://{host}:{port}/"))
        self.stdout.write(f"API docs: http://{host}:{port}/api/docs/   health: http://{host}:{port}/healthz")
        if settings.DEMO_MODE:
            call_command("demo", "logins", stdout=self.stdout)
