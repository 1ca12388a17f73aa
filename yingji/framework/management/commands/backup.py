"""``yingji backup DIR``: a consistent copy of the database and uploaded files.

SQLite: the online backup API (safe while the platform runs). PostgreSQL: ``pg_dump -Fc``.
Uploaded files (MEDIA_ROOT) are copied as a tar archive. Restore is described in docs/operations.md.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connection


def backup_sqlite(source_path, out: Path) -> Path:
    """Copy a live SQLite database with its online backup API (consistent under WAL writers)."""
    source = sqlite3.connect(source_path)
    dest = sqlite3.connect(out)
    with dest:
        source.backup(dest)
    dest.close()
    source.close()
    return out


class Command(BaseCommand):
    help = "Back up the database and uploaded files into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            out = backup_sqlite(db["NAME"], target / f"yingji-{stamp}.sqlite3")
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed: install the PostgreSQL client tools")
            out = target / f"yingji-{stamp}.pgdump"
            env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
            cmd = [
                "pg_dump",
                "-Fc",
                "-f",
                str(out),
                "-h",
                str(db.get("HOST") or "localhost"),
                "-p",
                str(db.get("PORT") or 5432),
                "-U",
                str(db.get("USER") or "postgres"),
                str(db["NAME"]),
            ]
            result = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"unsupported database {connection.vendor}")
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            with tarfile.open(target / f"media-{stamp}.tar.gz", "w:gz") as tar:
                tar.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"backup written: {out}"))
