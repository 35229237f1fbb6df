"""Migration operations that touch the database on one dialect only."""

from __future__ import annotations

from typing import Any

from tortoise.migrations import operations as ops


class WidenOnPostgres(ops.AlterField):
    """Widen a VARCHAR. SQLite does not enforce VARCHAR lengths, and altering a field there rebuilds the
    table, which would drop the append-only triggers: on SQLite only the migration state changes."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)


class StateOnly(ops.AlterField):
    """A change the database does not need to see (a field's description, which is only a column comment).
    On SQLite an AlterField would rebuild the table, dropping its triggers."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        return None


def append_only(tables: tuple[str, ...]) -> ops.RunPython:
    """Triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE on `tables`. The PostgreSQL function
    `standing_append_only()` comes from migration 0008."""

    async def forbid(apps: Any, schema_editor: Any) -> None:
        postgres = schema_editor.client.capabilities.dialect == "postgres"
        for table in tables:
            if postgres:
                statements = [
                    f'CREATE TRIGGER "{table}_no_update_delete" BEFORE UPDATE OR DELETE ON "{table}" '
                    "FOR EACH ROW EXECUTE FUNCTION standing_append_only()",
                    f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION standing_append_only()",
                ]
            else:
                statements = [
                    f'CREATE TRIGGER "{table}_no_{verb.lower()}" BEFORE {verb} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                    for verb in ("UPDATE", "DELETE")
                ]
            for statement in statements:
                await schema_editor.client.execute_script(statement)

    return ops.RunPython(forbid)
