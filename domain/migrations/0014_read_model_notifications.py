"""Change notifications for the per-process read model (domain/access/read_model.py), on PostgreSQL.

A row written to `participant` or `badge` sends its participant's id on the channel `standing_read_model`, a
token written to `api_token` sends `t:<id>`, and a TRUNCATE of any of them sends `*`. PostgreSQL delivers them
when the writing transaction commits, in commit order, and never for one that rolls back. SQLite runs in one
process and has no notifications: there the reads always go to the database, and nothing is installed.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

CHANNEL = "standing_read_model"  # domain.access.read_model.CHANGES; a migration never imports live code
FUNCTION = (
    "CREATE OR REPLACE FUNCTION standing_read_model_changed() RETURNS trigger AS $$ "
    "DECLARE changed record; BEGIN "
    f"IF TG_LEVEL = 'STATEMENT' THEN PERFORM pg_notify('{CHANNEL}', '*'); RETURN NULL; END IF; "
    "IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF; "
    f"IF TG_TABLE_NAME = 'participant' THEN PERFORM pg_notify('{CHANNEL}', changed.id::text); "
    f"ELSIF TG_TABLE_NAME = 'badge' THEN PERFORM pg_notify('{CHANNEL}', changed.participant_id::text); "
    f"ELSE PERFORM pg_notify('{CHANNEL}', 't:' || changed.id::text); END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql"
)
TABLES = ("participant", "badge", "api_token")


async def notify_changes(apps, schema_editor) -> None:
    if schema_editor.client.capabilities.dialect != "postgres":
        return
    await schema_editor.client.execute_script(FUNCTION)
    for table in TABLES:
        for name, when in (("changed", "INSERT OR UPDATE OR DELETE"), ("truncated", "TRUNCATE")):
            level = "ROW" if name == "changed" else "STATEMENT"
            await schema_editor.client.execute_script(
                f'DROP TRIGGER IF EXISTS "{table}_read_model_{name}" ON "{table}"; '
                f'CREATE TRIGGER "{table}_read_model_{name}" AFTER {when} ON "{table}" '
                f"FOR EACH {level} EXECUTE FUNCTION standing_read_model_changed()"
            )


class Migration(migrations.Migration):
    dependencies = [("standing", "0013_erasure")]

    initial = False

    operations = [ops.RunPython(notify_changes)]
