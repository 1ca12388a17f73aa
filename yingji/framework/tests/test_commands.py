import sqlite3

import pytest
from django.core.management import CommandError, call_command

from yingji.accounts.models import User


def test_createuser_with_role_and_scope(region):
    call_command(
        "createuser",
        "zhang",
        "--role",
        "bureau_officer",
        "--place",
        region["town00"].code,
        "--password",
        "a-long-password-9",
        "--name",
        "张科长",
    )
    user = User.objects.get(username="zhang")
    assert user.check_password("a-long-password-9")
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.place) == ("bureau_officer", region["town00"])


def test_createuser_refuses_weak_password_and_unknown_place(region):
    with pytest.raises(CommandError, match="密码|password|short|短"):
        call_command(
            "createuser",
            "li",
            "--role",
            "grid_worker",
            "--place",
            region["village000"].code,
            "--password",
            "123",
        )
    with pytest.raises(CommandError, match="scope not found"):
        call_command(
            "createuser", "li", "--role", "grid_worker", "--place", "999999999999", "--password", "x" * 12
        )
    assert not User.objects.filter(username="li").exists()


def test_sqlite_backup_copies_a_live_database(tmp_path):
    from yingji.framework.management.commands.backup import backup_sqlite

    live = sqlite3.connect(tmp_path / "live.sqlite3")
    live.execute("pragma journal_mode=wal")
    live.execute("create table t (x)")
    live.executemany("insert into t values (?)", [(i,) for i in range(100)])
    live.commit()
    copy = backup_sqlite(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    assert sqlite3.connect(copy).execute("select count(*), sum(x) from t").fetchone() == (100, 4950)
