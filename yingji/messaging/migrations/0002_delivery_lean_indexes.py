"""Fewer indexes on Delivery: a warning fan-out writes a million rows and each index is one B-tree
write per row (docs/messaging.md "Indexes").

Drops the single-column ``channel`` and ``status`` indexes (first columns of (channel, provider_id)
and (status, last_attempt_at)) and the full ``user_id`` / ``person_id`` foreign-key indexes, which
become partial (``IS NOT NULL``); the carrier-id index becomes partial (``provider_id <> ''``).

The field changes (``db_index``) are state only: on SQLite, altering them would copy the whole table
four times; the indexes are dropped by name as found in the database instead (PostgreSQL's
``…_like`` pattern indexes of the two text columns included).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

#: The columns whose own (non-unique, single-column) indexes go; their remaining indexes are the
#: composite and partial ones declared in Meta.indexes.
COLUMNS = ("channel", "status", "user_id", "person_id")
TABLE = "messaging_delivery"


def drop_single_column_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if (
            info.get("index")
            and not info.get("unique")
            and not info.get("primary_key")
            and len(info.get("columns") or ()) == 1
            and info["columns"][0] in COLUMNS
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_single_column_indexes(apps, schema_editor):
    for column in COLUMNS:
        name = schema_editor.quote_name(f"{TABLE}_{column}_single")
        schema_editor.execute(f"CREATE INDEX {name} ON {schema_editor.quote_name(TABLE)} ({column})")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("messaging", "0001_initial"),
        ("places", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="channel",
                    field=models.CharField(
                        choices=[
                            ("inapp", "站内消息"),
                            ("sms", "短信"),
                            ("voice", "语音电话"),
                            ("wechat", "政务微信/钉钉"),
                            ("broadcast", "应急广播"),
                            ("screen", "显示屏"),
                        ],
                        max_length=20,
                        verbose_name="渠道",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.person",
                        verbose_name="接收人员",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("queued", "排队中"),
                            ("sent", "已发送"),
                            ("delivered", "已送达"),
                            ("failed", "失败"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="接收账号",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, create_single_column_indexes)
            ],
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="messaging_delivery_provider",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("provider_id", ""), _negated=True),
                fields=["channel", "provider_id"],
                name="messaging_delivery_provider",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("user__isnull", False)), fields=["user"], name="messaging_delivery_user"
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("person__isnull", False)),
                fields=["person"],
                name="messaging_delivery_person",
            ),
        ),
    ]
