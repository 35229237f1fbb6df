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
