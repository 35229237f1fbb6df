"""Every append-only table refuses UPDATE, DELETE and, on PostgreSQL, TRUNCATE, whatever code runs.

The transition log already refused UPDATE and DELETE (0002); this adds TRUNCATE there, and the same three
refusals for the log of badge policy changes and the event outbox. The database owner can still disable
a trigger: production runs the API as a role that owns no table (`standing migrate --app-role`).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

TABLES = ("transition_log", "badge_policy_change", "outbox_event")

POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION standing_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
)


def postgres(table: str) -> list[str]:
    statements = [
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION standing_append_only()"
    ]
    if table != "transition_log":  # 0002 gave the log its row trigger
        statements.append(
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION standing_append_only()"
        )
    return statements


def sqlite(table: str) -> list[str]:
    if table == "transition_log":
        return []
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ]


async def forbid_changes(apps, schema_editor) -> None:
    dialect = schema_editor.client.capabilities.dialect
    statements = (
        [POSTGRES_FUNCTION] + [s for t in TABLES for s in postgres(t)]
        if dialect == "postgres"
        else [s for t in TABLES for s in sqlite(t)]
    )
    for statement in statements:
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("standing", "0007_wider_policy_versions")]

    operations = [ops.RunPython(forbid_changes)]
