"""The database itself refuses UPDATE and DELETE on the transition log, whatever code runs."""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE = [
    "CREATE TRIGGER transition_log_no_update BEFORE UPDATE ON transition_log "
    "BEGIN SELECT RAISE(ABORT, 'transition_log is append-only'); END",
    "CREATE TRIGGER transition_log_no_delete BEFORE DELETE ON transition_log "
    "BEGIN SELECT RAISE(ABORT, 'transition_log is append-only'); END",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION transition_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'transition_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER transition_log_no_update_delete BEFORE UPDATE OR DELETE ON transition_log "
    "FOR EACH ROW EXECUTE FUNCTION transition_log_append_only()",
]


async def forbid_changes(apps, schema_editor) -> None:
    dialect = schema_editor.client.capabilities.dialect
    for statement in POSTGRES if dialect == "postgres" else SQLITE:
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("standing", "0001_initial")]

    operations = [ops.RunPython(forbid_changes)]
