"""``yingji`` — the operators' command.

It is Django's management utility with Yingji's settings and a change context, so that every
write a command makes is audited with source ``command``. Common commands::

    yingji migrate                 # create or upgrade the database
    yingji demo load               # build and load the demo city (see `yingji demo --help`)
    yingji createuser NAME --role bureau_officer --place 320602000000
    yingji import enterprises FILE.xlsx [--commit]
    yingji export enterprises FILE.xlsx
    yingji worker                  # run the task-queue worker (retries, periodic jobs)
    yingji serve                   # web + worker together (what `make run` starts)
    yingji backup DIR              # consistent database backup
"""

import os
import sys

ALIASES = {"worker": "run_huey"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    from django.core.management import execute_from_command_line

    from yingji.audit.context import change_context

    with change_context("command"):
        execute_from_command_line(["yingji", *argv])


if __name__ == "__main__":
    main()
