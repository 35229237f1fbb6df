"""Participant ids arrive as Relay global ids or as plain database ids; both are accepted."""

from __future__ import annotations

from strawberry.relay import GlobalID


def parse_participant_id(value: str) -> int | None:
    value = str(value).strip()
    if value.isdigit():
        return int(value)
    try:
        global_id = GlobalID.from_id(value)
    except Exception:  # noqa: BLE001 - any undecodable id is simply not a participant
        return None
    if global_id.type_name != "Participant" or not global_id.node_id.isdigit():
        return None
    return int(global_id.node_id)
