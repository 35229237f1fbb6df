"""Ids arrive as Relay global ids or as plain database ids; both are accepted, and anything else is no id.

Database ids are 32-bit integers written in ASCII digits: "²", "③" or 2^31 name no row, so they are
simply not found, never an exception.
"""

from __future__ import annotations

import re

from strawberry.relay import GlobalID

DATABASE_ID = re.compile(r"^[0-9]{1,10}$")
MAX_ID = 2**31 - 1


def parse_database_id(value: object) -> int | None:
    """A database id, or None when the text cannot name a row."""
    text = str(value).strip()
    if not DATABASE_ID.match(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_participant_id(value: object) -> int | None:
    """A participant's database id, from a database id or a Relay global id; None when it names none."""
    if (number := parse_database_id(value)) is not None:
        return number
    try:
        global_id = GlobalID.from_id(str(value).strip())
    except Exception:  # noqa: BLE001 - any undecodable id is simply not a participant
        return None
    if global_id.type_name != "Participant":
        return None
    return parse_database_id(global_id.node_id)


def any_id(value: object) -> int:
    """A database id or a participant's global id, as `participant.id` returns it; -1 (no row) otherwise."""
    return parse_participant_id(value) or -1
